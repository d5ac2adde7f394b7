/**
 * One normal form for the documented variations, so typed code never reads a raw variant.
 *
 * The service sends the same facts in more than one form: flags as booleans or the strings
 * "true"/"false", `recordingMode` as yes/no or the codes 0/1/2, `inboundChannelid` as a
 * number or "N/A", `dispositionCode` as a number or a name, `participatingAgents` joined by
 * "," or ";", timestamps in seconds or milliseconds. Each function takes the wire form (which
 * the message keeps untouched) and gives the one form a consumer should use. The Python
 * package's `eightbyeight_events.normal` gives the same answers; a test holds them together.
 */
import type {
  AgentProvChangeEvent,
  AgentStatusChange,
  AttachedData,
  AttachedDatum,
  DispositionCode,
  Flag,
  IntegerOrNA,
  InteractionEvent,
  RecordingMode,
} from "./index.js";

/** The payload of a message of a known event type: what `timestamps` and `occurredAt` read
 * (a frame, or the message around the payload, does not compile). */
export type Payload = InteractionEvent | AgentProvChangeEvent | AgentStatusChange;
import { TIME_UNITS } from "./names.js";

/** A value a normal form cannot read: outside every documented spelling. */
export class VariationError extends Error {
  override name = "VariationError";
}

/**
 * A flag as a boolean. Absorbs the contradiction "boolean flags": JSON booleans in the
 * examples, the strings "true"/"false" in some contexts. `if (event.isOutboundCall)` would
 * take the string "false" for true.
 */
export function flag(value: Flag | undefined): boolean | undefined {
  if (value === undefined || typeof value === "boolean") return value;
  const spelled = String(value).trim().toLowerCase();
  if (spelled === "true" || spelled === "false") return spelled === "true";
  throw new VariationError(`${JSON.stringify(value)} is not a documented flag value`);
}

export type RecordingState = "off" | "record" | "monitor";

const RECORDING = new Map<string | number, RecordingState>([
  ["no", "off"],
  ["yes", "record"],
  [0, "off"],
  [1, "record"],
  [2, "monitor"],
]);

/** `recordingMode` as one enumeration. Absorbs "recordingMode": yes/no, or the internal codes
 * 0 (off), 1 (record), 2 (monitor). */
export function recordingMode(value: RecordingMode | undefined): RecordingState | undefined {
  if (value === undefined) return undefined;
  const found = RECORDING.get(typeof value === "string" ? value.toLowerCase() : value);
  if (found === undefined) {
    throw new VariationError(`${JSON.stringify(value)} is not a documented recording mode`);
  }
  return found;
}

/** `inboundChannelid` as a number, undefined when there is none: outbound interactions carry
 * the string "N/A". */
export function channel(value: IntegerOrNA | undefined): number | undefined {
  if (value === undefined || value === "N/A") return undefined;
  return value;
}

export interface Disposition {
  readonly code: number | string;
  readonly kind: "numeric" | "named";
}

/** `dispositionCode` with its kind. Absorbs "dispositionCode": an integer (1000) in one
 * statement, a name (SALE, CALLBACK) in another. */
export function disposition(value: DispositionCode | undefined): Disposition | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "number") return { code: value, kind: "numeric" };
  return { code: value, kind: "named" };
}

/** `participatingAgents` as agent ids. Absorbs "participatingAgents": joined by "," at some
 * stages and by ";" at others. */
export function agents(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .replaceAll(";", ",")
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "");
}

const UNITS = new Map(TIME_UNITS);

/** `value` of the time field `place` (`queueTime`, `msgInfo.timestamp`,
 * `attachedData.callAnsweredTime`...) as a Date, read in the unit the schemas give that
 * field; undefined when it is not a number. */
export function at(place: string, value: unknown): Date | undefined {
  const unit = UNITS.get(place);
  if (typeof value !== "number" || unit === undefined) return undefined;
  return new Date(Math.round(value * (unit * 1000)));
}

/** The value of a top-level field (`queueTime`) or of a field of msgInfo
 * (`msgInfo.timestamp`). */
function valueAt(event: Payload, place: string): unknown {
  const fields = event as unknown as Record<string, unknown>;
  const dot = place.indexOf(".");
  if (dot < 0) return fields[place];
  const inside = fields[place.slice(0, dot)] as Record<string, unknown> | undefined;
  return inside?.[place.slice(dot + 1)];
}

