// Simulator sources: every exported type, interface and class documents every member with TSDoc.
import * as assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import * as ts from "typescript";

/** The repository's simulator/ directory (tests run from dist/tests/sim/simulator). */
const SIMULATOR_DIR = resolve(__dirname, "../../../../simulator");

function documented(node: ts.Node): boolean {
  return ts.getJSDocCommentsAndTags(node).length > 0;
}

function memberName(m: ts.Node, src: ts.SourceFile): string {
  if (ts.isConstructorDeclaration(m)) return "constructor";
  const name = (m as { name?: ts.Node }).name;
  return name ? name.getText(src) : "?";
}

/** Members of an exported declaration (and of object types nested in it) that carry no TSDoc. */
function undocumentedMembers(decl: ts.Node, owner: string, src: ts.SourceFile): string[] {
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    let members: readonly ts.Node[] = [];
    if (ts.isInterfaceDeclaration(node) || ts.isTypeLiteralNode(node)) members = node.members;
    else if (ts.isClassDeclaration(node)) {
      members = node.members.filter((m) => {
        const isPrivate = (ts.getCombinedModifierFlags(m as ts.Declaration) & ts.ModifierFlags.Private) !== 0;
        return !isPrivate && !(m.name !== undefined && ts.isPrivateIdentifier(m.name));
      });
      for (const m of members) {
        if (!ts.isConstructorDeclaration(m)) continue;
        // Parameter properties (`readonly status: number`) are members too: they need an @param tag.
        for (const p of m.parameters) {
          if (ts.getModifiers(p)?.length && !documented(p)) out.push(`${owner}.${p.name.getText(src)}`);
        }
      }
    }
    for (const m of members) if (!documented(m)) out.push(`${owner}.${memberName(m, src)}`);
    ts.forEachChild(node, visit);
  };
  visit(decl);
  return out;
}

describe("simulator TSDoc", () => {
  it("documents every exported declaration and every member of exported types, interfaces and classes", () => {
    const missing: string[] = [];
    const files = readdirSync(SIMULATOR_DIR).filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"));
    assert.ok(files.length > 5, `found only ${files.length} simulator sources in ${SIMULATOR_DIR}`);
    for (const f of files) {
      const src = ts.createSourceFile(f, readFileSync(join(SIMULATOR_DIR, f), "utf8"), ts.ScriptTarget.Latest, true);
      for (const st of src.statements) {
        const exported = ts.canHaveModifiers(st) && (ts.getModifiers(st) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
        if (!exported) continue;
        if (ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st) || ts.isClassDeclaration(st)) {
          const name = st.name?.text ?? "?";
          if (!documented(st)) missing.push(`${f}: ${name}`);
          missing.push(...undocumentedMembers(st, name, src).map((m) => `${f}: ${m}`));
        } else if (ts.isFunctionDeclaration(st) || ts.isVariableStatement(st)) {
          if (!documented(st)) missing.push(`${f}: ${ts.isFunctionDeclaration(st) ? st.name?.text : st.declarationList.declarations[0]!.name.getText(src)}`);
        }
      }
    }
    assert.deepEqual(missing, []);
  });
});
