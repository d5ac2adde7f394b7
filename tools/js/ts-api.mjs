// The API reference of the npm package, from its declarations: for each entry module, every
// exported declaration with its documentation comment and its declared signature, as
// Markdown. Run by `nox -s generate` (the page is generated, and checked fresh by a test).
// Usage: node tools/js/ts-api.mjs PACKAGE_DIR OUT.md MODULE...
import { writeFileSync } from "node:fs";
import { documentation, nameOf, readExports } from "./declarations.mjs";

const [packageDir, out, ...modules] = process.argv.slice(2);

const lines = [];
for (const module of modules) {
  const { source, entries } = readExports(packageDir, module);
  lines.push(`## 8x8-event-types/${module}`, "");
  const first = source.statements[0];
  const moduleDoc = first ? documentation(first) : "";
  const firstEntry = first ? entries.get(nameOf(first)) : undefined;
  const firstDoc = firstEntry?.statements.map(documentation).find(Boolean) ?? "";
  if (moduleDoc && firstDoc !== moduleDoc) {
    lines.push(moduleDoc, "");
  }
  for (const [name, { kind, statements }] of entries) {
    lines.push(`### \`${name}\``, "", `*${kind}*`, "");
    const doc = statements.map(documentation).find(Boolean);
    if (doc) lines.push(doc, "");
    if (statements.length)
      lines.push("```ts", ...statements.map((s) => s.getText(source)), "```", "");
    else lines.push("Exported from another module of the package.", "");
  }
}
writeFileSync(out, lines.join("\n"));
