// Simulator: /projects stores every field it accepts (metadata, quota, CVE allowlist) and refuses what it does not implement.
import * as assert from "node:assert/strict";
import type { HarborSimulator } from "../../../simulator";
import { startTestSimulator } from "../../support/sim";
import { assertMatchesDefinition } from "../../support/swagger";
import { assertBadRequest, call, createRegistry, harborErr, swr } from "./helpers";

type Json = Record<string, unknown>;

describe("simulator /projects", () => {
  let sim: HarborSimulator;
  let upstream: number;

  beforeEach(async () => {
    sim = await startTestSimulator({ users: [{ username: "dev", password: "pw" }] });
    upstream = await createRegistry(sim, { name: "upstream", type: "docker-registry", url: sim.url });
  });
  afterEach(async () => {
    await sim.close();
  });

  async function create(body: Json, auth?: [string, string]): Promise<number> {
    const r = await call(sim, "POST", "/projects", { body, auth });
    assert.equal(r.status, 201, r.text);
    return Number(r.headers.get("location")!.split("/").pop());
  }

  async function get(id: number | string): Promise<Json> {
    const r = await call(sim, "GET", `/projects/${id}`);
    assert.equal(r.status, 200, r.text);
    assertMatchesDefinition(r.json, "Project");
    return r.json as Json;
  }

  it("stores every metadata field sent and returns them in go-swagger's order", async () => {
    const metadata = {
      public: "true", enable_content_trust: "true", enable_content_trust_cosign: "false", prevent_vul: "true", severity: "high",
      auto_scan: "true", auto_sbom_generation: "false", reuse_sys_cve_allowlist: "false", proxy_cache_local_on_not_found: "true",
      proxy_referrer_api: "false",
    };
    const p = await get(await create({ project_name: "apps", metadata }));
    assert.deepEqual(p.metadata, Object.fromEntries(Object.entries(metadata).sort(([a], [b]) => a.localeCompare(b))));
    assert.equal(p.name, "apps");
    assert.equal(p.owner_name, "admin");
  });

  it("defaults metadata.public to \"false\", fills it from the deprecated `public`, and rejects other values", async () => {
    assert.deepEqual((await get(await create({ project_name: "private" }))).metadata, { public: "false" });
    assert.deepEqual((await get(await create({ project_name: "legacy", public: true }))).metadata, { public: "true" });
    assert.deepEqual((await get(await create({ project_name: "both", public: true, metadata: { public: "false" } }))).metadata, { public: "false" });
    assertBadRequest(await call(sim, "POST", "/projects", { body: { project_name: "x", metadata: { public: "yes" } } }),
      "metadata.public should only be 'true' or 'false', but got: 'yes'");
  });

  it("stores storage_limit as the project's quota: the admin's value, otherwise -1 (unlimited)", async () => {
    assert.equal(sim.storedProject(await create({ project_name: "q1", storage_limit: 1073741824 }))!.storageLimit, 1073741824);
    assert.equal(sim.storedProject(await create({ project_name: "q2", storage_limit: 0 }))!.storageLimit, -1);
    assert.equal(sim.storedProject(await create({ project_name: "q3" }))!.storageLimit, -1);
    assert.equal(sim.storedProject(await create({ project_name: "q4", storage_limit: 5 }, ["dev", "pw"]))!.storageLimit, -1);
    assertBadRequest(await call(sim, "POST", "/projects", { body: { project_name: "q5", storage_limit: -7 } }), "invalid value for resource storage");
  });

  it("keeps proxy-cache metadata only for proxy-cache projects, where content trust is dropped and a retention policy is recorded", async () => {
    const md = { proxy_speed_kb: "512", max_upstream_conn: "4", enable_content_trust: "true" };
    assert.deepEqual((await get(await create({ project_name: "plain", metadata: md }))).metadata, { enable_content_trust: "true", public: "false" });
    const cache = await get(await create({ project_name: "cache", registry_id: upstream, metadata: md }));
    assert.equal(cache.registry_id, upstream);
    assert.deepEqual(cache.metadata, { max_upstream_conn: "4", proxy_speed_kb: "512", public: "false", retention_id: "1" });
  });

  it("validates proxy-cache settings with Harbor's messages", async () => {
    const post = (body: Json) => call(sim, "POST", "/projects", { body: { project_name: "c", ...body } });
    assertBadRequest(await post({ registry_id: 0 }), "0 is invalid value of registry_id, it should be geater than 0");
    assertBadRequest(await post({ registry_id: upstream, metadata: { proxy_speed_kb: "fast" } }),
      "metadata.proxy_speed_kb should by an int32, but got: 'fast', err: strconv.ParseInt: parsing \"fast\": invalid syntax");
    assertBadRequest(await post({ registry_id: upstream, metadata: { max_upstream_conn: "99999999999" } }),
      "metadata.max_upstream_conn should be an int, but got '99999999999', err: strconv.ParseInt: parsing \"99999999999\": value out of range");
    assertBadRequest(await post({ metadata: { retention_id: "3" } }),
      "the retention_id in the request's payload when creating a project should be omitted, alternatively passing an empty string");
    const forbidden = await call(sim, "POST", "/projects", { body: { project_name: "c", registry_id: upstream }, auth: ["dev", "pw"] });
    assert.deepEqual(harborErr(forbidden), { code: "FORBIDDEN", message: "Only system admin can create proxy cache project" });
  });

  it("refuses the proxy-cache repository filter, which the simulator does not implement, instead of dropping it", async () => {
    const r = await call(sim, "POST", "/projects", {
      body: { project_name: "filtered", registry_id: upstream, metadata: { proxy_cache_filter_pattern: "library/**", proxy_cache_filter_kind: "doublestar" } },
    });
    assertBadRequest(r, "metadata.proxy_cache_filter_pattern is not supported by the Harbor simulator");
    assert.equal(sim.storedProject(2), undefined);
    assert.equal((await call(sim, "POST", "/projects", { body: { project_name: "ok", registry_id: upstream, metadata: { proxy_cache_filter_pattern: "" } } })).status, 201);
  });

  it("answers 422 for a project_name over 255 characters and for wrong JSON types", async () => {
    const long = await call(sim, "POST", "/projects", { body: { project_name: "a".repeat(256) } });
    assert.equal(long.status, 422);
    assert.equal(harborErr(long).message, "validation failure list:\nproject_name in body should be at most 255 chars long");
    const typed = await call(sim, "POST", "/projects", { body: { project_name: "t", metadata: { auto_scan: true } } });
    assert.equal(harborErr(typed).message,
      "validation failure list:\nparsing project body from \"\" failed, because json: cannot unmarshal bool into Go struct field ProjectReq.metadata.auto_scan of type string");
  });

  it("puts the name in Location with X-Resource-Name-In-Location", async () => {
    const r = await call(sim, "POST", "/projects", { body: { project_name: "named" }, headers: { "X-Resource-Name-In-Location": "true" } });
    assert.equal(r.headers.get("location"), "/api/v2.0/projects/named");
  });

  describe("update (PUT)", () => {
    it("merges the metadata sent and stores the CVE allowlist with its expiry", async () => {
      const id = await create({ project_name: "apps", metadata: { auto_scan: "true", severity: "low" } });
      const put = await call(sim, "PUT", `/projects/${id}`, {
        body: { metadata: { severity: "critical", prevent_vul: "true" }, cve_allowlist: { items: [{ cve_id: "CVE-2024-1" }, { cve_id: "CVE-2024-2" }], expires_at: 1900000000 } },
      });
      assert.equal(put.status, 200, put.text);
      const p = await get(id);
      assert.deepEqual(p.metadata, { auto_scan: "true", prevent_vul: "true", public: "false", severity: "critical" });
      const allowlist = p.cve_allowlist as Json;
      assert.deepEqual(allowlist.items, [{ cve_id: "CVE-2024-1" }, { cve_id: "CVE-2024-2" }]);
      assert.equal(allowlist.expires_at, 1900000000);
      assert.equal(allowlist.project_id, id);
    });

    it("checks cve_allowlist.project_id and retention_id, and refuses unsupported proxy-cache metadata", async () => {
      const id = await create({ project_name: "apps" });
      assertBadRequest(await call(sim, "PUT", `/projects/${id}`, { body: { cve_allowlist: { project_id: 99, items: [] } } }),
        `project_id in cve_allowlist must be ${id} but it's 99`);
      assertBadRequest(await call(sim, "PUT", `/projects/${id}`, { body: { metadata: { retention_id: "5" } } }),
        "the retention_id in the request's payload when updating a project should be omitted, alternatively passing the one that has already been associated to this project");
      const cache = await create({ project_name: "cache", registry_id: upstream });
      assert.equal((await call(sim, "PUT", `/projects/${cache}`, { body: { metadata: { retention_id: "1", proxy_speed_kb: "10" } } })).status, 200);
      assert.equal(((await get(cache)).metadata as Json).proxy_speed_kb, "10");
      assertBadRequest(await call(sim, "PUT", `/projects/${cache}`, { body: { metadata: { proxy_cache_filter_kind: "regex" } } }),
        "metadata.proxy_cache_filter_kind is not supported by the Harbor simulator");
    });

    it("lets the owner and the admin update, answers 403 to others and 404 for an unknown project", async () => {
      const mine = await create({ project_name: "mine" }, ["dev", "pw"]);
      assert.equal((await call(sim, "PUT", `/projects/${mine}`, { body: { metadata: { auto_scan: "true" } }, auth: ["dev", "pw"] })).status, 200);
      const admins = await create({ project_name: "admins" });
      assert.deepEqual(harborErr(await call(sim, "PUT", `/projects/${admins}`, { body: {}, auth: ["dev", "pw"] })), { code: "FORBIDDEN", message: "dev" });
      assert.equal((await call(sim, "PUT", "/projects/nope", { body: {} })).status, 404);
    });
  });
});
