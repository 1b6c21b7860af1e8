// Simulator: /replication/policies stores and returns every field, validates as Harbor does, and supports PUT.
import * as assert from "node:assert/strict";
import type { HarborSimulator } from "../../../simulator";
import { startTestSimulator } from "../../support/sim";
import { assertMatchesDefinition } from "../../support/swagger";
import { assertBadRequest, call, createRegistry, harborErr, swr } from "./helpers";

type Json = Record<string, unknown>;

describe("simulator /replication/policies", () => {
  let sim: HarborSimulator;
  let remote: number;
  let other: number;

  beforeEach(async () => {
    sim = await startTestSimulator({ users: [{ username: "reader", password: "pw", permissions: ["replication-policy:read"] }] });
    remote = await createRegistry(sim, swr("remote"));
    other = await createRegistry(sim, swr("other"));
  });
  afterEach(async () => {
    await sim.close();
  });

  /** A pull policy from `remote`: the minimum Harbor accepts. */
  const pull = (name: string, extra: Json = {}): Json => ({ name, src_registry: { id: remote }, ...extra });

  async function create(body: Json): Promise<number> {
    const r = await call(sim, "POST", "/replication/policies", { body });
    assert.equal(r.status, 201, r.text);
    return Number(r.headers.get("location")!.split("/").pop());
  }

  async function get(id: number): Promise<Json> {
    const r = await call(sim, "GET", `/replication/policies/${id}`);
    assert.equal(r.status, 200, r.text);
    assertMatchesDefinition(r.json, "ReplicationPolicy");
    return r.json as Json;
  }

  describe("create and get: every field round-trips", () => {
    it("answers 201 with a relative Location and no body", async () => {
      const r = await call(sim, "POST", "/replication/policies/", { body: pull("p") });
      assert.equal(r.status, 201);
      assert.equal(r.headers.get("location"), "/api/v2.0/replication/policies/1");
      assert.equal(r.text, "");
    });

    it("stores name, description, dest_namespace, enabled, override and the trigger with its cron", async () => {
      const id = await create(pull("nightly", {
        description: "pull alpine", dest_namespace: "mirror/dockerhub", enabled: true, override: true,
        trigger: { type: "scheduled", trigger_settings: { cron: "0 30 2 * * *" } },
      }));
      const p = await get(id);
      assert.equal(p.id, id);
      assert.equal(p.name, "nightly");
      assert.equal(p.description, "pull alpine");
      assert.equal(p.dest_namespace, "mirror/dockerhub");
      assert.equal(p.enabled, true);
      assert.equal(p.override, true);
      assert.deepEqual(p.trigger, { type: "scheduled", trigger_settings: { cron: "0 30 2 * * *" } });
    });

    it("stores dest_namespace_replace_count, speed, copy_by_chunk and single_active_replication", async () => {
      const id = await create(pull("tuned", { dest_namespace_replace_count: 2, speed: 1024, copy_by_chunk: true, single_active_replication: true }));
      const p = await get(id);
      assert.equal(p.dest_namespace_replace_count, 2);
      assert.equal(p.speed, 1024);
      assert.equal(p.copy_by_chunk, true);
      assert.equal(p.single_active_replication, true);
    });

    it("keeps a dest_namespace_replace_count of 0 and defaults it to -1 (legacy mode) only when absent", async () => {
      assert.equal((await get(await create(pull("zero", { dest_namespace_replace_count: 0 })))).dest_namespace_replace_count, 0);
      assert.equal((await get(await create(pull("absent")))).dest_namespace_replace_count, -1);
    });

    it("stores a negative speed as 0 (unlimited), as Harbor's handler does", async () => {
      assert.equal((await get(await create(pull("neg", { speed: -1 })))).speed, 0);
      assert.equal((await get(await create(pull("none")))).speed, 0);
    });

    it("stores each filter type with its value and decoration, in order", async () => {
      const filters = [
        { type: "name", value: "library/**" },
        { type: "tag", value: "1.*", decoration: "excludes" },
        { type: "label", value: ["qa", "golden"], decoration: "matches" },
        { type: "resource", value: "image" },
      ];
      const p = await get(await create(pull("filtered", { filters })));
      assert.deepEqual(p.filters, [
        { type: "name", value: "library/**" },
        { decoration: "excludes", type: "tag", value: "1.*" },
        { decoration: "matches", type: "label", value: ["qa", "golden"] },
        { type: "resource", value: "image" },
      ]);
    });

    it("accepts the manual and event_based triggers, and keeps a trigger_settings sent with an empty cron as {}", async () => {
      const manual = await get(await create(pull("manual", { trigger: { type: "manual", trigger_settings: { cron: "" } } })));
      assert.deepEqual(manual.trigger, { type: "manual", trigger_settings: {} });
      const events = await get(await create({ name: "push", dest_registry: { id: remote }, trigger: { type: "event_based" } }));
      assert.deepEqual(events.trigger, { type: "event_based" });
    });

    it("stores the deprecated `deletion` as replicate_deletion and returns both; a request's replicate_deletion is not read, as in Harbor", async () => {
      const viaDeletion = await get(await create(pull("del", { deletion: true })));
      assert.equal(viaDeletion.deletion, true);
      assert.equal(viaDeletion.replicate_deletion, true);
      // src/server/v2.0/handler/replication.go: ReplicateDeletion: params.Policy.Deletion.
      const viaNewName = await get(await create(pull("del2", { replicate_deletion: true })));
      assert.equal("deletion" in viaNewName, false);
      assert.equal("replicate_deletion" in viaNewName, false);
    });

    it("renders go-swagger's shape: false booleans and empty strings omitted, pointer fields and timestamps always, filters null", async () => {
      const p = await get(await create(pull("bare")));
      assert.deepEqual(Object.keys(p), [
        "copy_by_chunk", "creation_time", "dest_namespace_replace_count", "dest_registry", "filters", "id", "name",
        "single_active_replication", "speed", "src_registry", "update_time",
      ]);
      assert.equal(p.filters, null);
      assert.equal(p.copy_by_chunk, false);
      assert.equal("trigger" in p, false, "no trigger was sent");
    });

    it("renders the remote side as the registry (secret masked) and the other side as the synthetic Local registry", async () => {
      const withCred = await createRegistry(sim, swr("cred", { credential: { access_key: "u", access_secret: "s3cret" } }));
      const pulling = await get(await create({ name: "in", src_registry: { id: withCred } }));
      assert.equal((pulling.src_registry as Json).id, withCred);
      assert.deepEqual((pulling.src_registry as Json).credential, { access_key: "u", access_secret: "*****", type: "basic" });
      assert.equal((pulling.dest_registry as Json).name, "Local");
      assert.equal((pulling.dest_registry as Json).id, 0);
      const pushing = await get(await create({ name: "out", src_registry: { id: 0 }, dest_registry: { id: other } }));
      assert.equal((pushing.src_registry as Json).name, "Local");
      assert.equal((pushing.dest_registry as Json).id, other);
      const stored = sim.storedReplicationPolicy(Number((pushing as Json).id))!;
      assert.equal(stored.srcRegistryId, undefined);
      assert.equal(stored.destRegistryId, other);
      assert.equal(stored.creator, "admin");
    });
  });

  it("round-trips the body Terraform's harbor_replication sends (id 0, an empty src_registry, every option) and its PUT", async () => {
    const tf = (cron: string): Json => ({
      name: "tf-push", description: "", id: 0, src_registry: {}, dest_registry: { id: remote }, dest_namespace: "mirror",
      dest_namespace_replace_count: 1, trigger: { type: "scheduled", trigger_settings: { cron } }, enabled: true, deletion: true,
      override: true, copy_by_chunk: true, single_active_replication: true, speed: 2048,
      filters: [{ type: "name", value: "library/alpine" }, { type: "tag", value: "3.*.*", decoration: "matches" }, { type: "label", value: ["qa"] }],
    });
    const id = await create(tf("0 0/15 * * * *"));
    const p = await get(id);
    assert.deepEqual(
      { trigger: p.trigger, override: p.override, speed: p.speed, count: p.dest_namespace_replace_count, deletion: p.deletion, chunk: p.copy_by_chunk, single: p.single_active_replication },
      { trigger: { type: "scheduled", trigger_settings: { cron: "0 0/15 * * * *" } }, override: true, speed: 2048, count: 1, deletion: true, chunk: true, single: true },
    );
    assert.equal((p.filters as Json[]).length, 3);
    assert.equal((await call(sim, "PUT", `/replication/policies/${id}`, { body: tf("0 0 3 * * *") })).status, 200);
    assert.deepEqual((await get(id)).trigger, { type: "scheduled", trigger_settings: { cron: "0 0 3 * * *" } });
  });

  describe("validation: Harbor's codes and messages", () => {
    const post = (body: Json) => call(sim, "POST", "/replication/policies", { body });

    it("400 empty name", async () => {
      assertBadRequest(await post({ src_registry: { id: remote } }), "empty name");
    });

    it("400 when neither or both registries are remote (one side must be Harbor itself)", async () => {
      const msg = "either src_registry or dest_registry should be empty and the other one shouldn't be empty";
      assertBadRequest(await post({ name: "p" }), msg);
      assertBadRequest(await post({ name: "p", src_registry: { id: 0 }, dest_registry: { id: 0 } }), msg);
      assertBadRequest(await post({ name: "p", src_registry: { id: remote }, dest_registry: { id: other } }), msg);
    });

    it("404 for an unknown registry id on either side", async () => {
      const r = await post({ name: "p", src_registry: { id: 99 } });
      assert.equal(r.status, 404);
      assert.deepEqual(harborErr(r), { code: "NOT_FOUND", message: "registry 99 not found" });
      assert.equal((await post({ name: "p", dest_registry: { id: 98 } })).status, 404);
    });

    it("409 for a name another policy has (case-sensitive)", async () => {
      await create(pull("taken"));
      const r = await post(pull("taken"));
      assert.equal(r.status, 409);
      assert.deepEqual(harborErr(r), { code: "CONFLICT", message: "replication policy taken already exists" });
      assert.equal((await post(pull("Taken"))).status, 201);
    });

    it("400 for each invalid filter", async () => {
      const cases: [Json, string][] = [
        [{ type: "size", value: "1" }, "invalid filter type"],
        [{ type: "name", value: 5 }, "the type of filter value isn't string"],
        [{ type: "tag" }, "the type of filter value isn't string"],
        [{ type: "resource", value: "chart" }, "invalid resource filter: chart"],
        [{ type: "name", value: "a/**", decoration: "matches" }, "only tag and label filter support decoration"],
        [{ type: "label", value: "qa" }, "the type of label filter value isn't string slice"],
        [{ type: "label", value: ["qa", 1] }, "the type of label filter value isn't string slice"],
        [{ type: "tag", value: "v1", decoration: "includes" }, "invalid filter decoration, :includes"],
      ];
      for (const [filter, message] of cases) assertBadRequest(await post(pull("f", { filters: [filter] })), message);
    });

    it("400 for an invalid destination namespace", async () => {
      assertBadRequest(await post(pull("ns", { dest_namespace: "Bad Name" })), "invalid destination namespace: Bad Name");
      assertBadRequest(await post(pull("ns", { dest_namespace: "a//b" })), "invalid destination namespace: a//b");
      assert.equal((await post(pull("ns", { dest_namespace: "team-a/mirror_1" }))).status, 201);
    });

    it("400 for an unknown trigger type, a scheduled trigger without a cron, and a cron Harbor's parser rejects", async () => {
      assertBadRequest(await post(pull("t", { trigger: { type: "hourly" } })), "invalid trigger type");
      assertBadRequest(await post(pull("t", { trigger: {} })), "invalid trigger type");
      const empty = "the cron string cannot be empty when the trigger type is scheduled";
      assertBadRequest(await post(pull("t", { trigger: { type: "scheduled" } })), empty);
      assertBadRequest(await post(pull("t", { trigger: { type: "scheduled", trigger_settings: { cron: "" } } })), empty);
      for (const cron of ["0 0 * * *", "@daily", "0 0 24 * * *", "0 0 0 0 * *", "*/0 * * * * *", "0 0 0 * * mon-xyz", "a b c d e f"]) {
        assertBadRequest(await post(pull("t", { trigger: { type: "scheduled", trigger_settings: { cron } } })), `invalid cron string for scheduled trigger: ${cron}`);
      }
      for (const cron of ["0 0 0 * * *", "*/15 * * * * ?", "0 0 12 1-15/2 jan,JUL sun-sat", "TZ=Europe/Berlin 0 0 3 * * 1"]) {
        assert.equal((await post(pull(`ok-${cron.length}-${Math.random()}`, { trigger: { type: "scheduled", trigger_settings: { cron } } }))).status, 201, cron);
      }
    });

    it("500 for single_active_replication with an event_based trigger (Harbor returns a plain error)", async () => {
      const r = await post({ name: "sa", dest_registry: { id: remote }, trigger: { type: "event_based" }, single_active_replication: true });
      assert.equal(r.status, 500);
      assert.deepEqual(harborErr(r), { code: "UNKNOWN", message: "internal server error" });
    });

    it("422 for wrong JSON types, an int8 out of range and filters that are not an array", async () => {
      const cases: [Json, string][] = [
        [pull("x", { dest_namespace_replace_count: 200 }), "json: cannot unmarshal number 200 into Go struct field ReplicationPolicy.dest_namespace_replace_count of type int8"],
        [pull("x", { speed: "fast" }), "json: cannot unmarshal string into Go struct field ReplicationPolicy.speed of type int32"],
        [pull("x", { filters: { type: "name" } }), "json: cannot unmarshal object into Go struct field ReplicationPolicy.filters of type []*models.ReplicationFilter"],
        [pull("x", { filters: [{ type: 1 }] }), "json: cannot unmarshal number into Go struct field ReplicationPolicy.filters.type of type string"],
        [pull("x", { trigger: { trigger_settings: { cron: 5 } } }), "json: cannot unmarshal number into Go struct field ReplicationPolicy.trigger.trigger_settings.cron of type string"],
        [pull("x", { enabled: "yes" }), "json: cannot unmarshal string into Go struct field ReplicationPolicy.enabled of type bool"],
      ];
      for (const [body, detail] of cases) {
        const r = await post(body);
        assert.equal(r.status, 422, JSON.stringify(body));
        assert.equal(harborErr(r).message, `validation failure list:\nparsing policy body from "" failed, because ${detail}`);
      }
    });

    it("401 anonymous, 403 without the permission (message = username)", async () => {
      assert.equal((await call(sim, "POST", "/replication/policies", { body: pull("p"), auth: null })).status, 401);
      const r = await call(sim, "POST", "/replication/policies", { body: pull("p"), auth: ["reader", "pw"] });
      assert.deepEqual(harborErr(r), { code: "FORBIDDEN", message: "reader" });
      assert.equal(sim.storedReplicationPolicy(1), undefined);
    });
  });

  describe("update (PUT)", () => {
    it("replaces every field with the body, keeping id and creation_time and moving update_time", async () => {
      const id = await create(pull("p", {
        description: "old", enabled: true, override: true, speed: 10, dest_namespace_replace_count: 1, copy_by_chunk: true,
        filters: [{ type: "name", value: "a/**" }], trigger: { type: "manual" },
      }));
      const before = await get(id);
      await new Promise((r) => setTimeout(r, 5));
      const put = await call(sim, "PUT", `/replication/policies/${id}`, {
        body: { name: "renamed", dest_registry: { id: other }, trigger: { type: "scheduled", trigger_settings: { cron: "0 0 1 * * *" } }, speed: 5 },
      });
      assert.equal(put.status, 200, put.text);
      assert.equal(put.text, "");
      const after = await get(id);
      assert.equal(after.id, id);
      assert.equal(after.name, "renamed");
      assert.equal(after.creation_time, before.creation_time);
      assert.ok(Date.parse(after.update_time as string) > Date.parse(before.update_time as string));
      assert.equal((after.dest_registry as Json).id, other);
      assert.equal((after.src_registry as Json).name, "Local");
      assert.deepEqual(after.trigger, { type: "scheduled", trigger_settings: { cron: "0 0 1 * * *" } });
      assert.equal(after.speed, 5);
      // Absent fields take their zero value (the replace count its legacy -1): a PUT is not a patch.
      assert.equal("description" in after, false);
      assert.equal("enabled" in after, false);
      assert.equal("override" in after, false);
      assert.equal(after.copy_by_chunk, false);
      assert.equal(after.dest_namespace_replace_count, -1);
      assert.equal(after.filters, null);
    });

    it("validates like create, and answers 404 for an unknown id and 409 for another policy's name", async () => {
      const a = await create(pull("a"));
      await create(pull("b"));
      assertBadRequest(await call(sim, "PUT", `/replication/policies/${a}`, { body: { name: "a" } }),
        "either src_registry or dest_registry should be empty and the other one shouldn't be empty");
      const missing = await call(sim, "PUT", "/replication/policies/77", { body: pull("z") });
      assert.deepEqual(harborErr(missing), { code: "NOT_FOUND", message: "replication policy 77 not found" });
      const clash = await call(sim, "PUT", `/replication/policies/${a}`, { body: pull("b") });
      assert.deepEqual(harborErr(clash), { code: "CONFLICT", message: "replication policy b already exists" });
      assert.equal((await call(sim, "PUT", `/replication/policies/${a}`, { body: pull("a", { description: "same name" }) })).status, 200);
    });

    it("422 for a non-integer id together with the body's binding errors", async () => {
      const r = await call(sim, "PUT", "/replication/policies/abc", { body: pull("x", { speed: "fast" }) });
      assert.equal(r.status, 422);
      assert.match(harborErr(r).message, /^validation failure list:\nid in path must be of type int64: "abc"\nparsing policy body/);
    });

    it("moves the registry reference: the old registry can be deleted, the new one cannot", async () => {
      const id = await create(pull("p"));
      assert.equal((await call(sim, "DELETE", `/registries/${remote}`)).status, 412);
      assert.equal((await call(sim, "PUT", `/replication/policies/${id}`, { body: { name: "p", src_registry: { id: other } } })).status, 200);
      assert.equal((await call(sim, "DELETE", `/registries/${other}`)).status, 412);
      assert.equal((await call(sim, "DELETE", `/registries/${remote}`)).status, 200);
    });
  });

  describe("list, get, delete", () => {
    it("lists newest first by default, filters with q and the deprecated fuzzy name, sorts and pages", async () => {
      const ids = [];
      for (const name of ["alpha", "beta", "gamma"]) ids.push(await create(pull(name, { enabled: name !== "beta" })));
      const all = (await call(sim, "GET", "/replication/policies")).json as Json[];
      assert.deepEqual(all.map((p) => p.name), ["gamma", "beta", "alpha"]);
      const q = (await call(sim, "GET", `/replication/policies?q=${encodeURIComponent("enabled=true")}&sort=name`)).json as Json[];
      assert.deepEqual(q.map((p) => p.name), ["alpha", "gamma"]);
      const fuzzy = (await call(sim, "GET", "/replication/policies?name=AMM")).json as Json[];
      assert.deepEqual(fuzzy.map((p) => p.name), ["gamma"]);
      const bySrc = (await call(sim, "GET", `/replication/policies?q=${encodeURIComponent(`src_registry_id=${remote}`)}`)).json as Json[];
      assert.equal(bySrc.length, 3);
      const page = await call(sim, "GET", "/replication/policies?page=2&page_size=2&sort=id");
      assert.deepEqual((page.json as Json[]).map((p) => p.id), [ids[2]]);
      assert.equal(page.headers.get("x-total-count"), "3");
      assert.match(page.headers.get("link")!, /rel="prev"/);
    });

    it("404 for an unknown id on get and delete; delete frees the name", async () => {
      const get404 = await call(sim, "GET", "/replication/policies/5");
      assert.deepEqual(harborErr(get404), { code: "NOT_FOUND", message: "replication policy 5 not found" });
      const id = await create(pull("gone"));
      assert.equal((await call(sim, "DELETE", `/replication/policies/${id}`)).status, 200);
      assert.equal((await call(sim, "DELETE", `/replication/policies/${id}`)).status, 404);
      assert.equal((await call(sim, "POST", "/replication/policies", { body: pull("gone") })).status, 201);
    });

    it("lets a reader get a policy but not list, change or delete it", async () => {
      const id = await create(pull("p"));
      const reader = { auth: ["reader", "pw"] as [string, string] };
      assert.equal((await call(sim, "GET", `/replication/policies/${id}`, reader)).status, 200);
      assert.equal((await call(sim, "GET", "/replication/policies", reader)).status, 403);
      assert.equal((await call(sim, "PUT", `/replication/policies/${id}`, { ...reader, body: pull("p") })).status, 403);
      assert.equal((await call(sim, "DELETE", `/replication/policies/${id}`, reader)).status, 403);
    });
  });
});
