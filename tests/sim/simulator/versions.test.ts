// Simulator: behaviour differences between Harbor v2.14.0, v2.15.2 (default) and HEAD (v2.16.0).
import * as assert from "node:assert/strict";
import type { HarborSimulator } from "../../../simulator";
import { startTestSimulator } from "../../support/sim";
import { createTestTls, type TestTls } from "../../support/tls";
import { basicAuthRegistry, call, createRegistry, harborErr, swr, type FakeRegistry } from "./helpers";

describe("simulator version flavours", () => {
  let sim: HarborSimulator | undefined;
  let reg: FakeRegistry | undefined;
  afterEach(async () => {
    await sim?.close();
    await reg?.close();
    sim = undefined;
    reg = undefined;
  });

  describe("v2.16.0 (HEAD)", () => {
    beforeEach(async () => {
      sim = await startTestSimulator({ harborVersion: "v2.16.0" });
    });

    it("clears the stored secret when the URL changes without a new secret", async () => {
      const id = await createRegistry(sim!, swr("a", { credential: { access_key: "u", access_secret: "p" } }));
      await call(sim!, "PUT", `/registries/${id}`, { body: { url: "https://swr.example.test/" } });
      assert.equal(sim!.storedRegistry(id)!.accessSecret, "p", "same URL after normalisation keeps the secret");
      await call(sim!, "PUT", `/registries/${id}`, { body: { url: "https://elsewhere.example.test" } });
      assert.equal(sim!.storedRegistry(id)!.accessSecret, "");
      assert.deepEqual(((await call(sim!, "GET", `/registries/${id}`)).json as { credential: unknown }).credential, { access_key: "u", type: "basic" });
    });

    it("keeps a secret supplied together with the new URL", async () => {
      const id = await createRegistry(sim!, swr("a", { credential: { access_key: "u", access_secret: "p" } }));
      await call(sim!, "PUT", `/registries/${id}`, { body: { url: "https://elsewhere.example.test", access_secret: "q" } });
      assert.equal(sim!.storedRegistry(id)!.accessSecret, "q");
    });

    it("answers 404 `registry 0 not found` for PUT on id 0", async () => {
      assert.deepEqual(harborErr(await call(sim!, "PUT", "/registries/0", { body: { name: "" } })), { code: "NOT_FOUND", message: "registry 0 not found" });
    });

    it("ignores url overrides on a ping by id, so the stored secret is never sent elsewhere", async () => {
      reg = await basicAuthRegistry("u", "p");
      const id = await createRegistry(sim!, { name: "r", type: "docker-registry", url: reg.url, credential: { access_key: "u", access_secret: "p" } });
      const attacker = await basicAuthRegistry("u", "p");
      try {
        assert.equal((await call(sim!, "POST", "/registries/ping", { body: { id, url: attacker.url } })).status, 200);
        assert.equal(attacker.requests.length, 0);
      } finally {
        await attacker.close();
      }
    });

    it("reports harbor_version v2.16.0-… in systeminfo", async () => {
      assert.match(((await call(sim!, "GET", "/systeminfo")).json as { harbor_version: string }).harbor_version, /^v2\.16\.0-/);
    });
  });

  describe("v2.15.2 (default)", () => {
    let tls: TestTls;
    before(() => {
      tls = createTestTls();
    });
    after(() => {
      tls?.cleanup();
    });

    it("honours url overrides on a ping by id (the pre-fix behaviour)", async () => {
      sim = await startTestSimulator();
      reg = await basicAuthRegistry("u", "p");
      const id = await createRegistry(sim, swr("a", { credential: { access_key: "u", access_secret: "p" } }));
      assert.equal((await call(sim, "POST", "/registries/ping", { body: { id, type: "docker-registry", url: reg.url } })).status, 200);
      assert.equal(reg.requests.at(-1)!.authorization, `Basic ${Buffer.from("u:p").toString("base64")}`);
    });

    it("stores and returns ca_certificate verbatim", async () => {
      sim = await startTestSimulator();
      const ca = tls.caPem;
      const id = await createRegistry(sim, swr("a", { ca_certificate: ca }));
      assert.equal(((await call(sim, "GET", `/registries/${id}`)).json as { ca_certificate: string }).ca_certificate, ca);
    });
  });

  describe("v2.14.0", () => {
    it("ignores ca_certificate (no validation, not stored, absent from responses)", async () => {
      sim = await startTestSimulator({ harborVersion: "v2.14.0" });
      const id = await createRegistry(sim, swr("a", { ca_certificate: "not a certificate" }));
      const body = (await call(sim, "GET", `/registries/${id}`)).json as Record<string, unknown>;
      assert.ok(!("ca_certificate" in body));
      assert.equal(sim.storedRegistry(id)!.caCertificate, "");
    });
  });
});
