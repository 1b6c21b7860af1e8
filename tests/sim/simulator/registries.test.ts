// Simulator: registry CRUD semantics, check order, messages, secret handling and the synthetic local registry.
import * as assert from "node:assert/strict";
import type { HarborSimulator } from "../../../simulator";
import { startTestSimulator } from "../../support/sim";
import { freePort } from "../../support/free-port";
import { call, createRegistry, harborErr, startFakeRegistry, swr } from "./helpers";

describe("simulator /registries", () => {
  let sim: HarborSimulator;
  beforeEach(async () => {
    sim = await startTestSimulator();
  });
  afterEach(async () => {
    await sim.close();
  });

  it("creates a registry, answers 201 with a relative Location and no body", async () => {
    const r = await call(sim, "POST", "/registries", { body: swr("a") });
    assert.equal(r.status, 201);
    assert.equal(r.headers.get("location"), "/api/v2.0/registries/1");
    assert.equal(r.text, "");
  });

  it("returns the stored registry with the secret masked and keys in go-swagger order", async () => {
    const id = await createRegistry(sim, swr("a", { description: "d", credential: { access_key: "u", access_secret: "s3cret" } }));
    const r = await call(sim, "GET", `/registries/${id}`);
    assert.equal(r.status, 200);
    const body = r.json as Record<string, unknown>;
    assert.deepEqual(Object.keys(body), ["creation_time", "credential", "description", "id", "name", "status", "type", "update_time", "url"]);
    assert.deepEqual(body.credential, { access_key: "u", access_secret: "*****", type: "basic" });
    assert.equal(body.status, "healthy");
    assert.match(body.creation_time as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.ok(!r.text.includes("s3cret"));
    assert.equal(sim.storedRegistry(id)!.accessSecret, "s3cret");
  });

  it("omits insecure, description, ca_certificate when empty and renders credential {} without an access key", async () => {
    const id = await createRegistry(sim, swr("a", { insecure: false, description: "", credential: { access_key: "", access_secret: "tok" } }));
    const body = (await call(sim, "GET", `/registries/${id}`)).json as Record<string, unknown>;
    assert.deepEqual(body.credential, {});
    for (const k of ["insecure", "description", "ca_certificate"]) assert.ok(!(k in body), k);
    assert.equal(sim.storedRegistry(id)!.accessSecret, "", "a token-only credential is dropped");
  });

  it("stores an empty credential type as basic and shows insecure when true", async () => {
    const id = await createRegistry(sim, swr("a", { insecure: true, credential: { access_key: "u" } }));
    const body = (await call(sim, "GET", `/registries/${id}`)).json as Record<string, unknown>;
    assert.equal(body.insecure, true);
    assert.deepEqual(body.credential, { access_key: "u", type: "basic" });
  });

  it("ignores id, status and times sent on create", async () => {
    const id = await createRegistry(sim, swr("a", { id: 99, status: "unhealthy", creation_time: "2000-01-01T00:00:00Z" }));
    assert.equal(id, 1);
    const body = (await call(sim, "GET", "/registries/1")).json as Record<string, unknown>;
    assert.equal(body.status, "healthy");
    assert.notEqual(body.creation_time, "2000-01-01T00:00:00.000Z");
  });

  it("serves id 0 as the synthetic Local registry and does not list it", async () => {
    const local = (await call(sim, "GET", "/registries/0")).json as Record<string, unknown>;
    assert.equal(local.name, "Local");
    assert.equal(local.id, 0);
    assert.equal(local.type, "harbor");
    assert.deepEqual(local.credential, { access_secret: "*****", type: "secret" });
    const list = await call(sim, "GET", "/registries");
    assert.deepEqual(list.json, []);
    assert.equal(list.headers.get("x-total-count"), "0");
  });

  it("answers 404 `registry <id> not found` for unknown ids on GET, PUT, DELETE and info", async () => {
    for (const [m, p, body] of [["GET", "/registries/7"], ["PUT", "/registries/7", {}], ["DELETE", "/registries/7"], ["GET", "/registries/7/info"]] as const) {
      const r = await call(sim, m, p, body ? { body } : {});
      assert.equal(r.status, 404, `${m} ${p}`);
      assert.deepEqual(harborErr(r), { code: "NOT_FOUND", message: "registry 7 not found" });
    }
  });

  describe("create check order", () => {
    it("rejects an invalid CA before an empty name", async () => {
      const r = await call(sim, "POST", "/registries", { body: { name: "", type: "huawei-SWR", url: "x", ca_certificate: "nope" } });
      assert.equal(r.status, 400);
      assert.match(harborErr(r).message, /^invalid CA certificate: /);
    });

    it("accepts an empty ca_certificate", async () => {
      assert.equal((await call(sim, "POST", "/registries", { body: swr("a", { ca_certificate: "" }) })).status, 201);
    });

    it("rejects an empty name with 400 `name cannot be empty`", async () => {
      const r = await call(sim, "POST", "/registries", { body: { type: "huawei-SWR", url: "x" } });
      assert.deepEqual(harborErr(r), { code: "BAD_REQUEST", message: "name cannot be empty" });
    });

    it("rejects a name over 64 bytes (multi-byte characters counted in bytes)", async () => {
      const ok = await call(sim, "POST", "/registries", { body: swr("a".repeat(64)) });
      assert.equal(ok.status, 201);
      const r = await call(sim, "POST", "/registries", { body: swr("é".repeat(33)) });
      assert.deepEqual(harborErr(r), { code: "BAD_REQUEST", message: "the max length of name is 64" });
    });

    it("rejects a bad URL before an unknown type", async () => {
      const r = await call(sim, "POST", "/registries", { body: { name: "a", type: "nope", url: "ftp://x" } });
      assert.deepEqual(harborErr(r), { code: "BAD_REQUEST", message: "invalid HTTP scheme: ftp" });
    });

    it("answers 500 UNKNOWN `internal server error` for an unknown or empty type", async () => {
      for (const type of ["nope", ""]) {
        const r = await call(sim, "POST", "/registries", { body: { name: "a", type, url: "http://x" } });
        assert.equal(r.status, 500);
        assert.deepEqual(harborErr(r), { code: "UNKNOWN", message: "internal server error" });
      }
    });

    it("answers 400 `the registry is unhealthy` for an unreachable docker-registry", async () => {
      const port = await freePort();
      const r = await call(sim, "POST", "/registries", { body: { name: "a", type: "docker-registry", url: `http://127.0.0.1:${port}` } });
      assert.deepEqual(harborErr(r), { code: "BAD_REQUEST", message: "the registry is unhealthy" });
    });

    it("answers 409 `registry <name> already exists` for a duplicate healthy name", async () => {
      await createRegistry(sim, swr("dup"));
      const r = await call(sim, "POST", "/registries", { body: swr("dup") });
      assert.equal(r.status, 409);
      assert.deepEqual(harborErr(r), { code: "CONFLICT", message: "registry dup already exists" });
    });

    it("checks health before uniqueness: an unreachable duplicate gets 400, not 409", async () => {
      await createRegistry(sim, swr("dup"));
      const port = await freePort();
      const r = await call(sim, "POST", "/registries", { body: { name: "dup", type: "docker-registry", url: `http://127.0.0.1:${port}` } });
      assert.equal(r.status, 400);
      assert.equal(harborErr(r).message, "the registry is unhealthy");
    });

    it("treats names case-sensitively", async () => {
      await createRegistry(sim, swr("Dup"));
      assert.equal((await call(sim, "POST", "/registries", { body: swr("dup") })).status, 201);
    });
  });

  describe("update", () => {
    it("keeps omitted fields, applies given ones, bumps update_time and keeps creation_time", async () => {
      const id = await createRegistry(sim, swr("a", { description: "old", credential: { access_key: "u", access_secret: "p" } }));
      const before = (await call(sim, "GET", `/registries/${id}`)).json as Record<string, string>;
      await new Promise((r) => setTimeout(r, 5));
      const put = await call(sim, "PUT", `/registries/${id}`, { body: { description: "new", type: "docker-hub", id: 55 } });
      assert.equal(put.status, 200);
      assert.equal(put.text, "");
      const after = (await call(sim, "GET", `/registries/${id}`)).json as Record<string, string>;
      assert.equal(after.description, "new");
      assert.equal(after.type, "huawei-SWR", "type cannot be changed");
      assert.equal(after.creation_time, before.creation_time);
      assert.ok(after.update_time! > before.update_time!);
      assert.equal(sim.storedRegistry(id)!.accessSecret, "p");
    });

    it("wipes the whole credential when access_key is set to empty", async () => {
      const id = await createRegistry(sim, swr("a", { credential: { access_key: "u", access_secret: "p", type: "oauth" } }));
      await call(sim, "PUT", `/registries/${id}`, { body: { access_key: "" } });
      const s = sim.storedRegistry(id)!;
      assert.deepEqual([s.accessKey, s.accessSecret, s.credentialType], ["", "", ""]);
    });

    it("re-runs the health check on every update (unhealthy → 400) and leaves the record unchanged", async () => {
      const port = await freePort();
      const id = await createRegistry(sim, swr("a"));
      const r = await call(sim, "PUT", `/registries/${id}`, { body: { url: `http://127.0.0.1:${port}` } });
      assert.equal(r.status, 200, "huawei-SWR is always healthy");
      const other = await createRegistry(sim, { name: "b", type: "docker-registry", url: sim.url });
      const bad = await call(sim, "PUT", `/registries/${other}`, { body: { url: `http://127.0.0.1:${port}`, description: "x" } });
      assert.deepEqual(harborErr(bad), { code: "BAD_REQUEST", message: "the registry is unhealthy" });
      assert.equal(sim.storedRegistry(other)!.url, sim.url);
    });

    it("answers 409 when renaming onto another registry's name", async () => {
      await createRegistry(sim, swr("a"));
      const b = await createRegistry(sim, swr("b"));
      const r = await call(sim, "PUT", `/registries/${b}`, { body: { name: "a" } });
      assert.deepEqual(harborErr(r), { code: "CONFLICT", message: "registry a already exists" });
    });

    it("normalises an updated URL and validates name and CA", async () => {
      const id = await createRegistry(sim, swr("a"));
      await call(sim, "PUT", `/registries/${id}`, { body: { url: "Example.COM/p?q=1" } });
      assert.equal(sim.storedRegistry(id)!.url, "http://Example.COM/p");
      await call(sim, "PUT", `/registries/${id}`, { body: { url: "Example.COM/p/?q=1" } });
      assert.equal(sim.storedRegistry(id)!.url, "http://Example.COM/p/", "trailing slashes are trimmed before the query is dropped");
      assert.equal(harborErr(await call(sim, "PUT", `/registries/${id}`, { body: { name: "" } })).message, "name cannot be empty");
      assert.match(harborErr(await call(sim, "PUT", `/registries/${id}`, { body: { ca_certificate: "junk" } })).message, /^invalid CA certificate/);
    });

    it("in v2.15.2 keeps the secret when only the URL changes", async () => {
      const id = await createRegistry(sim, swr("a", { credential: { access_key: "u", access_secret: "p" } }));
      await call(sim, "PUT", `/registries/${id}`, { body: { url: "https://other.example.test" } });
      assert.equal(sim.storedRegistry(id)!.accessSecret, "p");
    });

    it("in v2.15.2 answers 404 for id 0 after validation", async () => {
      const r = await call(sim, "PUT", "/registries/0", { body: { description: "x" } });
      assert.deepEqual(harborErr(r), { code: "NOT_FOUND", message: "registry 0 not found" });
    });

    it("in v2.15.2 health-checks id 0 before the 404: an unreachable harbor URL is a 500", async () => {
      const r = await call(sim, "PUT", "/registries/0", { body: { url: `http://127.0.0.1:${await freePort()}` } });
      assert.deepEqual(harborErr(r), { code: "UNKNOWN", message: "internal server error" });
    });

    it("in v2.15.2 health-checks id 0 before the 404: an unhealthy remote is a 400", async () => {
      const remote = await startFakeRegistry((req, res) => {
        if (req.url === "/api/version") res.writeHead(200, { "content-type": "application/json" }).end('{"version":"v2.0"}');
        else res.writeHead(503).end();
      });
      try {
        const r = await call(sim, "PUT", "/registries/0", { body: { url: remote.url } });
        assert.deepEqual(harborErr(r), { code: "BAD_REQUEST", message: "the registry is unhealthy" });
        assert.deepEqual(remote.requests.map((x) => x.url), ["/api/version", "/v2/"]);
      } finally {
        await remote.close();
      }
    });

    it("in v2.15.2 answers 404 for id 0 once a remote harbor is healthy", async () => {
      const remote = await startFakeRegistry((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end("{}"));
      try {
        const r = await call(sim, "PUT", "/registries/0", { body: { url: remote.url } });
        assert.deepEqual(harborErr(r), { code: "NOT_FOUND", message: "registry 0 not found" });
        assert.ok(remote.requests.some((x) => x.url === "/v2/"), "the health check ran");
      } finally {
        await remote.close();
      }
    });
  });

  describe("delete", () => {
    it("deletes an unreferenced registry (200, no body)", async () => {
      const id = await createRegistry(sim, swr("a"));
      const r = await call(sim, "DELETE", `/registries/${id}`);
      assert.equal(r.status, 200);
      assert.equal(sim.storedRegistry(id), undefined);
    });

    it("answers 412 while a replication policy references it as source or destination", async () => {
      const a = await createRegistry(sim, swr("a"));
      const b = await createRegistry(sim, swr("b"));
      sim.addReplicationPolicy({ name: "p1", srcRegistryId: a });
      const pr = await call(sim, "POST", "/replication/policies", { body: { name: "p2", dest_registry: { id: b } } });
      assert.equal(pr.status, 201);
      for (const id of [a, b]) {
        const r = await call(sim, "DELETE", `/registries/${id}`);
        assert.equal(r.status, 412);
        assert.deepEqual(harborErr(r), { code: "PRECONDITION", message: `the registry ${id} is referenced by replication policies, cannot delete it` });
      }
    });

    it("checks policies before proxy-cache projects, and frees the registry when both are gone", async () => {
      const a = await createRegistry(sim, { name: "a", type: "docker-registry", url: sim.url });
      const pol = sim.addReplicationPolicy({ name: "p1", srcRegistryId: a });
      const proj = await call(sim, "POST", "/projects", { body: { project_name: "cache", registry_id: a } });
      assert.equal(proj.status, 201);
      assert.match(harborErr(await call(sim, "DELETE", `/registries/${a}`)).message, /replication policies/);
      assert.equal((await call(sim, "DELETE", `/replication/policies/${pol}`)).status, 200);
      const r = await call(sim, "DELETE", `/registries/${a}`);
      assert.deepEqual(harborErr(r), { code: "PRECONDITION", message: `the registry ${a} is referenced by proxy cache project, cannot delete it` });
      const projectId = proj.headers.get("location")!.split("/").pop();
      assert.equal((await call(sim, "DELETE", `/projects/${projectId}`)).status, 200);
      assert.equal((await call(sim, "DELETE", `/registries/${a}`)).status, 200);
    });
  });

  describe("info", () => {
    it("describes a registry's filters and triggers; id 0 adds event_based", async () => {
      const id = await createRegistry(sim, swr("a"));
      const info = (await call(sim, "GET", `/registries/${id}/info`)).json as Record<string, unknown>;
      assert.equal(info.type, "huawei-SWR");
      assert.deepEqual(info.supported_triggers, ["manual", "scheduled"]);
      assert.deepEqual((info.supported_resource_filters as unknown[])[2], { type: "resource", style: "radio", values: ["image"] });
      const local = (await call(sim, "GET", "/registries/0/info")).json as Record<string, unknown>;
      assert.deepEqual(local.supported_triggers, ["manual", "scheduled", "event_based"]);
      assert.equal(local.supported_copy_by_chunk, true);
    });
  });

  describe("proxy-cache projects", () => {
    it("rejects registry types outside the proxy-cache list, ids <= 0 and unknown ids", async () => {
      const id = await createRegistry(sim, swr("a"));
      assert.deepEqual(harborErr(await call(sim, "POST", "/projects", { body: { project_name: "p", registry_id: id } })), {
        code: "BAD_REQUEST", message: "unsupported registry type huawei-SWR",
      });
      assert.equal((await call(sim, "POST", "/projects", { body: { project_name: "p", registry_id: 0 } })).status, 400);
      assert.equal((await call(sim, "POST", "/projects", { body: { project_name: "p", registry_id: 42 } })).status, 500);
    });

    it("lists and gets projects with registry_id", async () => {
      const id = await createRegistry(sim, { name: "a", type: "docker-registry", url: sim.url });
      const pid = sim.addProject({ name: "cache", registryId: id });
      const got = (await call(sim, "GET", `/projects/${pid}`)).json as Record<string, unknown>;
      assert.equal(got.registry_id, id);
      const byName = (await call(sim, "GET", "/projects/cache", { headers: { "X-Is-Resource-Name": "true" } })).json as Record<string, unknown>;
      assert.equal(byName.project_id, pid);
      const list = (await call(sim, "GET", "/projects")).json as Record<string, unknown>[];
      assert.deepEqual(list.map((p) => p.name), ["library", "cache"]);
    });
  });
});
