/* Compiled by `nox -s generate` from tools/ts/ and the catalogue; do not edit. */
/**
 * Keys that an object repeats. `JSON.parse` keeps the last value of a repeated key, other
 * readers the first, some refuse the text: a message holding one means what its reader
 * decides, so it is invalid, as the Python package says too. A cheap count clears nearly
 * every text; the rest are scanned.
 */
/** A key that the object at `path` holds more than once. */
export interface Repeat {
    readonly path: readonly (string | number)[];
    readonly key: string;
}
/** The keys the objects of `text` (JSON that `JSON.parse` read as `value`) repeat, in the
 * order the objects start in the text, leaving out those inside a value a repeat replaced. */
export declare function repeatedKeys(text: string, value: unknown): Repeat[];
/** The JSON pointer of a path. */
export declare function pointerOf(path: readonly (string | number)[]): string;
/** The words the Python package uses for a repeat. */
export declare function repeatMessage(repeat: Repeat): string;
