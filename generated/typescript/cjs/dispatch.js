/* Compiled by `nox -s generate` from tools/ts/ and the catalogue; do not edit. */
"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.Dispatcher = void 0;
exports.eventName = eventName;
const names_js_1 = require("./names.js");
const KNOWN = new Set(names_js_1.EVENT_TYPES.map(([wrapper, name]) => `${wrapper}/${name}`));
/** The event type a decoded message carries: the wrapper name for wrappers without an inner
 * `event` field (AgentStatusChange), the inner `event` otherwise. */
function eventName(message) {
    const [wrapper, payload] = Object.entries(message)[0] ?? ["", undefined];
    const named = typeof payload === "object" && payload !== null;
    const inner = named ? payload.event : undefined;
    return { wrapper, name: typeof inner === "string" ? inner : wrapper };
}
class Dispatcher {
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
    /** Call the handlers of a decoded message; how many were called. */
    dispatch(message) {
        const { wrapper, name } = eventName(message);
        if (!KNOWN.has(`${wrapper}/${name}`)) {
            for (const handler of this.unknown)
                handler({ wrapper, name, message });
            return this.unknown.length;
        }
        const event = message[wrapper];
        const handlers = this.byName.get(name) ?? [];
        for (const handler of handlers)
            handler(event);
        for (const handler of this.every)
            handler(event, name);
        return handlers.length + this.every.length;
    }
}
exports.Dispatcher = Dispatcher;
