/* Compiled by `nox -s generate` from tools/ts/ and the catalogue; do not edit. */
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
export declare class UnknownEvent {
    readonly wrapper: string;
    /** The `event` inside the wrapper; the wrapper's name when it has none. */
    readonly name: string;
    readonly message: object;
    constructor(wrapper: string, 
    /** The `event` inside the wrapper; the wrapper's name when it has none. */
    name: string, message: object);
}
export type Route = {
    readonly kind: "known";
    readonly wrapper: string;
    readonly name: EventName;
} | {
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
 | {
    readonly kind: "malformed";
};
/** The candidate `name` most likely misspells: within two edits, letter case ignored; the
 * fewest edits win, then the alphabetically first (as the Python package's `suggest`). */
export declare function closest(name: string, candidates: Iterable<string>): string | undefined;
export declare function route(message: unknown): Route;
