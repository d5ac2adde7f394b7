// Validates an AsyncAPI document with @asyncapi/parser (the reference parser), resolving its
// file references from the document's own folder. Usage:
//   node tools/js/asyncapi-check.mjs path/to/asyncapi.yaml
// Prints one JSON object: {"diagnostics": [{severity, code, message, path}], "schemaIds": [...],
// "messages": [{name, payloadTitle}]} where schemaIds lists every schema $id reachable from
// the document's messages.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { Parser, fromFile } from "@asyncapi/parser";

const path = resolve(process.argv[2]);
const parser = new Parser();
const { document, diagnostics } = await fromFile(parser, path).parse();
const found = new Set();
const walk = (node, seen) => {
  if (!node || typeof node !== "object" || seen.has(node)) return;
  seen.add(node);
  if (typeof node.$id === "string") found.add(node.$id);
  for (const value of Object.values(node)) walk(value, seen);
};
const messages = [];
if (document) {
  for (const message of document.allMessages()) {
    walk(message.json(), new Set());
    const payload = message.payload();
    messages.push({ name: message.name(), payloadTitle: payload?.title() ?? null });
  }
}
process.stdout.write(
  JSON.stringify({
    diagnostics: diagnostics.map(({ severity, code, message, path }) => ({
      severity,
      code,
      message,
      path,
    })),
    schemaIds: [...found].sort(),
    messages,
    parsed: Boolean(document),
  }) + "\n",
);
