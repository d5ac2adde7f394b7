/* Compiled by `nox -s generate` from tools/ts/ and the catalogue; do not edit. */
"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.AttachedPairs = exports.VariationError = void 0;
exports.flag = flag;
exports.recordingMode = recordingMode;
exports.channel = channel;
exports.disposition = disposition;
exports.agents = agents;
exports.at = at;
exports.timestamps = timestamps;
exports.occurredAt = occurredAt;
const names_js_1 = require("./names.js");
/** A value a normal form cannot read: outside every documented spelling. */
class VariationError extends Error {
    name = "VariationError";
}
exports.VariationError = VariationError;
/**
 * A flag as a boolean. Absorbs the contradiction "boolean flags": JSON booleans in the
 * examples, the strings "true"/"false" in some contexts. `if (event.isOutboundCall)` would
 * take the string "false" for true.
 */
function flag(value) {
    if (value === undefined || typeof value === "boolean")
        return value;
    const spelled = String(value).trim().toLowerCase();
    if (spelled === "true" || spelled === "false")
        return spelled === "true";
    throw new VariationError(`${JSON.stringify(value)} is not a documented flag value`);
}
const RECORDING = new Map([
    ["no", "off"],
    ["yes", "record"],
    [0, "off"],
    [1, "record"],
    [2, "monitor"],
]);
/** `recordingMode` as one enumeration. Absorbs "recordingMode": yes/no, or the internal codes
 * 0 (off), 1 (record), 2 (monitor). */
function recordingMode(value) {
    if (value === undefined)
        return undefined;
    const found = RECORDING.get(typeof value === "string" ? value.toLowerCase() : value);
    if (found === undefined) {
        throw new VariationError(`${JSON.stringify(value)} is not a documented recording mode`);
    }
    return found;
}
/** `inboundChannelid` as a number, undefined when there is none: outbound interactions carry
 * the string "N/A". */
function channel(value) {
    if (value === undefined || value === "N/A")
        return undefined;
    return value;
}
/** `dispositionCode` with its kind. Absorbs "dispositionCode": an integer (1000) in one
 * statement, a name (SALE, CALLBACK) in another. */
function disposition(value) {
    if (value === undefined)
        return undefined;
    if (typeof value === "number")
        return { code: value, kind: "numeric" };
    return { code: value, kind: "named" };
}
/** `participatingAgents` as agent ids. Absorbs "participatingAgents": joined by "," at some
 * stages and by ";" at others. */
function agents(value) {
    if (!value)
        return [];
    return value
        .replaceAll(";", ",")
        .split(",")
        .map((part) => part.trim())
        .filter((part) => part !== "");
}
const UNITS = new Map(names_js_1.TIME_UNITS);
/** `value` of the time field `place` (`queueTime`, `msgInfo.timestamp`,
 * `attachedData.callAnsweredTime`...) as a Date, read in the unit the schemas give that
 * field; undefined when it is not a number. */
function at(place, value) {
    const unit = UNITS.get(place);
    if (typeof value !== "number" || unit === undefined)
        return undefined;
    return new Date(Math.round(value * (unit * 1000)));
}
/** The value of a top-level field (`queueTime`) or of a field of msgInfo
 * (`msgInfo.timestamp`). */
function valueAt(event, place) {
    const fields = event;
    const dot = place.indexOf(".");
    if (dot < 0)
        return fields[place];
    const inside = fields[place.slice(0, dot)];
    return inside?.[place.slice(dot + 1)];
}
/**
 * Every time an event carries, as a Date read in its documented unit, named `queueTime`,
 * `msgInfo.timestamp`, `attachedData.callAnsweredTime` and so on; the unit of each comes from
 * the schemas, so no consumer has to know which are seconds and which milliseconds.
 */
function timestamps(event) {
    const attached = AttachedPairs.of(event);
    const found = new Map();
    for (const [place] of names_js_1.TIME_UNITS) {
        const key = place.startsWith("attachedData.") ? place.slice("attachedData.".length) : null;
        const when = at(place, key === null ? valueAt(event, place) : attached.get(key));
        if (when !== undefined)
            found.set(place, when);
    }
    return found;
}
/** The times that say when an event happened, best first. */
const OCCURRED = ["interactionEventTS", "statusEventTS", "msgInfo.timestamp", "eventTS"];
/**
 * When the event happened: `interactionEventTS` (`statusEventTS` for agent events), then
 * `msgInfo.timestamp`, then `eventTS`. `eventTS` looks like the event's time but is the
 * interaction's original time, the same on every event: it is the last resort.
 */
function occurredAt(event) {
    for (const place of OCCURRED) {
        const when = at(place, valueAt(event, place));
        if (when !== undefined)
            return when;
    }
    return undefined;
}
/** An event's attachedData by key: `get` gives the first pair of a key, `all` every value in
 * order, `pairs` every pair as sent (duplicates kept). */
class AttachedPairs {
    pairs;
    first = new Map();
    constructor(pairs) {
        this.pairs = pairs;
        for (const [key, value] of pairs)
            if (!this.first.has(key))
                this.first.set(key, value);
    }
    static of(event) {
        const datum = event.attachedData?.attachedDatum ?? [];
        const pairs = datum.map((pair) => [pair.attachedDataKey, pair.attachedDataValue]);
        return new AttachedPairs(pairs);
    }
    get(key) {
        return this.first.get(key);
    }
    all(key) {
        return this.pairs.filter(([name]) => name === key).map(([, value]) => value);
    }
    keys() {
        return this.first.keys();
    }
    /** A time key of the catalogue, read in the unit the schemas give it. */
    time(key) {
        return at(`attachedData.${key}`, this.get(key));
    }
    /** `callAnsweredTime` (milliseconds since the epoch). */
    answeredAt() {
        return this.time("callAnsweredTime");
    }
    /** `callHangupTime` (milliseconds since the epoch). */
    hungUpAt() {
        return this.time("callHangupTime");
    }
    /** `otim`: the interaction's original time (seconds since the epoch). */
    originallyAt() {
        return this.time("otim");
    }
    /** `tim`: when the interaction entered the queue (seconds since the epoch). */
    queuedAt() {
        return this.time("tim");
    }
    /** `que`, `{tenant}~~queue~~{media}~~{id}`, taken apart. */
    queue() {
        const text = this.get("que");
        if (typeof text !== "string")
            return undefined;
        const parts = text.split("~~");
        const [queueId, media, marker] = [parts.pop(), parts.pop(), parts.pop()];
        const wellFormed = marker === "queue" && media !== undefined && /^\d+$/.test(queueId ?? "");
        if (!wellFormed || media === undefined || queueId === undefined) {
            throw new VariationError(`que ${JSON.stringify(text)} is not tenant~~queue~~media~~id`);
        }
        return { tenant: parts.join("~~"), media, queueId: Number(queueId) };
    }
}
exports.AttachedPairs = AttachedPairs;
