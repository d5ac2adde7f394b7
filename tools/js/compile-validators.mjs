// Compiles the published (open) schemas into validator modules for the npm package, with ajv's
// standalone mode, so the package checks messages at run time without ajv.
// Usage: node tools/js/compile-validators.mjs BUNDLE OUT_ESM.js OUT_CJS.js
// Each module exports validateEvent (a decoded message) and validateFrame (a Pulsar frame).
// ajv's output still reaches into ajv for two helpers (string length in code points, and the
// formats); both are written into the module instead, so it imports nothing.
import { readFileSync, writeFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020.js";
import { _ } from "ajv/dist/compile/codegen/index.js";
import standaloneCode from "ajv/dist/standalone/index.js";

const [bundlePath, esmPath, cjsPath] = process.argv.slice(2);
if (!bundlePath || !esmPath || !cjsPath) {
  console.error("usage: compile-validators.mjs BUNDLE OUT_ESM.js OUT_CJS.js");
  process.exit(2);
}
const bundle = JSON.parse(readFileSync(bundlePath, "utf8"));
const frameId = new URL("pulsar-frame.schema.json", bundle.$id).href;

// The one format the schemas use, with the rule the Python package applies (jsonschema's
// date-time check through rfc3339-validator): RFC 3339, case-insensitive, no year 0, a day
// that exists in its month, no leap second.
const PRELUDE = `
const RFC3339 = /^(\\d{4})-(0[1-9]|1[0-2])-(\\d{2})T(?:[01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(?:\\.\\d+)?(?:Z|[+-](?:[01]\\d|2[0-3]):[0-5]\\d)$/;
function isDateTime(text) {
  const found = RFC3339.exec(text.toUpperCase());
  if (found === null) return false;
  const [year, month, day] = [Number(found[1]), Number(found[2]), Number(found[3])];
  return year !== 0 && day >= 1 && day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}
const packageFormats = { "date-time": { validate: isDateTime } };
function codePoints(text) {
  let count = 0;
  for (const _point of text) count += 1;
  return count;
}
`;
const LENGTH_HELPER = 'require("ajv/dist/runtime/ucs2length").default';

function compile(esm) {
  // allErrors: an invalid message gets every finding, as in the Python package; valid messages,
  // nearly all of a stream, pass every check either way and run as fast.
  const ajv = new Ajv2020({
    strict: true,
    allErrors: true,
    allowUnionTypes: true,
    code: { source: true, esm, lines: false, formats: _`packageFormats` },
  });
  ajv.addFormat("date-time", { validate: () => true });
  ajv.addSchema(bundle);
  const code = standaloneCode(ajv, { validateEvent: bundle.$id, validateFrame: frameId });
  const body = code.replaceAll(LENGTH_HELPER, "codePoints");
  if (body.includes("require(")) throw new Error("the compiled validators still require a module");
  const banner =
    "/* Compiled by `nox -s generate` from schemas/ with ajv's standalone mode; do not edit. */";
  return `${banner}\n${body.replace('"use strict";', `"use strict";${PRELUDE}`)}\n`;
}

writeFileSync(esmPath, compile(true));
writeFileSync(cjsPath, compile(false));
