/* Compiled by `nox -s generate` from tools/ts/ and the catalogue; do not edit. */
import { route, UnknownEvent } from "./route.js";
export { UnknownEvent };
/** A message that names no event type at all (not one wrapper, or no `event` where one is
 * needed), described as well as it can be for `onUnknown`. */
function undescribed(message) {
    const [wrapper, payload] = Object.entries(message)[0] ?? ["", undefined];
    const named = typeof payload === "object" && payload !== null;
    const inner = named ? payload.event : undefined;
    return new UnknownEvent(wrapper, typeof inner === "string" ? inner : wrapper, message);
}
export class Dispatcher {
    byName = new Map();
    every = [];
    unknown = [];
    /** Call `handler` with every event of type `name`. */
    on(name, handler) {
        const handlers = this.byName.get(name) ?? [];
        handlers.push(handler);
        this.byName.set(name, handlers);
        return this;
    }
    /** Call `handler` with every event of a known type. */
    onAny(handler) {
        this.every.push(handler);
        return this;
    }
    /** Call `handler` with every message of a type this package does not know. */
    onUnknown(handler) {
        this.unknown.push(handler);
        return this;
    }
    /** Call the handlers of a checked message: what `parseEvent` returned, or a delivery's
     * `event` (an `UnknownEvent` included); how many were called. A frame is not a message:
     * pass `delivery.event`. */
    dispatch(message) {
        const routed = message instanceof UnknownEvent ? undefined : route(message);
        if (routed?.kind !== "known") {
            const unknown = routed?.kind === "unknown"
                ? routed.event
                : message instanceof UnknownEvent
                    ? message
                    : undescribed(message);
            for (const handler of this.unknown)
                handler(unknown);
            return this.unknown.length;
        }
        const event = message[routed.wrapper];
        const handlers = this.byName.get(routed.name) ?? [];
        for (const handler of handlers)
            handler(event);
        for (const handler of this.every)
            handler(event, routed.name);
        return handlers.length + this.every.length;
    }
}
