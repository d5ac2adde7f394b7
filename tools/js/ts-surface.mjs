// The public surface of the npm package's entry modules as JSON, for the release gate's API
// check: each export's kind and its declared types as written (parameters, return types,
// members), so a removal or a changed signature shows as a difference, as griffe shows it
// for the Python package. Types are compared as written, not structurally: a type that
// names `Event` keeps its text when the schemas gain an event type.
// Usage: node tools/js/ts-surface.mjs PACKAGE_DIR MODULE...  (JSON on standard output)
import ts from "typescript";
import { readExports } from "./declarations.mjs";

const [packageDir, ...modules] = process.argv.slice(2);

const text = (node) => (node ? node.getText().replace(/\s+/g, " ") : "any");

function parameters(node) {
  return node.parameters.map((p) => ({
    type: text(p.type),
    optional: Boolean(p.questionToken || p.initializer),
    rest: Boolean(p.dotDotDotToken),
  }));
}

function signature(node) {
  return {
    typeParameters: (node.typeParameters ?? []).map((t) => text(t)),
    parameters: parameters(node),
    returns: text(node.type),
  };
}

function members(node) {
  const found = Object.create(null);
  for (const member of node.members) {
    const isPrivate = (ts.getCombinedModifierFlags(member) & ts.ModifierFlags.Private) !== 0;
    if (isPrivate) continue;
    if (ts.isConstructorDeclaration(member)) {
      (found["new"] ??= { kind: "constructor", overloads: [] }).overloads.push(signature(member));
    } else if (ts.isMethodDeclaration(member) || ts.isMethodSignature(member)) {
      const name = member.name.getText();
      (found[name] ??= { kind: "method", overloads: [] }).overloads.push(signature(member));
    } else if (member.name && (member.type || ts.isPropertyDeclaration(member))) {
      found[member.name.getText()] = {
        kind: "property",
        optional: Boolean(member.questionToken),
        readonly: (ts.getCombinedModifierFlags(member) & ts.ModifierFlags.Readonly) !== 0,
        type: text(member.type),
      };
    } else if (ts.isGetAccessorDeclaration(member)) {
      found[member.name.getText()] = {
        kind: "property",
        optional: false,
        readonly: true,
        type: text(member.type),
      };
    }
  }
  return found;
}

function describe(kind, statements) {
  const first = statements[0];
  if (kind === "function") return { kind, overloads: statements.map(signature) };
  if (kind === "class" || kind === "interface") {
    const heritage = (first.heritageClauses ?? []).flatMap((c) => c.types.map((t) => text(t)));
    return {
      kind,
      typeParameters: (first.typeParameters ?? []).map((t) => text(t)),
      extends: heritage,
      members: members(first),
    };
  }
  if (kind === "type") {
    return {
      kind,
      typeParameters: (first.typeParameters ?? []).map((t) => text(t)),
      type: text(first.type),
    };
  }
  if (kind === "const") {
    return { kind, type: text(first.declarationList.declarations[0].type) };
  }
  return { kind };
}

const surface = {};
for (const module of modules) {
  const { entries } = readExports(packageDir, module);
  surface[module] = Object.fromEntries(
    [...entries].map(([name, { kind, statements }]) => [name, describe(kind, statements)]),
  );
}
process.stdout.write(JSON.stringify(surface, null, 2) + "\n");
