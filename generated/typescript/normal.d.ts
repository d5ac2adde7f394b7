/* Compiled by `nox -s generate` from tools/ts/ and the catalogue; do not edit. */
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
import type { AgentProvChangeEvent, AgentStatusChange, AttachedData, AttachedDatum, DispositionCode, Flag, IntegerOrNA, InteractionEvent, RecordingMode } from "./index.js";
/** The payload of a message of a known event type: what `timestamps` and `occurredAt` read
 * (a frame, or the message around the payload, does not compile). */
export type Payload = InteractionEvent | AgentProvChangeEvent | AgentStatusChange;
/** A value a normal form cannot read: outside every documented spelling. */
export declare class VariationError extends Error {
    name: string;
}
/**
 * A flag as a boolean. Absorbs the contradiction "boolean flags": JSON booleans in the
 * examples, the strings "true"/"false" in some contexts. `if (event.isOutboundCall)` would
 * take the string "false" for true.
 */
export declare function flag(value: Flag | undefined): boolean | undefined;
export type RecordingState = "off" | "record" | "monitor";
/** `recordingMode` as one enumeration. Absorbs "recordingMode": yes/no, or the internal codes
 * 0 (off), 1 (record), 2 (monitor). */
export declare function recordingMode(value: RecordingMode | undefined): RecordingState | undefined;
/** `inboundChannelid` as a number, undefined when there is none: outbound interactions carry
 * the string "N/A". */
export declare function channel(value: IntegerOrNA | undefined): number | undefined;
export interface Disposition {
    readonly code: number | string;
    readonly kind: "numeric" | "named";
}
/** `dispositionCode` with its kind. Absorbs "dispositionCode": an integer (1000) in one
 * statement, a name (SALE, CALLBACK) in another. */
export declare function disposition(value: DispositionCode | undefined): Disposition | undefined;
/** `participatingAgents` as agent ids. Absorbs "participatingAgents": joined by "," at some
 * stages and by ";" at others. */
export declare function agents(value: string | undefined): string[];
/** `value` of the time field `place` (`queueTime`, `msgInfo.timestamp`,
 * `attachedData.callAnsweredTime`...) as a Date, read in the unit the schemas give that
 * field; undefined when it is not a number. */
export declare function at(place: string, value: unknown): Date | undefined;
/**
 * Every time an event carries, as a Date read in its documented unit, named `queueTime`,
 * `msgInfo.timestamp`, `attachedData.callAnsweredTime` and so on; the unit of each comes from
 * the schemas, so no consumer has to know which are seconds and which milliseconds.
 */
export declare function timestamps(event: Payload): Map<string, Date>;
/**
 * When the event happened: `interactionEventTS` (`statusEventTS` for agent events), then
 * `msgInfo.timestamp`, then `eventTS`. `eventTS` looks like the event's time but is the
 * interaction's original time, the same on every event: it is the last resort.
 */
export declare function occurredAt(event: Payload): Date | undefined;
type DatumValue = AttachedDatum["attachedDataValue"];
/** An event's attachedData by key: `get` gives the first pair of a key, `all` every value in
 * order, `pairs` every pair as sent (duplicates kept). */
export declare class AttachedPairs {
    readonly pairs: ReadonlyArray<readonly [string, DatumValue]>;
    private readonly first;
    constructor(pairs: ReadonlyArray<readonly [string, DatumValue]>);
    static of(event: {
        readonly attachedData?: AttachedData;
    }): AttachedPairs;
    get(key: string): DatumValue | undefined;
    all(key: string): DatumValue[];
    keys(): IterableIterator<string>;
    /** A time key of the catalogue, read in the unit the schemas give it. */
    time(key: string): Date | undefined;
    /** `callAnsweredTime` (milliseconds since the epoch). */
    answeredAt(): Date | undefined;
    /** `callHangupTime` (milliseconds since the epoch). */
    hungUpAt(): Date | undefined;
    /** `otim`: the interaction's original time (seconds since the epoch). */
    originallyAt(): Date | undefined;
    /** `tim`: when the interaction entered the queue (seconds since the epoch). */
    queuedAt(): Date | undefined;
    /** `que`, `{tenant}~~queue~~{media}~~{id}`, taken apart. */
    queue(): QueueRef | undefined;
}
export interface QueueRef {
    readonly tenant: string;
    readonly media: string;
    readonly queueId: number;
}
export {};
