// Simulator: auth (401/403 with username), read-only mode, 422 binding errors, routing 404/405, X-Request-Id, misc routes.
import * as assert from "node:assert/strict";
import type { HarborSimulator } from "../../../simulator";
import { startTestSimulator } from "../../support/sim";
import { call, createRegistry, harborErr, swr } from "./helpers";

describe("simulator cross-cutting behaviour", () => {
  let sim: HarborSimulator;
  beforeEach(async () => {
    sim = await startTestSimulator({
      users: [
        { username: "dev", password: "devpw" },
        { username: "robot$ci", password: "robotpw", permissions: ["registry:read", "registry:list"] },
      ],
    });
  });
  afterEach(async () => {
    await sim.close();
  });

  describe("auth", () => {
    it("answers 401 UNAUTHORIZED to anonymous callers", async () => {
      const r = await call(sim, "GET", "/registries", { auth: null });
      assert.equal(r.status, 401);
      assert.deepEqual(harborErr(r), { code: "UNAUTHORIZED", message: "unauthorized" });
    });

    it("runs a wrong password as anonymous: 401, not an early error", async () => {
      assert.equal((await call(sim, "GET", "/registries", { auth: ["admin", "wrong"] })).status, 401);
      assert.equal((await call(sim, "GET", "/registries", { auth: ["nobody", "x"] })).status, 401);
    });

    it("answers 403 FORBIDDEN with the username for a non-admin user", async () => {
      const r = await call(sim, "GET", "/registries", { auth: ["dev", "devpw"] });
      assert.equal(r.status, 403);
      assert.deepEqual(harborErr(r), { code: "FORBIDDEN", message: "dev" });
    });

    it("lets a robot read with registry:read but forbids create (message = robot name)", async () => {
      const id = await createRegistry(sim, swr("a"));
      assert.equal((await call(sim, "GET", `/registries/${id}`, { auth: ["robot$ci", "robotpw"] })).status, 200);
      assert.equal((await call(sim, "POST", "/registries/ping", { auth: ["robot$ci", "robotpw"], body: { id } })).status, 200, "ping needs only registry:read");
      const r = await call(sim, "POST", "/registries", { auth: ["robot$ci", "robotpw"], body: swr("b") });
      assert.deepEqual(harborErr(r), { code: "FORBIDDEN", message: "robot$ci" });
      assert.equal((await call(sim, "GET", "/replication/adapters", { auth: ["robot$ci", "robotpw"] })).status, 403);
    });

    it("binds the body (422) before checking auth (401)", async () => {
      const r = await call(sim, "POST", "/registries", { auth: null });
      assert.equal(r.status, 422);
      assert.deepEqual(harborErr(r), { code: "UNPROCESSABLE_ENTITY", message: "validation failure list:\nregistry in body is required" });
    });

    it("checks auth (401) before validation of the body's content (400)", async () => {
      assert.equal((await call(sim, "POST", "/registries", { auth: null, body: { name: "" } })).status, 401);
      assert.equal((await call(sim, "POST", "/registries", { auth: ["dev", "devpw"], body: { name: "" } })).status, 403);
    });

    it("serves /systeminfo to anonymous callers without harbor_version, and with it when authenticated", async () => {
      const anon = (await call(sim, "GET", "/systeminfo", { auth: null })).json as Record<string, unknown>;
      assert.equal(anon.auth_mode, "db_auth");
      assert.ok(!("harbor_version" in anon));
      const authed = (await call(sim, "GET", "/systeminfo")).json as Record<string, unknown>;
      assert.match(authed.harbor_version as string, /^v2\.15\.2-[0-9a-f]{8}$/);
      assert.equal(authed.external_url, sim.url);
    });
  });

  describe("422 binding", () => {
    it("rejects a non-JSON content type", async () => {
      const r = await call(sim, "POST", "/registries", { raw: '{"name":"a"}', contentType: "text/plain" });
      assert.equal(harborErr(r).message, 'validation failure list:\nunsupported media type "text/plain", only [application/json] are allowed');
    });

    it("accepts application/json with a charset parameter", async () => {
      const r = await call(sim, "POST", "/registries", { body: swr("a"), contentType: "application/json; charset=utf-8" });
      assert.equal(r.status, 201);
    });

    it("rejects malformed JSON and wrong JSON types with Go's parse messages", async () => {
      const bad = await call(sim, "POST", "/registries", { raw: "{nope" });
      assert.match(harborErr(bad).message, /^validation failure list:\nparsing registry body from "" failed, because /);
      const wrongType = await call(sim, "POST", "/registries", { body: { name: 5 } });
      assert.equal(
        harborErr(wrongType).message,
        'validation failure list:\nparsing registry body from "" failed, because json: cannot unmarshal number into Go struct field Registry.name of type string',
      );
      const arr = await call(sim, "PUT", "/registries/1", { body: [] });
      assert.equal(arr.status, 422);
    });

    it("rejects a non-integer path id", async () => {
      const r = await call(sim, "GET", "/registries/abc");
      assert.deepEqual(harborErr(r), { code: "UNPROCESSABLE_ENTITY", message: 'validation failure list:\nid in path must be of type int64: "abc"' });
    });

    it("ignores unknown JSON fields", async () => {
      assert.equal((await call(sim, "POST", "/registries", { body: swr("a", { bogus: [1, 2] }) })).status, 201);
    });
  });

  describe("routing", () => {
    it("answers 404 NOT_FOUND for unknown paths and 405 METHOD_NOT_ALLOWED for wrong methods", async () => {
      const nf = await call(sim, "GET", "/nothing-here");
      assert.equal(nf.status, 404);
      assert.equal(harborErr(nf).code, "NOT_FOUND");
      const na = await call(sim, "PATCH", "/registries/1", { body: {} });
      assert.equal(na.status, 405);
      assert.equal(harborErr(na).code, "METHOD_NOT_ALLOWED");
      assert.equal(na.headers.get("allow"), "GET,PUT,DELETE");
    });

    it("uses Harbor's error envelope content type and a trailing newline", async () => {
      const r = await call(sim, "GET", "/registries/9");
      assert.equal(r.headers.get("content-type"), "application/json; charset=utf-8");
      assert.ok(r.text.endsWith("}\n"));
    });

    it("answers /ping with text Pong, /api/version with v2.0", async () => {
      const p = await call(sim, "GET", "/ping", { auth: null });
      assert.equal(p.text, "Pong");
      assert.match(p.headers.get("content-type")!, /^text\/plain/);
      assert.deepEqual((await call(sim, "GET", "//api/version", { auth: null })).json, { version: "v2.0" });
    });

  });

  describe("X-Request-Id", () => {
    it("echoes the caller's X-Request-Id on success and error responses", async () => {
      for (const path of ["/registries", "/registries/abc", "/registries/77", "/nowhere"]) {
        const r = await call(sim, "GET", path, { headers: { "X-Request-Id": "req-123" } });
        assert.equal(r.headers.get("x-request-id"), "req-123", path);
      }
    });

    it("generates a UUIDv4 when none was sent and logs it", async () => {
      const r = await call(sim, "GET", "/registries", { auth: null });
      const id = r.headers.get("x-request-id")!;
      assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.deepEqual(sim.requests.at(-1), { ...sim.requests.at(-1)!, method: "GET", path: "/api/v2.0/registries", status: 401, requestId: id });
    });
  });

  describe("read-only mode", () => {
    it("answers 403 DENIED to every write including ping, before auth and binding", async () => {
      sim.setReadOnly(true);
      for (const [m, p] of [["POST", "/registries"], ["POST", "/registries/ping"], ["PUT", "/registries/1"], ["DELETE", "/registries/1"]] as const) {
        const r = await call(sim, m, p, { auth: null });
        assert.equal(r.status, 403, `${m} ${p}`);
        assert.deepEqual(harborErr(r), { code: "DENIED", message: "The system is in read only mode. Any modification is prohibited." });
      }
      assert.equal((await call(sim, "GET", "/registries")).status, 200);
    });

    it("can be enabled at start", async () => {
      const ro = await startTestSimulator({ readOnly: true });
      try {
        assert.equal((await call(ro, "POST", "/registries", { body: swr("a") })).status, 403);
      } finally {
        await ro.close();
      }
    });
  });

  describe("adapters", () => {
    it("lists the default whitelisted adapter types byte-wise sorted", async () => {
      const r = await call(sim, "GET", "/replication/adapters");
      assert.deepEqual(r.json, [
        "ali-acr", "aws-ecr", "azure-acr", "docker-hub", "docker-registry", "github-ghcr", "google-gcr", "harbor", "huawei-SWR",
        "jfrog-artifactory", "tencent-tcr", "volcengine-cr",
      ]);
    });

    it("returns [] and {} for an empty whitelist", async () => {
      const s = await startTestSimulator({ adapterWhitelist: [] });
      try {
        assert.deepEqual((await call(s, "GET", "/replication/adapters")).json, []);
        assert.deepEqual((await call(s, "GET", "/replication/adapterinfos")).json, {});
      } finally {
        await s.close();
      }
    });

    it("still creates types hidden by the whitelist (quay)", async () => {
      const r = await call(sim, "POST", "/registries", { body: { name: "q", type: "quay", url: sim.url } });
      assert.equal(r.status, 201, r.text);
    });
  });
});

describe("simulator request log", () => {
  it("records method, path, query and body but never the Authorization credentials", async () => {
    const sim = await startTestSimulator();
    try {
      await call(sim, "GET", "/registries?page=1");
      const entry = sim.requests.at(-1)!;
      assert.deepEqual([entry.method, entry.path, entry.query, entry.status], ["GET", "/api/v2.0/registries", "page=1", 200]);
      assert.equal(entry.headers.authorization, "Basic [REDACTED]");
      assert.ok(!JSON.stringify(sim.requests).includes(Buffer.from(`admin:${sim.password}`).toString("base64")));
    } finally {
      await sim.close();
    }
  });
});
