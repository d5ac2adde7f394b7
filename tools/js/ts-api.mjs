// The API reference of the npm package, from its declarations: for each entry module, every
// exported declaration with its documentation comment and its declared signature, as
// Markdown. Run by `nox -s generate` (the page is generated, and checked fresh by a test).
// Usage: node tools/js/ts-api.mjs PACKAGE_DIR OUT.md MODULE...
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";

const [packageDir, out, ...modules] = process.argv.slice(2);

function documentation(node) {
  const comments = (node.jsDoc ?? []).map((doc) => ts.getTextOfJSDocComment(doc.comment) ?? "");
  return comments.join("\n\n").trim();
}

function exported(node) {
  return (ts.getCombinedModifierFlags(node) & ts.ModifierFlags.Export) !== 0;
}

function nameOf(node) {
  if (ts.isVariableStatement(node)) {
    return node.declarationList.declarations.map((d) => d.name.getText()).join(", ");
  }
  return node.name ? node.name.getText() : "";
}

const KINDS = [
  [ts.isFunctionDeclaration, "function"],
  [ts.isClassDeclaration, "class"],
  [ts.isInterfaceDeclaration, "interface"],
  [ts.isTypeAliasDeclaration, "type"],
  [ts.isVariableStatement, "const"],
];

const lines = [];
for (const module of modules) {
  const path = join(packageDir, `${module}.d.ts`);
  const source = ts.createSourceFile(
    path,
    readFileSync(path, "utf8"),
    ts.ScriptTarget.Latest,
    true,
  );
  const entries = new Map();
  for (const statement of source.statements) {
    const kind = KINDS.find(([test]) => test(statement))?.[1];
    if (!kind || !exported(statement)) continue;
    const name = nameOf(statement);
    const entry = entries.get(name) ?? { kind, doc: "", signatures: [] };
    entry.doc ||= documentation(statement);
    entry.signatures.push(statement.getText(source));
    entries.set(name, entry);
  }
  for (const statement of source.statements) {
    if (ts.isExportDeclaration(statement) && statement.exportClause) {
      for (const element of statement.exportClause.elements ?? []) {
        const name = element.name.getText();
        if (!entries.has(name)) entries.set(name, { kind: "re-export", doc: "", signatures: [] });
      }
    }
  }
  lines.push(`## 8x8-event-types/${module}`, "");
  const moduleDoc = source.statements.length ? documentation(source.statements[0]) : "";
  if (moduleDoc && entries.get(nameOf(source.statements[0]))?.doc !== moduleDoc) {
    lines.push(moduleDoc, "");
  }
  for (const [name, { kind, doc, signatures }] of entries) {
    lines.push(`### \`${name}\``, "", `*${kind}*`, "");
    if (doc) lines.push(doc, "");
    if (signatures.length) lines.push("```ts", ...signatures, "```", "");
    else lines.push("Exported from another module of the package.", "");
  }
}
writeFileSync(out, lines.join("\n"));
