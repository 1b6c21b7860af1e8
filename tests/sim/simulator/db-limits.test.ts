// Simulator: Harbor's registry table limits (Postgres refuses, Harbor answers 500) and Go's JSON decoding of text.
import * as assert from "node:assert/strict";
import type { HarborSimulator } from "../../../simulator";
import { encryptedSecretLength } from "../../../simulator/db-limits";
import { startTestSimulator } from "../../support/sim";
import { call, harborErr } from "./helpers";

const INTERNAL = { code: "UNKNOWN", message: "internal server error" };

describe("simulator database limits", () => {
  let sim: HarborSimulator;
  let head: HarborSimulator;
  before(async () => {
    sim = await startTestSimulator();
    head = await startTestSimulator({ harborVersion: "v2.16.0" });
  });
  after(async () => {
    await sim.close();
    await head.close();
  });

  const body = (over: Record<string, unknown> = {}, credential?: Record<string, unknown>) => ({
    name: "lim", type: "huawei-SWR", url: "https://swr.example.com", ...over, ...(credential ? { credential } : {}),
  });

  it("computes the stored length of a secret as <enc-v1> + base64(IV + ciphertext): 3050 bytes fit 4096, 3051 do not", () => {
    assert.equal(encryptedSecretLength("s".repeat(3050)), 4096);
    assert.equal(encryptedSecretLength("s".repeat(3051)), 4100);
    assert.equal(encryptedSecretLength(""), 0);
  });

  const rejected: [string, Record<string, unknown>, Record<string, unknown>?][] = [
    ["a NUL in name", { name: "a\u0000b" }],
    ["a NUL in description", { description: "a\u0000b" }],
    ["a NUL in access_key", {}, { access_key: "u\u0000", access_secret: "s" }],
    ["a URL of 257 characters", { url: `https://swr.example.com/${"p".repeat(233)}` }],
    ["an access_key of 256 characters", {}, { access_key: "k".repeat(256), access_secret: "s" }],
    ["an access_secret of 3051 bytes", {}, { access_key: "k", access_secret: "s".repeat(3051) }],
    ["a credential type of 17 characters", {}, { type: "t".repeat(17), access_key: "k", access_secret: "s" }],
  ];
  for (const [label, over, credential] of rejected) {
    it(`answers POST with ${label} 500 internal server error and stores nothing`, async () => {
      const before = sim.storedRegistries().length;
      const r = await call(sim, "POST", "/registries", { body: body(over, credential) });
      assert.equal(r.status, 500, r.text);
      assert.deepEqual(harborErr(r), INTERNAL);
      assert.equal(sim.storedRegistries().length, before);
    });
  }

  it("answers 500 before 409: Postgres refuses the values before it looks at the unique name", async () => {
    assert.equal((await call(sim, "POST", "/registries", { body: body({ name: "taken" }) })).status, 201);
    const r = await call(sim, "POST", "/registries", { body: body({ name: "taken", description: "\u0000" }) });
    assert.equal(r.status, 500);
  });

  it("answers a PUT that would overflow a column 500 and keeps the stored row", async () => {
    const created = await call(sim, "POST", "/registries", { body: body({ name: "put-lim" }, { access_key: "k", access_secret: "s" }) });
    const id = Number(created.headers.get("location")!.split("/").pop());
    const r = await call(sim, "PUT", `/registries/${id}`, { body: { access_secret: "s".repeat(4000) } });
    assert.equal(r.status, 500);
    assert.equal(sim.storedRegistry(id)!.accessSecret, "s");
  });

  it("accepts the largest values: 256-character URL, 255-character key, 3050-byte secret", async () => {
    const url = `https://swr.example.com/${"p".repeat(256 - "https://swr.example.com/".length)}`;
    const r = await call(sim, "POST", "/registries", { body: body({ name: "max", url }, { access_key: "k".repeat(255), access_secret: "s".repeat(3050) }) });
    assert.equal(r.status, 201, r.text);
  });

  it("allows a 4096-character access_key in Harbor 2.16 (HEAD migration 0190)", async () => {
    const r = await call(head, "POST", "/registries", { body: body({ name: "wide" }, { access_key: "k".repeat(4096), access_secret: "s" }) });
    assert.equal(r.status, 201, r.text);
    assert.equal((await call(head, "POST", "/registries", { body: body({ name: "wider" }, { access_key: "k".repeat(4097), access_secret: "s" }) })).status, 500);
  });

  it("stores U+FFFD for an unpaired surrogate escape, as Go's encoding/json decodes it", async () => {
    const r = await call(sim, "POST", "/registries", { raw: '{"name":"sur","type":"huawei-SWR","url":"https://swr.example.com","description":"a\\ud800b"}' });
    assert.equal(r.status, 201, r.text);
    const id = Number(r.headers.get("location")!.split("/").pop());
    assert.equal(sim.storedRegistry(id)!.description, "a\ufffdb");
  });
});
