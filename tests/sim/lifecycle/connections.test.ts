// Named Harbor connections against two simulators over real HTTP, calling the provider as the engine does.
import * as assert from "node:assert/strict";
import { createRegistryEndpointProvider, type RegistryEndpointProviderImplementation } from "../../../provider/provider";
import type { HarborConnectionSettings } from "../../../provider/connections";
import type { HarborSimulator } from "../../../simulator";
import { skipAgainstExternalHarbor } from "../../support/harbor-target";
import { startTestSimulator } from "../../support/sim";

type Props = Record<string, unknown>;

const CENTRAL_PASSWORD = "CentralCanary-3b9d-pw";
const REPLICA_PASSWORD = "ReplicaCanary-51c0-pw";
const SECRET = "EndpointCanary-77aa-s";

/** An endpoint Harbor accepts without any network: huawei-SWR is always healthy. */
const swr = (name: string, extra: Props = {}): Props => ({
  providerName: "huawei-SWR",
  name,
  endpointUrl: "https://swr.cn-north-1.myhuaweicloud.com",
  accessId: "swr-user",
  accessSecret: SECRET,
  connectionTest: "never",
  ...extra,
});

describe("sim: RegistryEndpoint on two Harbors (named connections)", function () {
  this.timeout(30000);
  let central: HarborSimulator;
  let replica: HarborSimulator;
  let p: RegistryEndpointProviderImplementation;
  let verified: string[];

  /** Stack config: central is `default` (harbor:url …), replica is `harbor:connections.replica`. */
  function stackConfig(connections: Record<string, unknown> = { replica: { url: replica.url, username: replica.username, password: REPLICA_PASSWORD } }) {
    return {
      "harbor:url": central.url,
      "harbor:username": central.username,
      "harbor:password": CENTRAL_PASSWORD,
      "harbor:connections": JSON.stringify(connections),
    } as Record<string, string>;
  }

  async function providerWith(config: Record<string, string>, extra: Parameters<typeof createRegistryEndpointProvider>[0] = {}) {
    const provider = createRegistryEndpointProvider({
      env: {},
      clientOptions: { retry: { retries: 0 } },
      verifyConnection: async (c: HarborConnectionSettings) => (verified.push(c.name), undefined),
      ...extra,
    });
    await provider.configure({ config: { get: (k: string) => config[k], require: (k: string) => config[k]! } });
    return provider;
  }

  async function create(news: Props): Promise<{ id: string; inputs: Props; outs: Props }> {
    const checked = await p.check({}, news);
    assert.deepEqual(checked.failures ?? [], [], "check failed");
    const created = await p.create(checked.inputs);
    return { id: created.id, inputs: checked.inputs as Props, outs: created.outs as Props };
  }

  before(function () {
    skipAgainstExternalHarbor(this, "two Harbor simulators");
  });
  // Fresh Harbors per test: both hand out the same ids, which shows whose record a read gets.
  beforeEach(async () => {
    central = await startTestSimulator({ adminPassword: CENTRAL_PASSWORD });
    replica = await startTestSimulator({ adminPassword: REPLICA_PASSWORD });
    verified = [];
    p = await providerWith(stackConfig());
  });
  afterEach(async () => {
    await p.close();
    await central.close();
    await replica.close();
  });

  it("creates each endpoint on the Harbor its connection names, default when none; only the name enters state", async () => {
    const a = await create(swr("on-central"));
    const b = await create(swr("on-replica", { connection: "replica" }));
    assert.deepEqual(central.storedRegistries().map((r) => r.name), ["on-central"]);
    assert.deepEqual(replica.storedRegistries().map((r) => r.name), ["on-replica"]);
    assert.equal(a.outs.connection, "default");
    assert.equal(b.outs.connection, "replica");
    assert.equal(b.outs.registryId, replica.storedRegistries()[0]!.id);
    for (const text of [JSON.stringify(a), JSON.stringify(b)]) {
      for (const pw of [CENTRAL_PASSWORD, REPLICA_PASSWORD, replica.url]) assert.ok(!text.includes(pw), "connection settings leaked into inputs or outputs");
    }
  });

  it("reads, updates and deletes through the connection in state, even when both Harbors use the same id", async () => {
    const a = await create(swr("same-id", { description: "central's" }));
    const b = await create(swr("same-id", { description: "replica's", connection: "replica" }));
    assert.equal(a.id, b.id, "the two simulators should hand out the same first id");
    const read = await p.read(b.id, b.outs);
    assert.equal((read.props as Props).description, "replica's");
    const news = (await p.check(b.inputs, { ...swr("same-id", { connection: "replica" }), description: "edited" })).inputs;
    const diff = await p.diff(b.id, b.outs, news);
    assert.deepEqual([diff.changes, diff.replaces], [true, []]);
    await p.update(b.id, b.outs, news);
    assert.equal(replica.storedRegistry(Number(b.id))!.description, "edited");
    assert.equal(central.storedRegistry(Number(a.id))!.description, "central's");
    await p.delete(b.id, b.outs);
    assert.equal(replica.storedRegistries().length, 0);
    assert.equal(central.storedRegistries().length, 1);
  });

  it("moves an endpoint to another Harbor: diff replaces creating first; create lands on the new Harbor, delete on the old", async () => {
    const old = await create(swr("moving"));
    const checked = await p.check(old.inputs, swr("moving", { connection: "replica" }));
    assert.deepEqual(checked.failures ?? [], []);
    const diff = await p.diff(old.id, old.outs, checked.inputs);
    assert.deepEqual([diff.replaces, diff.deleteBeforeReplace], [["connection"], false]);
    // The engine's create-before-delete order: the new endpoint exists on replica while the old one is still on central.
    const created = await p.create(checked.inputs);
    assert.deepEqual([central.storedRegistries().length, replica.storedRegistries().map((r) => r.name)], [1, ["moving"]]);
    assert.equal(created.id, String(replica.storedRegistries()[0]!.id));
    assert.equal(replica.storedRegistries()[0]!.accessSecret, SECRET);
    await p.delete(old.id, old.outs);
    assert.deepEqual([central.storedRegistries().length, replica.storedRegistries().length], [0, 1]);
  });

  it("deletes first when the new connection name leads to the same Harbor", async () => {
    await p.close();
    p = await providerWith(stackConfig({ alias: { url: `${central.url}/`, username: central.username, password: CENTRAL_PASSWORD } }));
    const old = await create(swr("aliased"));
    const checked = await p.check(old.inputs, swr("aliased", { connection: "alias" }));
    const diff = await p.diff(old.id, old.outs, checked.inputs);
    assert.deepEqual([diff.replaces, diff.deleteBeforeReplace], [["connection"], true]);
  });

  it("treats state written before connections existed as the default connection", async () => {
    const a = await create(swr("legacy"));
    const { connection: _c, ...legacyOuts } = a.outs;
    const { connection: _i, ...legacyInputs } = a.inputs;
    const checked = await p.check(legacyInputs, swr("legacy"));
    assert.equal((await p.diff(a.id, legacyOuts, checked.inputs)).changes, false);
    const read = await p.read(a.id, legacyOuts);
    assert.equal((read.props as Props).connection, "default");
    await p.delete(a.id, legacyOuts);
    assert.equal(central.storedRegistries().length, 0);
  });

  it("fails check at connection for an unknown name, listing the configured ones", async () => {
    const r = await p.check({}, swr("x", { connection: "replcia" }));
    assert.deepEqual(r.failures?.map((f) => f.property), ["connection"]);
    assert.match(r.failures![0]!.reason, /"replcia", which is not configured \(configured connections: "default" and "replica"\)/);
  });

  it("cannot reach an endpoint whose connection left the config: refresh and destroy fail saying how to restore it", async () => {
    const b = await create(swr("orphan-risk", { connection: "replica" }));
    await p.close();
    p = await providerWith(stackConfig({}));
    for (const op of [() => p.read(b.id, b.outs), () => p.delete(b.id, b.outs)]) {
      await assert.rejects(op(), (e: Error) => {
        assert.match(e.message, /RegistryEndpoint "orphan-risk" \(Harbor id \d+\): its Harbor connection "replica" is not configured \(configured connections: "default"\); restore harbor:connections\.replica \(url, username and a --secret password\), then run `pulumi up`/);
        return true;
      });
    }
    assert.equal(replica.storedRegistries().length, 1, "nothing may be dropped while the connection is missing");
  });

  it("verifies each connection once per provider process, when a resource first uses it", async () => {
    await p.check({}, swr("v1"));
    await p.check({}, swr("v2", { connection: "replica" }));
    await p.check({}, swr("v3", { connection: "replica" }));
    await p.check({}, swr("v4"));
    assert.deepEqual(verified, ["default", "replica"]);
  });

  it("a wrong password on one connection fails the connection test naming that connection's settings; the other passes", async () => {
    await p.close();
    p = await providerWith(stackConfig({ replica: { url: replica.url, username: replica.username, password: "wrong-password" } }));
    const ok = await p.check({}, swr("fine", { connectionTest: "always" }));
    assert.deepEqual(ok.failures ?? [], []);
    const bad = await p.check({}, swr("broken", { connectionTest: "always", connection: "replica" }));
    assert.equal(bad.failures?.length, 1);
    assert.equal(bad.failures![0]!.property, "");
    assert.match(bad.failures![0]!.reason, /^Harbor connection "replica": .*login was rejected \(401\); check the provider settings harbor:connections\.replica\.username and harbor:connections\.replica\.password \(or HARBOR_CONNECTIONS\)/);
    assert.ok(!bad.failures![0]!.reason.includes("wrong-password"));
  });

  it("names the connection in an error Harbor's answer caused, with that connection's keys", async () => {
    await p.close();
    p = await providerWith(stackConfig({ replica: { url: replica.url, username: replica.username, password: "wrong-password" } }));
    const checked = await p.check({}, swr("no-login", { connection: "replica" }));
    await assert.rejects(p.create(checked.inputs), (e: Error) => {
      assert.match(e.message, /Harbor connection "replica"/);
      assert.match(e.message, /harbor:connections\.replica\.password/);
      assert.ok(!/harbor:password\b/.test(e.message));
      return true;
    });
  });

  it("reports a failed verification under no endpoint property (the reason names the key) and skips the ping", async () => {
    await p.close();
    p = await providerWith(stackConfig(), {
      verifyConnection: async (c) => (c.name === "replica" ? "the login to Harbor was rejected (401); check harbor:password" : undefined),
    });
    replica.resetRequests();
    const r = await p.check({}, swr("vfail", { connection: "replica", connectionTest: "always" }));
    assert.deepEqual(r.failures, [{ property: "", reason: 'Harbor connection "replica": the login to Harbor was rejected (401); check harbor:connections.replica.password' }]);
    assert.equal(replica.requests.length, 0);
  });
});
