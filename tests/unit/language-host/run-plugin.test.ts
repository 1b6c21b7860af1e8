// Unit tests of the language host stand-in's RunPlugin helpers: runtime options and nodeargs as the Go host reads them.
import * as assert from "node:assert/strict";
import * as path from "node:path";

interface RunPluginModule {
  parseOptions(options: Record<string, unknown>): { typescript: boolean; tsconfig: string; nodeargs: string };
  splitArgs(text: string): string[];
}

// scripts/language-host is plain JavaScript run by node directly (dist/tests/unit/language-host → repository root).
const runPlugin = require(path.join(__dirname, "..", "..", "..", "..", "scripts", "language-host", "run-plugin.js")) as RunPluginModule;

describe("language host: RunPlugin options", () => {
  it("defaults typescript to true, like the Go host, and reads tsconfig and nodeargs", () => {
    assert.deepEqual(runPlugin.parseOptions({}), { typescript: true, tsconfig: "", nodeargs: "" });
    assert.deepEqual(runPlugin.parseOptions({ typescript: false, tsconfig: "tsconfig.pack.json", nodeargs: "--max-old-space-size=512" }), {
      typescript: false,
      tsconfig: "tsconfig.pack.json",
      nodeargs: "--max-old-space-size=512",
    });
  });

  it("rejects options of the wrong type with the Go host's messages", () => {
    assert.throws(() => runPlugin.parseOptions({ typescript: "yes" }), /typescript option must be a boolean/);
    assert.throws(() => runPlugin.parseOptions({ tsconfig: 1 }), /tsconfigpath option must be a string/);
    assert.throws(() => runPlugin.parseOptions({ nodeargs: ["-x"] }), /nodeargs option must be a string/);
  });

  it("splits nodeargs like a shell: whitespace, quotes and backslashes", () => {
    assert.deepEqual(runPlugin.splitArgs(""), []);
    assert.deepEqual(runPlugin.splitArgs("  --a   --b=1 "), ["--a", "--b=1"]);
    assert.deepEqual(runPlugin.splitArgs(`--title "two words" --x='it s' a\\ b ""`), ["--title", "two words", "--x=it s", "a b", ""]);
    assert.throws(() => runPlugin.splitArgs(`--x "open`), /unterminated quote/);
  });
});
