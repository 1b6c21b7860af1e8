// Unit tests of the TypeScript literals and comments built from Harbor's values: exact round trips, nothing hidden.
import * as assert from "node:assert/strict";
import * as vm from "node:vm";
import { commentLines, propertyKey, stringLiteral, templateLiteral } from "../../../cli/generate/ts-literal";

/** Evaluates a JavaScript expression in strict mode: what the compiled module would hold. */
function evaluate(expression: string): unknown {
  return vm.runInNewContext(`"use strict"; (${expression})`);
}

const TRICKY = [
  "plain",
  'quote " and \\ backslash',
  "line\nbreak\r\nand CR\r",
  "tab\tand NUL\u0000 then digit \u00001",
  "separators \u2028 \u2029",
  "bidi \u202e override \u2066 isolate, zero width \u200b, BOM \ufeff",
  "lone surrogate \ud800 and \udc00",
  "emoji 😀 and 华为 and Zürich",
  "template ${danger} and `backtick`",
  "$ alone and $$ and {}",
];

describe("cli generate: TypeScript literals", () => {
  it("string literals evaluate to exactly the value", () => {
    for (const v of TRICKY) assert.equal(evaluate(stringLiteral(v)), v, JSON.stringify(v));
  });
  it("template literals evaluate to exactly the value, CRLF included", () => {
    for (const v of [...TRICKY, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", "a\r\nb"]) {
      assert.equal(evaluate(templateLiteral(v)), v, JSON.stringify(v));
    }
  });
  it("keeps readable letters of any script as they are, and spells invisible characters as escapes", () => {
    assert.equal(stringLiteral("Zürich 华为"), '"Zürich 华为"');
    assert.equal(stringLiteral("a\u202eb"), '"a\\u202eb"');
    for (const v of TRICKY) assert.doesNotMatch(stringLiteral(v), /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u, JSON.stringify(v));
  });
  it("template literals keep real line breaks and nothing else invisible", () => {
    const t = templateLiteral("a\nb\r\nc\u202e");
    assert.equal(t, "`a\nb\\r\nc\\u202e`");
  });
  it("comments give one // line per line of text and cannot be ended early", () => {
    assert.deepEqual(commentLines("first\nsecond\r\n\nthird\u2028fourth  "), ["// first", "// second", "//", "// third", "// fourth"]);
    assert.deepEqual(commentLines("x\u202ey", "  ", "- "), ["  // - x\\u202ey"]);
    for (const v of TRICKY) {
      const source = commentLines(v).join("\n");
      // A comment-only program does nothing: any text that escaped the comment would be a syntax error or code.
      assert.equal(vm.runInNewContext(`"use strict";\n${source}\n42`), 42, JSON.stringify(v));
    }
  });
  it("quotes property keys only when they are not identifiers", () => {
    assert.equal(propertyKey("hub"), "hub");
    assert.equal(propertyKey("Docker Hub"), '"Docker Hub"');
    assert.equal(propertyKey("2x"), '"2x"');
  });
});
