/* Compiled by `nox -s generate` from tools/ts/ and the catalogue; do not edit. */
/**
 * Messages checked at run time: `parseEvent` for a decoded message, `parseFrame` for a Pulsar
 * WebSocket frame. Both check against the published schemas, which are open (a field the
 * service adds later is accepted), with validators compiled ahead of time, so this module
 * needs no validator library. Every failure is an `EventError` saying where (`pointer`, a
 * JSON pointer into the message, or into the frame) and why; an event type this package does
 * not know is an `UnknownEventError`, or a value with `{ unknown: "value" }`. The Python
 * package's `parse_event` and `parse_frame` follow the same rules.
 */
import type { Event, PulsarFrame } from "../index.js";
import { UnknownEvent } from "./route.js";
/** One reason a message is not valid. */
export interface Problem {
    /** JSON pointer to the value at fault: into the message, or into the frame around it. */
    readonly pointer: string;
    /** The schema keyword that failed, or what could not be read (`unreadable`,
     * `contentEncoding`, `contentMediaType`, `unknown-wrapper`, `unknown-event`). */
    readonly rule: string;
    readonly message: string;
    /** `event` for the decoded message, `frame` for the Pulsar frame around it. */
    readonly document: "event" | "frame";
    /** For an unknown wrapper or event: the catalogue's name it most likely misspells. */
    readonly suggestion?: string;
}
/** A message that is not valid. */
export declare class EventError extends Error {
    name: string;
    readonly pointer: string;
    /** The first of `errors`, which holds every problem found. */
    readonly errors: readonly Problem[];
    /** The event type the message claims to be, when it names a known one. */
    readonly eventType: string | undefined;
    /** The `messageId` of the frame the message came in, when it came in one. */
    readonly messageId: string | undefined;
    constructor(errors: readonly Problem[], eventType?: string, messageId?: string);
}
/** A well-formed message whose wrapper or event name this package does not know. */
export declare class UnknownEventError extends EventError {
    name: string;
}
export { UnknownEvent };
/** A Pulsar control message, not an event frame: a text message that carries `type` or
 * `endOfTopic`, such as the answer to `{"type": "isEndOfTopic"}`. */
export interface Control {
    /** The command or answer it names, when it names one. */
    readonly type: string | undefined;
    /** The answer to `isEndOfTopic`: whether the topic has nothing more, when it says. */
    readonly endOfTopic: boolean | undefined;
    /** The whole message, as received. */
    readonly message: Readonly<Record<string, unknown>>;
}
/** A control message where `parseFrame` expected an event frame; a consumer skips it. */
export declare class ControlMessage extends EventError {
    name: string;
    readonly control: Control;
    constructor(control: Control);
}
/** A frame checked and its payload parsed. */
export interface Delivery<E = Event> {
    readonly frame: PulsarFrame;
    readonly event: E;
    readonly messageId: string;
    readonly publishTime: string;
    /** How often the service sent this message again (0 when the frame does not say). */
    readonly redeliveryCount: number;
}
export interface ParseOptions {
    /** `"raise"` (the default) throws `UnknownEventError` for an event type this package does
     * not know; `"value"` returns it as an `UnknownEvent`. */
    readonly unknown?: "raise" | "value";
}
export interface FrameOptions extends ParseOptions {
    /** `"raise"` (the default) throws `ControlMessage` for a control message; `"value"`
     * returns it as a `Control`. */
    readonly control?: "raise" | "value";
}
/** A decoded message (JSON text or a parsed value), checked: the message, typed. */
export declare function parseEvent(input: string | object): Event;
export declare function parseEvent(input: string | object, options: {
    readonly unknown: "value";
}): Event | UnknownEvent;
export declare function parseEvent(input: string | object, options?: ParseOptions): Event | UnknownEvent;
/** A WebSocket message as received (text or parsed): a frame checked, with the event its
 * payload holds. Every failure carries the frame's `messageId` when it has one; with
 * `{ unknown: "value" }` a payload of an event type this package does not know is an
 * `UnknownEvent`, as with `parseEvent`. A control message throws `ControlMessage`, or with
 * `{ control: "value" }` is returned as a `Control`. */
export declare function parseFrame(input: string | object): Delivery;
export declare function parseFrame(input: string | object, options: {
    readonly unknown: "value";
    readonly control?: "raise";
}): Delivery<Event | UnknownEvent>;
export declare function parseFrame(input: string | object, options: {
    readonly unknown?: "raise";
    readonly control: "value";
}): Delivery | Control;
export declare function parseFrame(input: string | object, options: {
    readonly unknown: "value";
    readonly control: "value";
}): Delivery<Event | UnknownEvent> | Control;
export declare function parseFrame(input: string | object, options?: FrameOptions): Delivery<Event | UnknownEvent> | Control;
