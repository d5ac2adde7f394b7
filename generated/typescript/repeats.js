/* Compiled by `nox -s generate` from tools/ts/ and the catalogue; do not edit. */
/**
 * Keys that an object repeats. `JSON.parse` keeps the last value of a repeated key, other
 * readers the first, some refuse the text: a message holding one means what its reader
 * decides, so it is invalid, as the Python package says too. A cheap test clears nearly
 * every text; the rest are scanned.
 */
/** The keys the objects of `text` (JSON that `JSON.parse` read as `value`) repeat, in the
 * order the objects start in the text, leaving out those inside a value a repeat replaced. */
export function repeatedKeys(text, value) {
    return surelyUnique(text, value) ? [] : scanned(text);
}
/** With no quote spelt `\u0022`, every quote of `text` and of `value` written anew opens or
 * closes a key or a string, or is a quote inside a string written `\"` in both; a repeated
 * key leaves `text` with more of them. */
function surelyUnique(text, value) {
    if (text.includes("\\u0022"))
        return false;
    return quotes(text) === quotes(JSON.stringify(value));
}
function quotes(text) {
    return text.split('"').length - 1;
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
export function pointerOf(path) {
    return path.map((part) => `/${String(part).replace(/~/g, "~0").replace(/\//g, "~1")}`).join("");
}
/** The words the Python package uses for a repeat. */
export function repeatMessage(repeat) {
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
