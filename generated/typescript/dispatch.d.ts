/* Compiled by `nox -s generate` from tools/ts/ and the catalogue; do not edit. */
/**
 * Handlers per event type, in the style of `@octokit/webhooks`' `on("issues.opened", handler)`:
 * `on("InteractionQueued", handler)` gives the handler the narrowed type, and a handler of
 * another type, or a misspelt name, does not compile. Event types this package does not know
 * (the service adds them) reach `onUnknown` as values instead of being mistaken for known ones.
 */
import type { AgentProvChangeEvent, AgentStatusChange, Event, InteractionEvent } from "./index.js";
import { UnknownEvent, type EventName } from "./route.js";
export { UnknownEvent, type EventName };
/** The payload of any message of a known event type. */
export type KnownEvent = InteractionEvent | AgentProvChangeEvent | AgentStatusChange;
/** The payload type of the event type `K`. */
export type EventOf<K extends EventName> = K extends "AgentStatusChange" ? AgentStatusChange : Extract<InteractionEvent | AgentProvChangeEvent, {
    event: K;
}>;
export declare class Dispatcher {
    private readonly byName;
    private readonly every;
    private readonly unknown;
    /** Call `handler` with every event of type `name`. */
    on<K extends EventName>(name: K, handler: (event: EventOf<K>) => void): this;
    /** Call `handler` with every event of a known type. */
    onAny(handler: (event: KnownEvent, name: EventName) => void): this;
    /** Call `handler` with every message of a type this package does not know. */
    onUnknown(handler: (message: UnknownEvent) => void): this;
    /** Call the handlers of a checked message: what `parseEvent` returned, or a delivery's
     * `event` (an `UnknownEvent` included); how many were called. A frame is not a message:
     * pass `delivery.event`. */
    dispatch(message: Event | UnknownEvent): number;
}
