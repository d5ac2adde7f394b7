/* Compiled by `nox -s generate` from tools/ts/ and the catalogue; do not edit. */
/**
 * Which event type a decoded message is: the one routing of this package, as the Python
 * package's `catalogue.Router` does it. It looks only at the wrapper key and, for the wrappers
 * that carry several event types, at their `event`; whether the rest of the message is valid
 * is the schema's business. `parse` and `dispatch` both ask it.
 */
import { EVENT_TYPES } from "./names.js";
/** A well-formed message of an event type this package does not know, as a value: the
 * service adds event types over time, and a forward-compatible consumer skips or logs them. */
export class UnknownEvent {
    wrapper;
    name;
    message;
    constructor(wrapper, 
    /** The `event` inside the wrapper; the wrapper's name when it has none. */
    name, message) {
        this.wrapper = wrapper;
        this.name = name;
        this.message = message;
    }
}
const SINGLE = new Map();
const FAMILIES = new Map();
for (const [wrapper, name, byEvent] of EVENT_TYPES) {
    if (byEvent)
        FAMILIES.set(wrapper, (FAMILIES.get(wrapper) ?? new Set()).add(name));
    else
        SINGLE.set(wrapper, name);
}
const KNOWN_WRAPPERS = [...SINGLE.keys(), ...FAMILIES.keys()].sort().join(", ");
export function route(message) {
    if (typeof message !== "object" || message === null || Array.isArray(message)) {
        return { kind: "malformed" };
    }
    const entries = Object.entries(message);
    const [only] = entries;
    if (only === undefined || entries.length !== 1)
        return { kind: "malformed" };
    const [wrapper, payload] = only;
    const single = SINGLE.get(wrapper);
    if (single !== undefined)
        return { kind: "known", wrapper, name: single };
    const inner = typeof payload === "object" && payload !== null
        ? payload.event
        : undefined;
    const family = FAMILIES.get(wrapper);
    if (family === undefined) {
        const name = typeof inner === "string" ? inner : wrapper;
        return {
            kind: "unknown",
            event: new UnknownEvent(wrapper, name, message),
            pointer: "",
            rule: "unknown-wrapper",
            reason: `wrapper ${JSON.stringify(wrapper)} is not in the catalogue (known: ${KNOWN_WRAPPERS})`,
        };
    }
    if (typeof inner !== "string")
        return { kind: "malformed" };
    if (family.has(inner))
        return { kind: "known", wrapper, name: inner };
    return {
        kind: "unknown",
        event: new UnknownEvent(wrapper, inner, message),
        pointer: `/${wrapper}/event`,
        rule: "unknown-event",
        reason: `event ${JSON.stringify(inner)} is not one of the catalogue's ${wrapper} events`,
    };
}
