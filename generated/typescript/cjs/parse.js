/* Compiled by `nox -s generate` from tools/ts/ and the catalogue; do not edit. */
"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ControlMessage = exports.UnknownEvent = exports.UnknownEventError = exports.EventError = void 0;
exports.parseEvent = parseEvent;
exports.parseFrame = parseFrame;
const repeats_js_1 = require("./repeats.js");
const route_js_1 = require("./route.js");
Object.defineProperty(exports, "UnknownEvent", { enumerable: true, get: function () { return route_js_1.UnknownEvent; } });
const validators_js_1 = require("./validators.js");
/** A message that is not valid. */
class EventError extends Error {
    name = "EventError";
    pointer;
    /** The first of `errors`, which holds every problem found. */
    errors;
    /** The event type the message claims to be, when it names a known one. */
    eventType;
    /** The `messageId` of the frame the message came in, when it came in one. */
    messageId;
    constructor(errors, eventType, messageId) {
        const first = errors[0] ?? { pointer: "", rule: "", message: "", document: "event" };
        const where = first.pointer === "" ? "" : ` at ${first.pointer}`;
        const kind = eventType === undefined ? "" : `${eventType} `;
        const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : "";
        super(`invalid ${kind}message${where}: ${first.message}${more}`);
        this.errors = errors;
        this.pointer = first.pointer;
        this.eventType = eventType;
        this.messageId = messageId;
    }
}
exports.EventError = EventError;
/** A well-formed message whose wrapper or event name this package does not know. */
class UnknownEventError extends EventError {
    name = "UnknownEventError";
}
exports.UnknownEventError = UnknownEventError;
/** A control message where `parseFrame` expected an event frame; a consumer skips it. */
class ControlMessage extends EventError {
    name = "ControlMessage";
    control;
    constructor(control) {
        const shown = Object.entries(control.message)
            .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
            .join(", ");
        const problem = {
            pointer: "",
            rule: "control",
            message: `a Pulsar control message (${shown}), not an event frame`,
            document: "frame",
        };
        super([problem], "PulsarFrame");
        this.control = control;
    }
}
exports.ControlMessage = ControlMessage;
/** The control message `value` is, when it is one: an object that carries `type` or
 * `endOfTopic` and is not a frame (which carries `messageId` and `payload`). */
function controlOf(value) {
    if (typeof value !== "object" || value === null || Array.isArray(value))
        return undefined;
    const message = value;
    if ("messageId" in message && "payload" in message)
        return undefined;
    if (!("type" in message) && !("endOfTopic" in message))
        return undefined;
    const { type, endOfTopic } = message;
    return {
        type: typeof type === "string" ? type : undefined,
        endOfTopic: typeof endOfTopic === "boolean" ? endOfTopic : undefined,
        message,
    };
}
/** Keywords reported as one finding, without the errors of the subschemas under them. */
const WHOLE = new Set(["anyOf", "oneOf", "propertyNames"]);
function problems(validator, document) {
    // Every finding, as the Python package lists them: an anyOf, a oneOf or a propertyNames is
    // one finding (why each branch or name failed is left out), the "if" of each event type's
    // branch says nothing more, and the findings are sorted by pointer, rule and message, so the
    // first is the same in both.
    const errors = (validator.errors ?? []).filter((error) => error.keyword !== "if");
    const branches = errors
        .filter((error) => WHOLE.has(error.keyword))
        .map((error) => `${error.schemaPath}/`);
    const found = new Map();
    for (const error of errors) {
        if (branches.some((branch) => error.schemaPath.startsWith(branch)))
            continue;
        const message = error.message ?? "is not valid";
        const key = JSON.stringify([error.instancePath, error.keyword, message]);
        found.set(key, { pointer: error.instancePath, rule: error.keyword, message, document });
    }
    return [...found.values()].sort((a, b) => compare(a.pointer, b.pointer) || compare(a.rule, b.rule) || compare(a.message, b.message));
}
function compare(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
}
function read(text, value, document) {
    const repeats = (0, repeats_js_1.repeatedKeys)(text, value).map((repeat) => ({
        pointer: (0, repeats_js_1.pointerOf)(repeat.path),
        rule: "uniqueKeys",
        message: (0, repeats_js_1.repeatMessage)(repeat),
        document,
    }));
    return { value, repeats };
}
function decoded(input, document) {
    if (typeof input !== "string")
        return { value: input, repeats: [] };
    try {
        return read(input, JSON.parse(input), document);
    }
    catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        const problem = {
            pointer: "",
            rule: "unreadable",
            message: `not JSON: ${why}`,
            document,
        };
        throw new EventError([problem], document === "frame" ? "PulsarFrame" : undefined);
    }
}
function checked({ value: message, repeats }, options, messageId) {
    const routed = (0, route_js_1.route)(message);
    if (routed.kind === "unknown") {
        if (options.unknown === "value" && repeats.length === 0)
            return routed.event;
        const { pointer, rule, reason, suggestion } = routed;
        const problem = {
            pointer,
            rule,
            message: reason,
            document: "event",
            ...(suggestion === undefined ? {} : { suggestion }),
        };
        // a repeated key makes it invalid, whatever its name: which name counts depends on the reader
        if (repeats.length > 0)
            throw new EventError([...repeats, problem], undefined, messageId);
        throw new UnknownEventError([problem], undefined, messageId);
    }
    const valid = (0, validators_js_1.validateEvent)(message);
    if (!valid || repeats.length > 0) {
        const eventType = routed.kind === "known" ? routed.name : undefined;
        const found = valid ? [] : problems(validators_js_1.validateEvent, "event");
        throw new EventError([...repeats, ...found], eventType, messageId);
    }
    return message;
}
function parseEvent(input, options = {}) {
    return checked(decoded(input, "event"), options);
}
const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true });
function payloadProblem(rule, message) {
    return { pointer: "/payload", rule, message, document: "frame" };
}
/** The message a checked frame's base64 payload carries. */
function payloadOf(frame) {
    const bytes = Uint8Array.from(atob(frame.payload), (char) => char.charCodeAt(0));
    let text;
    try {
        text = STRICT_UTF8.decode(bytes);
    }
    catch {
        throw new EventError([payloadProblem("contentEncoding", "payload is not UTF-8 text")], "PulsarFrame", frame.messageId);
    }
    try {
        return read(text, JSON.parse(text), "event");
    }
    catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        throw new EventError([payloadProblem("contentMediaType", `payload: not JSON: ${why}`)], "PulsarFrame", frame.messageId);
    }
}
function parseFrame(input, options = {}) {
    const { value, repeats } = decoded(input, "frame");
    const control = controlOf(value);
    if (control !== undefined) {
        if (options.control === "value")
            return control;
        throw new ControlMessage(control);
    }
    const told = value?.messageId;
    const messageId = typeof told === "string" ? told : undefined;
    const valid = (0, validators_js_1.validateFrame)(value);
    if (!valid || repeats.length > 0) {
        const found = valid ? [] : problems(validators_js_1.validateFrame, "frame");
        throw new EventError([...repeats, ...found], "PulsarFrame", messageId);
    }
    const frame = value;
    const event = checked(payloadOf(frame), options, frame.messageId);
    return {
        frame,
        event,
        messageId: frame.messageId,
        publishTime: frame.publishTime,
        redeliveryCount: frame.redeliveryCount ?? 0,
    };
}
