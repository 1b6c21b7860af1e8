// Unit tests of provider/harbor/models.ts: wire schemas accept Harbor's real shapes and the error envelope parser.
import assert from "node:assert/strict";
import {
  HarborProjectSchema,
  HarborRegistryCreateSchema,
  HarborRegistryInfoSchema,
  HarborRegistryProviderInfosSchema,
  HarborRegistrySchema,
  HarborRegistryUpdateSchema,
  HarborReplicationPolicySchema,
  HarborSystemInfoSchema,
  parseHarborErrors,
} from "../../../provider/harbor/models";

describe("Harbor wire models", () => {
  it("accepts a registry exactly as Harbor's GET returns it", () => {
    const r = HarborRegistrySchema.parse({
      creation_time: "2026-08-01T10:00:00.123Z",
      credential: { access_key: "user", access_secret: "*****", type: "basic" },
      description: "hub", id: 7, name: "dh", status: "healthy", type: "docker-hub",
      update_time: "2026-08-01T10:00:00.123Z", url: "https://hub.docker.com",
    });
    assert.equal(r.id, 7);
    assert.equal(r.insecure, undefined);
  });

  it("accepts an empty credential object and a null ca_certificate", () => {
    const r = HarborRegistrySchema.parse({ id: 1, name: "n", type: "harbor", url: "http://x", credential: {}, ca_certificate: null, creation_time: "t", update_time: "t" });
    assert.deepEqual(r.credential, {});
  });

  it("rejects a registry whose id is not an integer", () => {
    const res = HarborRegistrySchema.safeParse({ id: "7", name: "n", type: "t", url: "u", creation_time: "t", update_time: "t" });
    assert.ok(!res.success);
    assert.deepEqual(res.error.issues[0]?.path, ["id"]);
  });

  it("keeps create bodies nested and update bodies flat, dropping unknown keys", () => {
    const create = HarborRegistryCreateSchema.parse({ name: "n", type: "harbor", url: "https://h", credential: { type: "basic", access_key: "k", access_secret: "s" }, id: 3 });
    assert.ok(!("id" in create));
    assert.equal(create.credential?.access_secret, "s");
    const update = HarborRegistryUpdateSchema.parse({ access_secret: "s", type: "harbor" });
    assert.deepEqual(update, { access_secret: "s" });
  });

  it("accepts Harbor's null arrays in registry info", () => {
    const info = HarborRegistryInfoSchema.parse({ type: "docker-registry", supported_resource_filters: [{ type: "name", style: "input", values: null }], supported_triggers: ["manual", "scheduled"] });
    assert.equal(info.supported_resource_filters?.[0]?.values, null);
  });

  it("accepts adapter infos with empty entries", () => {
    const infos = HarborRegistryProviderInfosSchema.parse({ "tencent-tcr": {}, "docker-hub": { endpoint_pattern: { endpoint_type: "EndpointPatternTypeFix", endpoints: [{ key: "hub.docker.com", value: "https://hub.docker.com" }] } } });
    assert.deepEqual(Object.keys(infos), ["tencent-tcr", "docker-hub"]);
  });

  it("keeps unknown system-info fields and tolerates a missing harbor_version", () => {
    const info = HarborSystemInfoSchema.parse({ auth_mode: "db_auth", banner_message: "" });
    assert.equal(info.harbor_version, undefined);
    assert.equal((info as Record<string, unknown>)["banner_message"], "");
  });

  it("reads registry ids of replication policies and projects", () => {
    assert.equal(HarborReplicationPolicySchema.parse({ id: 1, name: "p", src_registry: { id: 4, name: "x" }, dest_registry: null }).src_registry?.id, 4);
    assert.equal(HarborProjectSchema.parse({ project_id: 2, name: "cache", registry_id: 4 }).registry_id, 4);
    assert.equal(HarborProjectSchema.parse({ project_id: 3, name: "plain" }).registry_id, undefined);
  });
});

describe("parseHarborErrors", () => {
  it("keeps the first code and every message", () => {
    assert.deepEqual(parseHarborErrors(`{"errors":[{"code":"BAD_REQUEST","message":"a"},{"code":"OTHER","message":"b"}]}\n`), { code: "BAD_REQUEST", messages: ["a", "b"], harbor: true });
  });

  it("answers UNKNOWN with no messages for a body that is not JSON", () => {
    assert.deepEqual(parseHarborErrors("<html>Bad Gateway</html>"), { code: "UNKNOWN", messages: [], harbor: false });
  });

  it("answers UNKNOWN for JSON that is not Harbor's envelope", () => {
    assert.deepEqual(parseHarborErrors(`{"message":"nope"}`), { code: "UNKNOWN", messages: [], harbor: false });
    assert.deepEqual(parseHarborErrors(""), { code: "UNKNOWN", messages: [], harbor: false });
  });

  it("answers UNKNOWN when entries carry no code", () => {
    assert.deepEqual(parseHarborErrors(`{"errors":[{"message":"m"}]}`), { code: "UNKNOWN", messages: ["m"], harbor: true });
  });
});
