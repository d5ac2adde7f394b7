/**
 * Which event type a decoded message is: the one routing of this package, as the Python
 * package's `catalogue.Router` does it. It looks only at the wrapper key and, for the wrappers
 * that carry several event types, at their `event`; whether the rest of the message is valid
 * is the schema's business. `parse` and `dispatch` both ask it.
 */
import { EVENT_TYPES } from "./names.js";

/** The name of an event type of the catalogue. */
export type EventName = (typeof EVENT_TYPES)[number][1];

/** A well-formed message of an event type this package does not know, as a value: the
 * service adds event types over time, and a forward-compatible consumer skips or logs them. */
export class UnknownEvent {
  constructor(
    readonly wrapper: string,
    /** The `event` inside the wrapper; the wrapper's name when it has none. */
    readonly name: string,
    readonly message: object,
  ) {}
}

export type Route =
  | { readonly kind: "known"; readonly wrapper: string; readonly name: EventName }
  | {
      readonly kind: "unknown";
      readonly event: UnknownEvent;
      /** Where the unknown name is: the message itself, or the wrapper's `event`. */
      readonly pointer: string;
      readonly rule: "unknown-wrapper" | "unknown-event";
      readonly reason: string;
      /** The catalogue's name it most likely misspells, when one is within two edits. */
      readonly suggestion: string | undefined;
    }
  /** Not one wrapper holding an object with a string `event` where one is needed: the
   * schema says what is wrong. */
  | { readonly kind: "malformed" };

const SINGLE = new Map<string, EventName>();
const FAMILIES = new Map<string, Set<string>>();
for (const [wrapper, name, byEvent] of EVENT_TYPES) {
  if (byEvent) FAMILIES.set(wrapper, (FAMILIES.get(wrapper) ?? new Set()).add(name));
  else SINGLE.set(wrapper, name);
}
const WRAPPERS = [...SINGLE.keys(), ...FAMILIES.keys()];
const KNOWN_WRAPPERS = [...WRAPPERS].sort().join(", ");
const MOST_EDITS = 2;

/** Edits from `a` to `b`: insertions, deletions, substitutions and swaps of two neighbours. */
function distance(a: string, b: string): number {
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i, ...new Array<number>(b.length).fill(0)];
    for (let j = 1; j <= b.length; j++) {
      const same = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + same);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        current[j] = Math.min(current[j]!, before[j - 2]! + 1);
      }
    }
    before = previous;
    previous = current;
  }
  return previous[b.length]!;
}

/** The candidate `name` most likely misspells: within two edits, letter case ignored; the
 * fewest edits win, then the alphabetically first (as the Python package's `suggest`). */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  let best: [number, string] | undefined;
  const folded = name.toLowerCase();
  for (const candidate of candidates) {
    if (candidate === name || Math.abs(candidate.length - name.length) > MOST_EDITS) continue;
    const edits = distance(folded, candidate.toLowerCase());
    if (edits > MOST_EDITS) continue;
    if (best === undefined || edits < best[0] || (edits === best[0] && candidate < best[1])) {
      best = [edits, candidate];
    }
  }
  return best?.[1];
}

function didYouMean(guess: string | undefined): string {
  return guess === undefined ? "" : `; did you mean ${JSON.stringify(guess)}?`;
}

export function route(message: unknown): Route {
  if (typeof message !== "object" || message === null || Array.isArray(message)) {
    return { kind: "malformed" };
  }
  const entries = Object.entries(message);
  const [only] = entries;
  if (only === undefined || entries.length !== 1) return { kind: "malformed" };
  const [wrapper, payload] = only;
  const single = SINGLE.get(wrapper);
  if (single !== undefined) return { kind: "known", wrapper, name: single };
  const inner =
    typeof payload === "object" && payload !== null
      ? (payload as { event?: unknown }).event
      : undefined;
  const family = FAMILIES.get(wrapper);
  if (family === undefined) {
    const name = typeof inner === "string" ? inner : wrapper;
    const suggestion = closest(wrapper, WRAPPERS);
    return {
      kind: "unknown",
      event: new UnknownEvent(wrapper, name, message),
      pointer: "",
      rule: "unknown-wrapper",
      reason:
        `wrapper ${JSON.stringify(wrapper)} is not in the catalogue${didYouMean(suggestion)} ` +
        `(known: ${KNOWN_WRAPPERS})`,
      suggestion,
    };
  }
  if (typeof inner !== "string") return { kind: "malformed" };
  if (family.has(inner)) return { kind: "known", wrapper, name: inner as EventName };
  const suggestion = closest(inner, family);
  return {
    kind: "unknown",
    event: new UnknownEvent(wrapper, inner, message),
    pointer: `/${wrapper}/event`,
    rule: "unknown-event",
    reason:
      `event ${JSON.stringify(inner)} is not one of the catalogue's ${wrapper} events` +
      didYouMean(suggestion),
    suggestion,
  };
}
