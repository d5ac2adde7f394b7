// Cross-checks instances with ajv, a third, independent validator.
// Usage: node tools/js/ajv-validate.mjs [--summary] BUNDLE [SCHEMA_ID] < instances.jsonl
// Compiles BUNDLE in ajv's strict mode (a compile error exits 2), then
// prints one line per input line: a JSON array of {instancePath, keyword, message}.
// With --summary it prints only {"lines", "valid", "seconds"} at the end (for the benchmark).
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const args = process.argv.slice(2);
const summaryOnly = args[0] === "--summary";
const [bundlePath, schemaId] = summaryOnly ? args.slice(1) : args;
if (!bundlePath) {
  console.error("usage: ajv-validate.mjs BUNDLE [SCHEMA_ID] < instances.jsonl");
  process.exit(2);
}
const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
addFormats(ajv);
let validate;
try {
  const bundle = JSON.parse(readFileSync(bundlePath, "utf8"));
  ajv.addSchema(bundle);
  validate = ajv.getSchema(schemaId ?? bundle.$id);
} catch (error) {
  console.error(`ajv could not compile ${bundlePath}: ${error.message}`);
  process.exit(2);
}
if (!validate) {
  console.error(`no schema ${schemaId} in ${bundlePath}`);
  process.exit(2);
}
const lines = [];
for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  if (line.trim() !== "") lines.push(line);
}
// The clock starts once the lines are read, as in parse-rate.mjs, so the two rates compare.
const started = process.hrtime.bigint();
let validCount = 0;
for (const line of lines) {
  const valid = validate(JSON.parse(line));
  if (valid) validCount += 1;
  if (summaryOnly) continue;
  const errors = valid
    ? []
    : validate.errors.map(({ instancePath, keyword, message }) => ({
        instancePath,
        keyword,
        message,
      }));
  process.stdout.write(JSON.stringify(errors) + "\n");
}
if (summaryOnly) {
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.stdout.write(JSON.stringify({ lines: lines.length, valid: validCount, seconds }) + "\n");
}
