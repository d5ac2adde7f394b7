// Times the npm package's parseEvent (JSON.parse, routing, the compiled validators) over a
// capture, for `nox -s bench`; counts a line as valid when parseEvent returns.
// Usage: node tools/js/parse-rate.mjs PACKAGE_DIR < events.jsonl
// Prints {"lines", "valid", "seconds"}.
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import { join } from "node:path";

const [packageDir] = process.argv.slice(2);
if (!packageDir) {
  console.error("usage: parse-rate.mjs PACKAGE_DIR < events.jsonl");
  process.exit(2);
}
const { parseEvent, EventError } = await import(pathToFileURL(join(packageDir, "parse.js")).href);
const lines = [];
for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  if (line.trim() !== "") lines.push(line);
}
const started = process.hrtime.bigint();
let valid = 0;
for (const line of lines) {
  try {
    parseEvent(line);
    valid += 1;
  } catch (error) {
    if (!(error instanceof EventError)) throw error;
  }
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
process.stdout.write(JSON.stringify({ lines: lines.length, valid, seconds }) + "\n");
