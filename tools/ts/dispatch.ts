/**
 * Handlers per event type, in the style of `@octokit/webhooks`' `on("issues.opened", handler)`:
 * `on("InteractionQueued", handler)` gives the handler the narrowed type, and a handler of
 * another type, or a misspelt name, does not compile. Event types this package does not know
 * (the service adds them) reach `onUnknown` as values instead of being mistaken for known ones.
 */
import type { AgentProvChangeEvent, AgentStatusChange, Event, InteractionEvent } from "./index.js";
import { route, UnknownEvent, type EventName } from "./route.js";

export { UnknownEvent, type EventName };

/** The payload of any message of a known event type. */
export type KnownEvent = InteractionEvent | AgentProvChangeEvent | AgentStatusChange;
/** The payload type of the event type `K`. */
export type EventOf<K extends EventName> = K extends "AgentStatusChange"
  ? AgentStatusChange
  : Extract<InteractionEvent | AgentProvChangeEvent, { event: K }>;

type Handler = (event: KnownEvent) => void;

/** A message that names no event type at all (not one wrapper, or no `event` where one is
 * needed), described as well as it can be for `onUnknown`. */
function undescribed(message: object): UnknownEvent {
  const [wrapper, payload] = Object.entries(message)[0] ?? ["", undefined];
  const named = typeof payload === "object" && payload !== null;
  const inner = named ? (payload as { event?: unknown }).event : undefined;
  return new UnknownEvent(wrapper, typeof inner === "string" ? inner : wrapper, message);
}

export class Dispatcher {
  private readonly byName = new Map<string, Handler[]>();
  private readonly every: Array<(event: KnownEvent, name: EventName) => void> = [];
  private readonly unknown: Array<(message: UnknownEvent) => void> = [];

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
  onUnknown(handler: (message: UnknownEvent) => void): this {
    this.unknown.push(handler);
    return this;
  }

  /** Call the handlers of a checked message: what `parseEvent` returned, or a delivery's
   * `event` (an `UnknownEvent` included); how many were called. A frame is not a message:
   * pass `delivery.event`. */
  dispatch(message: Event | UnknownEvent): number {
    const routed = message instanceof UnknownEvent ? undefined : route(message);
    if (routed?.kind !== "known") {
      const unknown =
        routed?.kind === "unknown"
          ? routed.event
          : message instanceof UnknownEvent
            ? message
            : undescribed(message);
      for (const handler of this.unknown) handler(unknown);
      return this.unknown.length;
    }
    const event = (message as unknown as Record<string, KnownEvent>)[routed.wrapper] as KnownEvent;
    const handlers = this.byName.get(routed.name) ?? [];
    for (const handler of handlers) handler(event);
    for (const handler of this.every) handler(event, routed.name);
    return handlers.length + this.every.length;
  }
}