/**
 * Every time an event carries, as a Date read in its documented unit, named `queueTime`,
 * `msgInfo.timestamp`, `attachedData.callAnsweredTime` and so on; the unit of each comes from
 * the schemas, so no consumer has to know which are seconds and which milliseconds.
 */
export function timestamps(event: Payload): Map<string, Date> {
  const attached = AttachedPairs.of(event as { readonly attachedData?: AttachedData });
  const found = new Map<string, Date>();
  for (const [place] of TIME_UNITS) {
    const key = place.startsWith("attachedData.") ? place.slice("attachedData.".length) : null;
    const when = at(place, key === null ? valueAt(event, place) : attached.get(key));
    if (when !== undefined) found.set(place, when);
  }
  return found;
}

/** The times that say when an event happened, best first. */
const OCCURRED = ["interactionEventTS", "statusEventTS", "msgInfo.timestamp", "eventTS"];

/**
 * When the event happened: `interactionEventTS` (`statusEventTS` for agent events), then
 * `msgInfo.timestamp`, then `eventTS`. `eventTS` looks like the event's time but is the
 * interaction's original time, the same on every event: it is the last resort.
 */
export function occurredAt(event: Payload): Date | undefined {
  for (const place of OCCURRED) {
    const when = at(place, valueAt(event, place));
    if (when !== undefined) return when;
  }
  return undefined;
}

type DatumValue = AttachedDatum["attachedDataValue"];

/** An event's attachedData by key: `get` gives the first pair of a key, `all` every value in
 * order, `pairs` every pair as sent (duplicates kept). */
export class AttachedPairs {
  readonly pairs: ReadonlyArray<readonly [string, DatumValue]>;
  private readonly first = new Map<string, DatumValue>();

  constructor(pairs: ReadonlyArray<readonly [string, DatumValue]>) {
    this.pairs = pairs;
    for (const [key, value] of pairs) if (!this.first.has(key)) this.first.set(key, value);
  }

  static of(event: { readonly attachedData?: AttachedData }): AttachedPairs {
    const datum = event.attachedData?.attachedDatum ?? [];
    const pairs = datum.map((pair) => [pair.attachedDataKey, pair.attachedDataValue] as const);
    return new AttachedPairs(pairs);
  }

  get(key: string): DatumValue | undefined {
    return this.first.get(key);
  }

  all(key: string): DatumValue[] {
    return this.pairs.filter(([name]) => name === key).map(([, value]) => value);
  }

  keys(): IterableIterator<string> {
    return this.first.keys();
  }

  /** A time key of the catalogue, read in the unit the schemas give it. */
  time(key: string): Date | undefined {
    return at(`attachedData.${key}`, this.get(key));
  }

  /** `callAnsweredTime` (milliseconds since the epoch). */
  answeredAt(): Date | undefined {
    return this.time("callAnsweredTime");
  }

  /** `callHangupTime` (milliseconds since the epoch). */
  hungUpAt(): Date | undefined {
    return this.time("callHangupTime");
  }

  /** `otim`: the interaction's original time (seconds since the epoch). */
  originallyAt(): Date | undefined {
    return this.time("otim");
  }

  /** `tim`: when the interaction entered the queue (seconds since the epoch). */
  queuedAt(): Date | undefined {
    return this.time("tim");
  }

  /** `que`, `{tenant}~~queue~~{media}~~{id}`, taken apart. */
  queue(): QueueRef | undefined {
    const text = this.get("que");
    if (typeof text !== "string") return undefined;
    const parts = text.split("~~");
    const [queueId, media, marker] = [parts.pop(), parts.pop(), parts.pop()];
    const wellFormed = marker === "queue" && media !== undefined && /^\d+$/.test(queueId ?? "");
    if (!wellFormed || media === undefined || queueId === undefined) {
      throw new VariationError(`que ${JSON.stringify(text)} is not tenant~~queue~~media~~id`);
    }
    return { tenant: parts.join("~~"), media, queueId: Number(queueId) };
  }
}

export interface QueueRef {
  readonly tenant: string;
  readonly media: string;
  readonly queueId: number;
}
