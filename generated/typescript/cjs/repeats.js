/* Compiled by `nox -s generate` from tools/ts/ and the catalogue; do not edit. */
"use strict";
/**
 * Keys that an object repeats. `JSON.parse` keeps the last value of a repeated key, other
 * readers the first, some refuse the text: a message holding one means what its reader
 * decides, so it is invalid, as the Python package says too. A cheap count clears nearly
 * every text; the rest are scanned.
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.repeatedKeys = repeatedKeys;
exports.pointerOf = pointerOf;
exports.repeatMessage = repeatMessage;
/** The keys the objects of `text` (JSON that `JSON.parse` read as `value`) repeat, in the
 * order the objects start in the text, leaving out those inside a value a repeat replaced. */
function repeatedKeys(text, value) {
    return surelyUnique(text, value) ? [] : scanned(text);
}
/** A key with white space before its colon. */
const SPACED_KEY = /"\s+:/;
/** True only when no object of `text` repeats a key. With no space before a colon, every
 * key of the text ends in `":`, and the only other `":` is a quote inside a string followed
 * by a colon (written `\":`); the parsed value holds each key of an object once. So the text
 * has as many `":` as the value has keys only when no key repeats. (Cheaper than writing the
 * value again: `JSON.stringify` costs more than the parse.) */
function surelyUnique(text, value) {
    return !SPACED_KEY.test(text) && keyEnds(text) === keyCount(value);
}
function keyEnds(text) {
    let count = 0;
    for (let at = text.indexOf('":'); at >= 0; at = text.indexOf('":', at + 2))
        count += 1;
    return count;
}
function keyCount(value) {
    if (typeof value !== "object" || value === null)
        return 0;
    let count = 0;
    if (Array.isArray(value)) {
        for (const item of value)
            count += keyCount(item);
        return count;
    }
    for (const key in value)
        count += 1 + keyCount(value[key]);
    return count;
}
function scanned(text) {
    const levels = [];
    const found = [];
    const replaced = [];
    let expectKey = false;
    for (let at = 0; at < text.length; at += 1) {
        const char = text[at];
        if (char === '"') {
            let end = at + 1;
            while (text[end] !== '"')
                end += text[end] === "\\" ? 2 : 1;
            const level = levels[levels.length - 1];
            if (expectKey && level?.keys !== undefined) {
                const key = JSON.parse(text.slice(at, end + 1));
                const earlier = level.keys.get(key);
                if (earlier !== undefined) {
                    level.repeated.add(key);
                    replaced.push([earlier, at]);
                }
                level.keys.set(key, end + 1);
                level.key = key;
                expectKey = false;
            }
            at = end;
        }
        else if (char === "{" || char === "[") {
            const parent = levels[levels.length - 1];
            const path = parent === undefined
                ? []
                : [...parent.path, parent.keys === undefined ? parent.index : parent.key];
            const keys = char === "{" ? new Map() : undefined;
            levels.push({ start: at, path, keys, repeated: new Set(), key: "", index: 0 });
            expectKey = char === "{";
        }
        else if (char === "}" || char === "]") {
            const level = levels.pop();
            const key = [...(level?.keys?.keys() ?? [])].find((name) => level?.repeated.has(name));
            if (level !== undefined && key !== undefined)
                found.push({ start: level.start, path: level.path, key });
        }
        else if (char === ",") {
            const level = levels[levels.length - 1];
            if (level?.keys !== undefined)
                expectKey = true;
            else if (level !== undefined)
                level.index += 1;
        }
    }
    return found
        .filter(({ start }) => !replaced.some(([from, to]) => start > from && start < to))
        .sort((a, b) => a.start - b.start)
        .map(({ path, key }) => ({ path, key }));
}
/** The JSON pointer of a path. */
function pointerOf(path) {
    return path.map((part) => `/${String(part).replace(/~/g, "~0").replace(/\//g, "~1")}`).join("");
}
/** The words the Python package uses for a repeat. */
function repeatMessage(repeat) {
    const { path } = repeat;
    const last = path[path.length - 1];
    let where = "the message";
    if (typeof last === "string")
        where = last;
    else if (typeof last === "number")
        where = `${path.length > 1 ? path[path.length - 2] : "item"}[${last}]`;
    return (`${where} holds the key ${JSON.stringify(repeat.key)} more than once; readers differ ` +
        "on which value counts (most keep the last, some the first, some refuse the text)");
}
