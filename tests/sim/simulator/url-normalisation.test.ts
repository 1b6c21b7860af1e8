// Simulator: Harbor's ValidateHTTPURL normalisation table (semantics.md §3) through POST /registries.
import * as assert from "node:assert/strict";
import type { HarborSimulator } from "../../../simulator";
import { startTestSimulator } from "../../support/sim";
import { call, harborErr } from "./helpers";

const STORED: [string, string][] = [
  ["http://harbor.foo.com/", "http://harbor.foo.com"],
  ["example.com", "http://example.com"],
  ["http://example.com/redirect?key=value", "http://example.com/redirect"],
  ["http://10.0.0.1/test.txt#/api/version", "http://10.0.0.1/test.txt"],
  ["  https://Registry.Example.COM///  ", "https://Registry.Example.COM"],
  ["HTTPS://x.example", "https://x.example"],
  ["https://user:pw@host.example:5000/path", "https://host.example:5000/path"],
  ["http://host/a%20b", "http://host/a b"],
];

const REJECTED: [string, string][] = [
  ["ftp://example.com", "invalid HTTP scheme: ftp"],
  ["/", "empty string"],
  ["   ", "empty string"],
  ["http://127.0.0.%31/", 'invalid URL: parse "http://127.0.0.%31": invalid URL escape "%31"'],
  ["http://host:abc", 'invalid URL: parse "http://host:abc": invalid port ":abc" after host'],
  ["://nohost", 'invalid URL: parse "://nohost": missing protocol scheme'],
];

describe("simulator URL normalisation (ValidateHTTPURL)", () => {
  let sim: HarborSimulator;
  before(async () => {
    sim = await startTestSimulator();
  });
  after(async () => {
    await sim.close();
  });

  STORED.forEach(([input, stored], i) => {
    it(`stores ${JSON.stringify(input)} as ${stored}`, async () => {
      const r = await call(sim, "POST", "/registries", { body: { name: `n${i}`, type: "huawei-SWR", url: input } });
      assert.equal(r.status, 201, r.text);
      const id = Number(r.headers.get("location")!.split("/").pop());
      assert.equal(((await call(sim, "GET", `/registries/${id}`)).json as { url: string }).url, stored);
    });
  });

  for (const [input, message] of REJECTED) {
    it(`rejects ${JSON.stringify(input)} with 400 "${message}"`, async () => {
      const r = await call(sim, "POST", "/registries", { body: { name: "bad", type: "huawei-SWR", url: input } });
      assert.equal(r.status, 400);
      assert.deepEqual(harborErr(r), { code: "BAD_REQUEST", message });
    });
  }

  it("escapes <, > and & in error messages like Go's json.Marshal", async () => {
    const r = await call(sim, "POST", "/registries", { body: { name: "bad", type: "huawei-SWR", url: "http://x:<1>" } });
    assert.equal(r.status, 400);
    assert.ok(r.text.includes("\\u003c") && !r.text.includes("<"), r.text);
  });
});
