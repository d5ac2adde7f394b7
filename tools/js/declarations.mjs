// The exported declarations of one entry module of the npm package, read from its .d.ts:
// shared by the API reference (ts-api.mjs) and the API check of the release gate
// (ts-surface.mjs), so both see the same exports.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";

export function documentation(node) {
  const comments = (node.jsDoc ?? []).map((doc) => ts.getTextOfJSDocComment(doc.comment) ?? "");
  return comments.join("\n\n").trim();
}

function exported(node) {
  return (ts.getCombinedModifierFlags(node) & ts.ModifierFlags.Export) !== 0;
}

export function nameOf(node) {
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

/** The module's source file and its exports: name → {kind, statements}, in source order;
 * a name only re-exported (`export { X }`) has kind "re-export" and no statement. */
export function readExports(packageDir, module) {
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
    const entry = entries.get(name) ?? { kind, statements: [] };
    entry.statements.push(statement);
    entries.set(name, entry);
  }
  for (const statement of source.statements) {
    if (ts.isExportDeclaration(statement) && statement.exportClause) {
      for (const element of statement.exportClause.elements ?? []) {
        const name = element.name.getText();
        if (!entries.has(name)) entries.set(name, { kind: "re-export", statements: [] });
      }
    }
  }
  return { source, entries };
}
