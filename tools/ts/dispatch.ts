/**
 * Handlers per event type, in the style of `@octokit/webhooks`' `on("issues.opened", handler)`:
 * `on("InteractionQueued", handler)` gives the handler the narrowed type, and a handler of
 * another type, or a misspelt name, does not compile. Event types this package does not know
 * (the service adds them) reach `onUnknown` as values instead of being mistaken for known ones.
 */
import type { AgentProvChangeEvent, AgentStatusChange, InteractionEvent } from "./index.js";
import { EVENT_TYPES } from "./names.js";

/** The payload of any message of a known event type. */
export type KnownEvent = InteractionEvent | AgentProvChangeEvent | AgentStatusChange;
export type EventName = (typeof EVENT_TYPES)[number][1];
/** The payload type of the event type `K`. */
export type EventOf<K extends EventName> = K extends "AgentStatusChange"
  ? AgentStatusChange
  : Extract<InteractionEvent | AgentProvChangeEvent, { event: K }>;

/** A message of an event type this package does not know, kept whole. */
export interface UnknownMessage {
  readonly wrapper: string;
  readonly name: string;
  readonly message: unknown;
}

type Handler = (event: KnownEvent) => void;

const KNOWN: ReadonlySet<string> = new Set(
  EVENT_TYPES.map(([wrapper, name]) => `${wrapper}/${name}`),
);

/** The event type a decoded message carries: the wrapper name for wrappers without an inner
 * `event` field (AgentStatusChange), the inner `event` otherwise. */
export function eventName(message: object): { wrapper: string; name: string } {
  const [wrapper, payload] = Object.entries(message)[0] ?? ["", undefined];
  const named = typeof payload === "object" && payload !== null;
  const inner = named ? (payload as { event?: unknown }).event : undefined;
  return { wrapper, name: typeof inner === "string" ? inner : wrapper };
}

export class Dispatcher {
  private readonly byName = new Map<string, Handler[]>();
  private readonly every: Array<(event: KnownEvent, name: EventName) => void> = [];
  private readonly unknown: Array<(message: UnknownMessage) => void> = [];

  /** Call `handler` with every event of type `name`. */
  on<K extends EventName>(name: K, handler: (event: EventOf<K>) => void): this {
    const handlers = this.byName.get(name) ?? [];
    handlers.push(handler as Handler);
    this.byName.set(name, handlers);
    return this;
  }

  /** Call `handler` with every event of a known type. */
  onAny(handler: (event: KnownEvent, name: EventName) => void): this {
    this.every.push(handler);
    return this;
  }

  /** Call `handler` with every message of a type this package does not know. */
  onUnknown(handler: (message: UnknownMessage) => void): this {
    this.unknown.push(handler);
    return this;
  }

  /** Call the handlers of a decoded message; how many were called. */
  dispatch(message: object): number {
    const { wrapper, name } = eventName(message);
    if (!KNOWN.has(`${wrapper}/${name}`)) {
      for (const handler of this.unknown) handler({ wrapper, name, message });
      return this.unknown.length;
    }
    const event = (message as Record<string, KnownEvent>)[wrapper] as KnownEvent;
    const handlers = this.byName.get(name) ?? [];
    for (const handler of handlers) handler(event);
    for (const handler of this.every) handler(event, name as EventName);
    return handlers.length + this.every.length;
  }
}
