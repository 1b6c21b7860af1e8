// Unit tests of --filter globs over Harbor endpoint names.
import * as assert from "node:assert/strict";
import { compileGlob } from "../../../cli/glob";

const m = (glob: string, name: string) => compileGlob(glob).matches(name);

describe("cli generate: --filter globs", () => {
  it("matches the whole name, case-sensitively", () => {
    assert.ok(m("hub", "hub"));
    assert.ok(!m("hub", "Hub"));
    assert.ok(!m("hub", "hub-eu"));
  });
  it("* matches any run, spaces and slashes included; ? one character (one code point)", () => {
    assert.ok(m("docker*", "docker hub/eu"));
    assert.ok(m("*", ""));
    assert.ok(m("h?b", "hüb"));
    assert.ok(m("?", "😀"));
    assert.ok(!m("h?b", "hb"));
  });
  it("supports classes, ranges, negation and a leading ]", () => {
    assert.ok(m("[ab]x", "bx"));
    assert.ok(m("v[0-9]", "v7"));
    assert.ok(!m("[!ab]x", "ax"));
    assert.ok(m("[^ab]x", "cx"));
    assert.ok(m("[]]", "]"));
    assert.ok(m("[a-]", "-"));
  });
  it("treats regular-expression syntax literally and honours \\ escapes", () => {
    assert.ok(m("a.b+(c)|{d}$^", "a.b+(c)|{d}$^"));
    assert.ok(!m("a.b", "axb"));
    assert.ok(m("\\*", "*"));
    assert.ok(!m("\\*", "x"));
    assert.ok(m("a-b/c", "a-b/c"));
  });
  it("rejects an unterminated class, a trailing backslash and a reversed range, naming the glob", () => {
    assert.throws(() => compileGlob("[abc"), /"\[abc" has a \[ without its closing \]/);
    assert.throws(() => compileGlob("x\\"), /ends with a lone \\/);
    assert.throws(() => compileGlob("[z-a]"), /invalid \[ \] range/);
  });
});
