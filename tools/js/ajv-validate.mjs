// Cross-checks instances with ajv, a third, independent validator.
// Usage: node tools/js/ajv-validate.mjs BUNDLE [SCHEMA_ID] < instances.jsonl
// Compiles BUNDLE in ajv's strict mode (a compile error exits 2), then
// prints one line per input line: a JSON array of {instancePath, keyword, message}.
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const [bundlePath, schemaId] = process.argv.slice(2);
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
const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  if (line.trim() === "") continue;
  const valid = validate(JSON.parse(line));
  const errors = valid ? [] : validate.errors.map(({ instancePath, keyword, message }) => ({ instancePath, keyword, message }));
  process.stdout.write(JSON.stringify(errors) + "\n");
}
