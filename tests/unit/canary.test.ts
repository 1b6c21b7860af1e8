// Unit tests of the shared canary mechanism: a leak is found in every form a secret travels in.
import assert from "node:assert/strict";
import { assertNoCanary, canary, findCanaries, watchWritesForCanaries } from "../support/canary";

describe("canary secrets", () => {
  const secret = canary("unit");

  it("are unique and recognisable", () => {
    assert.notEqual(canary("unit"), secret);
    assert.match(secret, /^Canary-unit-/);
  });

  for (const [form, text] of [
    ["raw", `error: ${secret}`],
    ["percent-encoded", `?q=${encodeURIComponent(`${secret} x`)}`],
    ["JSON-escaped", JSON.stringify({ a: `x"${secret}` })],
    ["base64 in a Basic token after a user name", `Authorization: Basic ${Buffer.from(`robot$ci:${secret}`).toString("base64")}`],
    ["base64 at another alignment", Buffer.from(`ab${secret}xyz`).toString("base64")],
  ] as const) {
    it(`are found ${form}`, () => {
      assert.deepEqual(findCanaries(text, [secret]), [secret]);
      assert.throws(() => assertNoCanary("the text", text, [secret]), (e: Error) => !e.message.includes(secret));
    });
  }

  it("are found in a watched stream's writes, also when split across two writes", () => {
    const written: string[] = [];
    const stream = { write: (chunk: string) => written.push(chunk) > 0 };
    const found = new Set<string>();
    watchWritesForCanaries(stream as never, found);
    stream.write("clean line\n");
    assert.equal(found.size, 0);
    stream.write(`oops ${secret.slice(0, 10)}`);
    stream.write(`${secret.slice(10)} end\n`);
    assert.deepEqual([...found], [secret]);
    assert.equal(written.join(""), `clean line\noops ${secret} end\n`, "writes pass through unchanged");
  });

  it("are not found in clean text", () => {
    assert.deepEqual(findCanaries("nothing to see [REDACTED]", [secret]), []);
  });
});
