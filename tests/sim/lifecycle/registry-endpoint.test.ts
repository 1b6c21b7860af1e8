// Lifecycle of RegistryEndpoint against a Harbor over real HTTP (the simulator, or HARBOR_TEST_URL), calling the provider as the engine does.
import * as assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { createEngineLogger, type EngineLogRecord, setEngineLog } from "../../../provider/engine-log";
import { createRegistryEndpointProvider, type RegistryEndpointProviderImplementation } from "../../../provider/provider";
import { HarborClient } from "../../../provider/harbor/client";
import { type HarborSimulator, startHarborSimulator } from "../../../simulator";
import type { HarborConnection } from "../../support/harbor-rest";
import { startHarborTarget, type HarborTarget } from "../../support/harbor-target";

const CANARY = "canary-Lifecycle-7c2d9e0b";

type Props = Record<string, unknown>;

/** Configures a fresh provider the way the dynamic-provider host does: configure() with the stack config first. */
async function providerFor(
  sim: HarborConnection,
  extra: Record<string, string> = {},
  clientOptions: { timeoutMs?: number } = {},
): Promise<RegistryEndpointProviderImplementation> {
  const p = createRegistryEndpointProvider({ env: {}, clientOptions: { retry: { retries: 1, baseDelayMs: 10, maxDelayMs: 20 }, ...clientOptions } });
  const config: Record<string, string> = { "harbor:url": sim.url, "harbor:username": sim.username, "harbor:password": sim.password, ...extra };
  await p.configure({ config: { get: (k: string) => config[k], require: (k: string) => config[k]! } });
  return p;
}

/** The engine's create path: check (olds = {}) then create with the checked inputs. */
async function createViaEngine(p: RegistryEndpointProviderImplementation, news: Props): Promise<{ id: string; inputs: Props; outs: Props }> {
  const checked = await p.check({}, news);
  assert.deepEqual(checked.failures ?? [], [], "check failed");
  const created = await p.create(checked.inputs);
  return { id: created.id, inputs: checked.inputs as Props, outs: created.outs as Props };
}

/** The engine's update path: check(old inputs, news), diff(id, old outputs, checked), update when it changes. */
async function updateViaEngine(p: RegistryEndpointProviderImplementation, id: string, oldInputs: Props, oldOuts: Props, news: Props) {
  const checked = await p.check(oldInputs, news);
  assert.deepEqual(checked.failures ?? [], [], "check failed");
  const diff = await p.diff(id, oldOuts, checked.inputs);
  if (!diff.changes) return { diff, inputs: checked.inputs as Props, outs: oldOuts };
  assert.deepEqual(diff.replaces ?? [], [], "unexpected replacement");
  const updated = await p.update(id, oldOuts, checked.inputs);
  return { diff, inputs: checked.inputs as Props, outs: updated.outs as Props };
}

// The suite's Harbor; every name a test gives Harbor goes through target.name (the run's prefix).
let target: HarborTarget;

const swr = (name: string, extra: Props = {}): Props => ({
  providerName: "huawei-SWR",
  name: target.name(name),
  endpointUrl: "https://swr.cn-north-1.myhuaweicloud.com",
  accessId: "swr-user",
  accessSecret: CANARY,
  connectionTest: "never",
  ...extra,
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The fields of a stored registry Harbor's API returns (the secret never: see assertStoredSecret). */
async function stored(admin: HarborClient, id: number | string) {
  const r = await admin.getRegistry(Number(id));
  return { name: r.name, type: r.type, url: r.url, description: r.description ?? "", accessKey: r.credential?.access_key ?? "" };
}

/** Harbor never returns a secret: only the simulator can show the one it stores; against a real Harbor this checks nothing. */
function assertStoredSecret(id: number | string, expected: string): void {
  if (target.sim) assert.equal(target.sim.storedRegistry(Number(id))?.accessSecret, expected);
}

describe("sim: RegistryEndpoint lifecycle", function () {
  this.timeout(30000);
  let p: RegistryEndpointProviderImplementation;
  let admin: HarborClient;
  /** Registries of this run named `name` (exact). */
  const named = async (name: string) => (await admin.listRegistries()).filter((r) => r.name === target.name(name));

  before(async () => {
    target = await startHarborTarget();
    admin = new HarborClient({ url: target.url, username: target.username, password: target.password });
  });
  beforeEach(async () => {
    p = await providerFor(target);
  });
  afterEach(async () => {
    target.sim?.clearFaults();
    await p.close();
  });
  after(async () => {
    await admin?.close();
    await target?.close();
  });

  it("creates an endpoint: id is Harbor's id, outputs echo inputs plus Harbor's fields, the secret is stored", async () => {
    const { id, outs } = await createViaEngine(p, swr("create-me", { description: "first" }));
    assert.match(id, /^\d+$/);
    assertStoredSecret(id, CANARY);
    assert.equal(outs.registryId, Number(id));
    assert.equal(outs.status, "healthy");
    assert.equal(outs.stateVersion, 1);
    assert.equal(outs.accessSecret, CANARY);
    assert.equal(outs.description, "first");
    assert.equal(outs.endpointUrl, "https://swr.cn-north-1.myhuaweicloud.com");
    assert.equal(typeof outs.creationTime, "string");
    assert.ok(Object.values(outs).every((v) => v !== undefined));
  });

  it("fails create with a how-to-adopt message when the name exists and adopt is not set", async () => {
    await createViaEngine(p, swr("taken"));
    await assert.rejects(p.create((await p.check({}, swr("taken"))).inputs), (e: Error) => {
      assert.ok(e.message.includes(`endpoint ${target.name("taken")} already exists in Harbor; set \`adopt: true\``), e.message);
      assert.ok(!e.message.includes(CANARY));
      return true;
    });
  });

  it("adopts an existing endpoint of the same name and brings it to the desired state", async () => {
    const before = await admin.createRegistry({ name: target.name("adopt-me"), type: "huawei-SWR", url: "https://old.example.com", description: "manual", credential: { access_key: "old", access_secret: "old-secret" } });
    const { id, outs } = await createViaEngine(p, swr("adopt-me", { adopt: true, description: "managed" }));
    assert.equal(id, String(before));
    const now = await stored(admin, before);
    assert.equal(now.description, "managed");
    assert.equal(now.url, "https://swr.cn-north-1.myhuaweicloud.com");
    assert.equal(now.accessKey, "swr-user");
    assertStoredSecret(before, CANARY);
    assert.equal(outs.adopt, true);
    assert.equal((await named("adopt-me")).length, 1);
  });

  it("refuses to adopt an endpoint of another type", async () => {
    await admin.createRegistry({ name: target.name("other-type"), type: "docker-registry", url: target.url });
    await assert.rejects(p.create((await p.check({}, swr("other-type", { adopt: true }))).inputs), /provider type docker-registry, not huawei-SWR/);
  });

  describe("adopting without accessSecret keeps the secret Harbor holds", () => {
    const HELD = `${CANARY}-held-by-harbor`;
    const existing = (name: string) =>
      admin.createRegistry({ name: target.name(name), type: "huawei-SWR", url: "https://swr.cn-north-1.myhuaweicloud.com", description: "made in the UI", credential: { access_key: "swr-user", access_secret: HELD } });
    const copied = (name: string, extra: Props = {}): Props => {
      const { accessSecret: _s, ...rest } = swr(name, { adopt: true, description: "made in the UI", ...extra });
      return rest;
    };
    const writes = (sim: HarborSimulator) => sim.requests.filter((r) => r.method === "PUT" || (r.method === "POST" && r.path === "/api/v2.0/registries"));

    it("sends no PUT at all when the declaration copies Harbor's settings, and the next diff is empty", async function () {
      const sim = target.requireSimulator(this, "request log");
      const id = await existing("adopt-copied");
      sim.resetRequests();
      const { id: adopted, inputs, outs } = await createViaEngine(p, copied("adopt-copied"));
      assert.equal(adopted, String(id));
      assert.deepEqual(writes(sim), []);
      assert.equal(sim.storedRegistry(id)!.accessSecret, HELD);
      assert.equal("accessSecret" in outs, false);
      assert.equal((await p.diff(adopted, outs, inputs)).changes, false);
      await admin.pingRegistry({ id });
    });

    it("sends only the changed fields, never an access_secret, when other settings differ", async function () {
      const sim = target.requireSimulator(this, "request log");
      const id = await existing("adopt-changed");
      sim.resetRequests();
      await createViaEngine(p, copied("adopt-changed", { description: "managed now" }));
      assert.deepEqual(writes(sim).map((r) => r.body), [{ description: "managed now" }]);
      assert.equal(sim.storedRegistry(id)!.accessSecret, HELD);
      assert.equal(sim.storedRegistry(id)!.description, "managed now");
    });

    it("keeps it through the forced update after a failed adopt PUT", async function () {
      const sim = target.requireSimulator(this, "fault injection");
      const id = await existing("adopt-put-fails-no-secret");
      sim.inject({ method: "PUT", path: /^\/api\/v2\.0\/registries\/\d+$/, status: 500 });
      const checked = await p.check({}, copied("adopt-put-fails-no-secret", { description: "managed now" }));
      const properties = await p.create(checked.inputs).then(
        () => assert.fail("the adopt PUT should have failed"),
        (e: { properties?: Props }) => e.properties!,
      );
      sim.resetRequests();
      await p.update(String(id), properties, checked.inputs);
      assert.equal(writes(sim).length, 1);
      assert.equal("access_secret" in (writes(sim)[0]!.body as Props), false);
      assert.equal(sim.storedRegistry(id)!.accessSecret, HELD);
      assert.equal(sim.storedRegistry(id)!.description, "managed now");
    });

    it("refuses a URL change without accessSecret, which would make Harbor 2.16 clear the secret", async function () {
      target.requireSimulator(this, "harborVersion switch");
      const head = await startHarborSimulator({ harborVersion: "v2.16.0" });
      const headAdmin = new HarborClient({ url: head.url, username: head.username, password: head.password });
      const hp = await providerFor(head);
      try {
        const id = await headAdmin.createRegistry({ name: target.name("adopt-moved"), type: "huawei-SWR", url: "https://swr.cn-north-4.myhuaweicloud.com", credential: { access_key: "swr-user", access_secret: HELD } });
        head.resetRequests();
        const checked = await hp.check({}, copied("adopt-moved"));
        await assert.rejects(hp.create(checked.inputs), (e: Error) => {
          assert.ok(e.message.startsWith(`cannot adopt endpoint ${target.name("adopt-moved")} (id `), e.message);
          assert.match(e.message, /\(id \d+\) without accessSecret: endpointUrl changes from https:\/\/swr\.cn-north-4\.myhuaweicloud\.com to https:\/\/swr\.cn-north-1\.myhuaweicloud\.com, and Harbor does not keep a stored secret across a URL change/);
          return true;
        });
        assert.deepEqual(head.requests.filter((r) => r.method === "PUT"), []);
        assert.equal(head.storedRegistry(id)!.accessSecret, HELD);
        // With the secret given, the same adoption goes through and stores it.
        const withSecret = await hp.check({}, { ...copied("adopt-moved"), accessSecret: CANARY });
        await hp.create(withSecret.inputs);
        assert.equal(head.storedRegistry(id)!.accessSecret, CANARY);
        assert.equal(head.storedRegistry(id)!.url, "https://swr.cn-north-1.myhuaweicloud.com");
      } finally {
        await hp.close();
        await headAdmin.close();
        await head.close();
      }
    });
  });

  it("reads back after an out-of-band edit, flags credential drift, and the next up re-sends the secret", async () => {
    const { id, inputs, outs } = await createViaEngine(p, swr("drifty"));
    await sleep(5);
    await admin.updateRegistry(Number(id), { description: "edited in the UI", access_secret: "rotated-by-hand" });
    const read = await p.read(id, outs);
    assert.equal(read.id, id);
    const refreshed = read.props as Props;
    assert.equal(refreshed.description, "edited in the UI");
    assert.equal(refreshed.credentialsDriftSuspected, true);
    assert.equal(refreshed.accessSecret, CANARY);
    const { diff, outs: after } = await updateViaEngine(p, id, inputs, refreshed, swr("drifty"));
    assert.equal(diff.changes, true);
    assertStoredSecret(id, CANARY);
    assert.equal((await stored(admin, id)).description, "");
    assert.equal(after.credentialsDriftSuspected, undefined);
    const again = await p.diff(id, after, inputs);
    assert.equal(again.changes, false);
  });

  it("answers reads that arrive together (a refresh) from one listing, exactly as one read each would", async () => {
    const made: { id: string; outs: Props }[] = [];
    for (let i = 0; i < 6; i++) made.push(await createViaEngine(p, swr(`refreshed-together-${i}`)));
    await sleep(5);
    await admin.updateRegistry(Number(made[1]!.id), { description: "edited in the UI" });
    await admin.deleteRegistry(Number(made[2]!.id));

    const alone = await providerFor(target);
    const one: unknown[] = [];
    try {
      for (const m of made) one.push(await alone.read(m.id, m.outs));
    } finally {
      await alone.close();
    }
    const together = await providerFor(target);
    try {
      target.sim?.resetRequests();
      const all = await Promise.all(made.map((m) => together.read(m.id, m.outs)));
      assert.deepEqual(all, one);
      assert.deepEqual(all[2], {}, "an endpoint deleted out of band is gone");
      assert.equal((all[1] as { props: Props }).props.description, "edited in the UI");
      if (target.sim) {
        const routes = target.sim.requests.map((r) => `${r.method} ${r.path.replace(/\/\d+$/, "/{id}")}`);
        // One listing; by id only the first read (alone when it started) and the deleted one (not listed: only a 404 says gone).
        assert.deepEqual(routes.sort(), ["GET /api/v2.0/registries", "GET /api/v2.0/registries/{id}", "GET /api/v2.0/registries/{id}"]);
      }
    } finally {
      await together.close();
    }
  });

  it("never answers a read from a listing taken before an update of the same process", async () => {
    const made: { id: string; inputs: Props; outs: Props }[] = [];
    for (let i = 0; i < 3; i++) made.push(await createViaEngine(p, swr(`read-after-write-${i}`)));
    const first = await Promise.all(made.map((m) => p.read(m.id, m.outs)));
    assert.deepEqual(first.map((r) => (r.props as Props).description), [undefined, undefined, undefined]);
    // Within the listing's 2 s: the update goes through this provider, so the reads after it do not use that listing.
    const { outs } = await updateViaEngine(p, made[1]!.id, made[1]!.inputs, first[1]!.props as Props, swr("read-after-write-1", { description: "updated" }));
    const again = await Promise.all(made.map((m, i) => p.read(m.id, i === 1 ? outs : m.outs)));
    assert.deepEqual(again.map((r) => (r.props as Props).description), [undefined, "updated", undefined]);
  });

  it("reads one GET per endpoint, even together, with harbor:refreshListing false", async () => {
    const made: { id: string; outs: Props }[] = [];
    for (let i = 0; i < 3; i++) made.push(await createViaEngine(p, swr(`refreshed-one-by-one-${i}`)));
    const q = await providerFor(target, { "harbor:refreshListing": "false" });
    try {
      target.sim?.resetRequests();
      const all = await Promise.all(made.map((m) => q.read(m.id, m.outs)));
      assert.deepEqual(all.map((r) => r.id), made.map((m) => m.id));
      if (target.sim) assert.deepEqual(target.sim.requests.map((r) => `${r.method} ${r.path.replace(/\/\d+$/, "/{id}")}`), Array(3).fill("GET /api/v2.0/registries/{id}"));
    } finally {
      await q.close();
    }
  });

  it("reports an endpoint deleted out of band as gone on read", async () => {
    const { id, outs } = await createViaEngine(p, swr("vanishing"));
    await admin.deleteRegistry(Number(id));
    assert.deepEqual(await p.read(id, outs), {});
  });

  it("updates the description with a PUT of only that field", async () => {
    const { id, inputs, outs } = await createViaEngine(p, swr("upd-desc"));
    target.sim?.resetRequests();
    const r = await updateViaEngine(p, id, inputs, outs, swr("upd-desc", { description: "new" }));
    if (target.sim) {
      const puts = target.sim.requests.filter((x) => x.method === "PUT");
      assert.equal(puts.length, 1);
      assert.deepEqual(puts[0]!.body, { description: "new" });
    }
    assert.equal(r.outs.description, "new");
    assert.equal((await stored(admin, id)).description, "new");
  });

  it("updates the secret in place", async () => {
    const { id, inputs, outs } = await createViaEngine(p, swr("upd-secret"));
    const r = await updateViaEngine(p, id, inputs, outs, swr("upd-secret", { accessSecret: `${CANARY}-2` }));
    assert.deepEqual(r.diff.replaces ?? [], []);
    assertStoredSecret(id, `${CANARY}-2`);
  });

  it("updates the URL and always re-sends the secret with it", async () => {
    const { id, inputs, outs } = await createViaEngine(p, swr("upd-url"));
    target.sim?.resetRequests();
    await updateViaEngine(p, id, inputs, outs, swr("upd-url", { endpointUrl: "https://swr.ap-southeast-1.myhuaweicloud.com/" }));
    if (target.sim) {
      const put = target.sim.requests.find((x) => x.method === "PUT")!;
      assert.deepEqual(Object.keys(put.body as object).sort(), ["access_secret", "url"]);
    }
    assert.equal((await stored(admin, id)).url, "https://swr.ap-southeast-1.myhuaweicloud.com");
    assertStoredSecret(id, CANARY);
  });

  it("makes no request for a change of a local-only setting", async function () {
    const sim = target.requireSimulator(this, "request log");
    const { id, inputs, outs } = await createViaEngine(p, swr("local-only"));
    sim.resetRequests();
    const r = await updateViaEngine(p, id, inputs, outs, swr("local-only", { adopt: true }));
    assert.equal(r.diff.changes, true);
    assert.equal(r.outs.adopt, true);
    assert.equal(sim.requests.length, 0);
  });

  it("replaces (delete before create) when providerName changes", async () => {
    const { id, inputs, outs } = await createViaEngine(p, swr("replace-me"));
    const news = { providerName: "docker-registry", name: target.name("replace-me"), endpointUrl: target.url, connectionTest: "never" };
    const checked = await p.check(inputs, news);
    const { detailedDiff, ...diff } = (await p.diff(id, outs, checked.inputs)) as Record<string, unknown>;
    assert.deepEqual(diff, { changes: true, replaces: ["providerName"], deleteBeforeReplace: true });
    assert.deepEqual((detailedDiff as Record<string, unknown>).providerName, { kind: "update-replace", inputDiff: true });
    await p.delete(id, outs);
    const created = await p.create(checked.inputs);
    assert.notEqual(created.id, id);
    assert.equal((await stored(admin, created.id)).type, "docker-registry");
  });

  it("deletes idempotently: a second delete of a gone endpoint succeeds", async () => {
    const { id, outs } = await createViaEngine(p, swr("delete-twice"));
    await p.delete(id, outs);
    await p.delete(id, outs);
    assert.deepEqual(await named("delete-twice"), []);
  });

  it("refuses to delete a referenced endpoint, naming the policy and the proxy-cache project", async () => {
    // A proxy-cache project needs an upstream type Harbor permits for proxy caching: docker-registry, not huawei-SWR.
    const { id, outs } = await createViaEngine(p, { providerName: "docker-registry", name: target.name("in-use"), endpointUrl: target.url, connectionTest: "never" });
    await target.rest.createReplicationPolicy(target.name("nightly-sync"), { srcRegistryId: Number(id) });
    await target.rest.createProxyCacheProject(target.name("registry-cache"), Number(id));
    await assert.rejects(p.delete(id, outs), (e: Error) => {
      assert.ok(e.message.includes(`cannot delete endpoint ${target.name("in-use")}`), e.message);
      assert.ok(e.message.includes(target.name("nightly-sync")), e.message);
      assert.ok(e.message.includes(target.name("registry-cache")), e.message);
      assert.ok(!e.message.includes(CANARY));
      return true;
    });
  });

  it("reconciles a lost POST response without creating a duplicate", async function () {
    const sim = target.requireSimulator(this, "fault injection");
    sim.inject({ method: "POST", path: "/api/v2.0/registries", dropConnection: "afterApply" });
    const { id, outs } = await createViaEngine(p, swr("lost-response"));
    const matches = await named("lost-response");
    assert.equal(matches.length, 1);
    assert.equal(String(matches[0]!.id), id);
    assert.equal(outs.registryId, matches[0]!.id);
  });

  it("reports a create whose read-back failed as partially created (id, properties, reasons) so it is not lost", async function () {
    const sim = target.requireSimulator(this, "fault injection");
    sim.inject({ method: "GET", path: /^\/api\/v2\.0\/registries\/\d+$/, status: 503, times: 10 });
    const checked = await p.check({}, swr("half-made"));
    await assert.rejects(p.create(checked.inputs), (e: Error & { id?: string; properties?: Props; reasons?: string[] }) => {
      const stored = sim.storedRegistries().find((r) => r.name === target.name("half-made"))!;
      assert.equal(e.id, String(stored.id));
      assert.equal(e.properties!.registryId, stored.id);
      assert.equal(e.reasons!.length, 1);
      assert.match(e.message, /was created in Harbor \(id \d+\), but reading it back failed/);
      assert.ok(!e.message.includes(CANARY));
      return true;
    });
  });

  it("refuses caCertificate on a Harbor older than 2.15 with a clear error", async function () {
    target.requireSimulator(this, "harborVersion switch");
    const old = await startHarborSimulator({ harborVersion: "v2.14.0" });
    const op = await providerFor(old);
    try {
      const pem = (await import("../../unit/registry-endpoint/fixtures")).TEST_CA_PEM;
      const checked = await op.check({}, swr("ca", { caCertificate: pem }));
      await assert.rejects(op.create(checked.inputs), /needs Harbor 2\.15 or newer, but this Harbor is v2\.14\.0/);
      assert.equal(old.storedRegistries().length, 0);
    } finally {
      await op.close();
      await old.close();
    }
  });

  it("runs Harbor's connection test in check for a new endpoint and passes a healthy one", async () => {
    target.sim?.resetRequests();
    // Harbor's own /v2/ answers an anonymous request with 401: healthy for an endpoint without credentials.
    const r = await p.check({}, { providerName: "docker-registry", name: target.name("pinged"), endpointUrl: target.url });
    assert.deepEqual(r.failures ?? [], []);
    if (target.sim) assert.equal(target.sim.requests.filter((x) => x.path === "/api/v2.0/registries/ping").length, 1);
  });

  it("fails check at a named input when the remote is unreachable, without the secret", async () => {
    const r = await p.check({}, { providerName: "docker-registry", name: target.name("dead"), endpointUrl: "http://127.0.0.1:1", accessId: "u", accessSecret: CANARY });
    assert.ok((r.failures ?? []).length > 0);
    assert.deepEqual(r.failures!.map((f) => f.property), ["endpointUrl"]);
    for (const f of r.failures!) assert.ok(!f.reason.includes(CANARY));
  });

  it("makes no request in check when connectionTest is never or a connection field is unknown", async function () {
    const sim = target.requireSimulator(this, "request log");
    // The provider process verifies its Harbor connection once, on its first check; what follows is per endpoint.
    await p.check({}, { providerName: "docker-registry", name: target.name("n0"), endpointUrl: sim.url, connectionTest: "never" });
    sim.resetRequests();
    await p.check({}, { providerName: "docker-registry", name: target.name("n1"), endpointUrl: sim.url, connectionTest: "never" });
    await p.check({}, { providerName: "docker-registry", name: target.name("n2"), endpointUrl: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" });
    assert.equal(sim.requests.length, 0);
  });

  it("never lets the canary secret reach an error, a check failure, stdout or stderr", async () => {
    const captured: string[] = [];
    const out = process.stdout.write.bind(process.stdout);
    const err = process.stderr.write.bind(process.stderr);
    const capture = (chunk: unknown) => {
      captured.push(String(chunk));
      return true;
    };
    process.stdout.write = capture as typeof process.stdout.write;
    process.stderr.write = capture as typeof process.stderr.write;
    const texts: string[] = [];
    try {
      const first = await createViaEngine(p, swr("canary"));
      const collect = async (work: () => Promise<unknown>) => {
        try {
          const r = await work();
          texts.push(JSON.stringify((r as { failures?: unknown })?.failures ?? []));
        } catch (e) {
          texts.push(String((e as Error).message), String((e as Error).stack));
        }
      };
      await collect(async () => p.create((await p.check({}, swr("canary"))).inputs));
      await collect(() => p.check({}, { providerName: "google-gcr", name: "g", endpointUrl: "https://gcr.io", accessId: "_json_key", accessSecret: CANARY }));
      await collect(() => p.check({}, { providerName: "quay", name: "q", endpointUrl: "https://quay.io", accessId: "json_file", accessSecret: CANARY }));
      await collect(() => p.check({}, { providerName: "docker-registry", name: "d", endpointUrl: "http://127.0.0.1:1", accessId: "u", accessSecret: CANARY }));
      await target.rest.createReplicationPolicy(target.name("canary-policy"), { destRegistryId: Number(first.id) });
      await collect(() => p.delete(first.id, first.outs));
      if (target.sim) {
        target.sim.inject({ method: "PUT", path: /\/api\/v2\.0\/registries\/\d+$/, status: 500 });
        await collect(() => p.update(first.id, first.outs, { ...first.inputs, accessSecret: `${CANARY}x` }));
      }
      const bad = await providerFor(target, { "harbor:password": `wrong-${CANARY}` });
      await collect(() => bad.create(first.inputs));
      await bad.close();
    } finally {
      process.stdout.write = out;
      process.stderr.write = err;
    }
    assert.ok(texts.length >= (target.sim ? 7 : 6));
    for (const t of [...texts, ...captured]) assert.ok(!t.includes(CANARY), `canary leaked: ${t.slice(0, 200)}`);
  });

  it("records Harbor's existing values when the adopt PUT fails, so the forced update on the next up sends the desired ones", async function () {
    const sim = target.requireSimulator(this, "fault injection");
    const existing = await admin.createRegistry({ name: target.name("adopt-put-fails"), type: "huawei-SWR", url: "https://old.example.com", description: "manual", credential: { access_key: "old", access_secret: "old-secret" } });
    sim.inject({ method: "PUT", path: /^\/api\/v2\.0\/registries\/\d+$/, status: 500 });
    const desired = swr("adopt-put-fails", { adopt: true, description: "managed" });
    const checked = await p.check({}, desired);
    let properties: Props | undefined;
    await assert.rejects(p.create(checked.inputs), (e: Error & { id?: string; properties?: Props; reasons?: string[] }) => {
      assert.equal(e.id, String(existing));
      assert.match(e.message, /was adopted \(id \d+\) but bringing it to the desired state failed/);
      assert.ok(!e.message.includes(CANARY));
      properties = e.properties;
      return true;
    });
    // State must describe what Harbor holds, not what was asked for: no secret, no completed-write marker.
    assert.equal(properties!.description, "manual");
    assert.equal(properties!.endpointUrl, "https://old.example.com");
    assert.equal(properties!.accessId, "old");
    assert.equal("accessSecret" in properties!, false);
    assert.equal("lastWriteTime" in properties!, false);
    assert.equal(properties!.adopt, true);
    // The engine's next up: diff against the recorded properties, then the update it forces for an init error.
    const diff = await p.diff(String(existing), properties!, checked.inputs);
    assert.equal(diff.changes, true);
    const updated = await p.update(String(existing), properties!, checked.inputs);
    const stored = sim.storedRegistry(existing)!;
    assert.equal(stored.description, "managed");
    assert.equal(stored.url, "https://swr.cn-north-1.myhuaweicloud.com");
    assert.equal(stored.accessKey, "swr-user");
    assert.equal(stored.accessSecret, CANARY);
    assert.equal((updated.outs as Props).description, "managed");
    assert.equal(typeof (updated.outs as Props).lastWriteTime, "string");
  });

  it("sends every desired field on update when old state carries no completed write (no lastWriteTime), even if it claims no change", async () => {
    const id = await admin.createRegistry({ name: target.name("unconfirmed"), type: "huawei-SWR", url: "https://old.example.com", description: "manual", credential: { access_key: "old", access_secret: "old-secret" } });
    const checked = await p.check({}, swr("unconfirmed", { description: "managed" }));
    // State as a partially-created resource would record it: the desired values, but no lastWriteTime.
    const olds: Props = { ...checked.inputs, stateVersion: 1, registryId: id };
    assert.equal((await p.diff(String(id), olds, checked.inputs)).changes, false);
    target.sim?.resetRequests();
    await p.update(String(id), olds, checked.inputs);
    if (target.sim) {
      const put = target.sim.requests.find((x) => x.method === "PUT")!;
      assert.deepEqual(Object.keys(put.body as object).sort(), ["access_key", "access_secret", "credential_type", "description", "insecure", "name", "url"]);
    }
    const now = await stored(admin, id);
    assert.equal(now.description, "managed");
    assert.equal(now.url, "https://swr.cn-north-1.myhuaweicloud.com");
    assert.equal(now.accessKey, "swr-user");
    assertStoredSecret(id, CANARY);
  });

  it("treats only Harbor's NOT_FOUND as gone: a 404 HTML page (proxy, wrong harbor:url path) fails read and delete", async () => {
    const proxy = http.createServer((_req, res) => {
      res.writeHead(404, { "Content-Type": "text/html" });
      res.end("<html><body><h1>404 Not Found</h1></body></html>");
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const pp = await providerFor({ url, username: "admin", password: "Harbor12345" });
    try {
      const outs = { stateVersion: 1, providerName: "huawei-SWR", name: "behind-proxy", endpointUrl: "https://swr.cn-north-1.myhuaweicloud.com", accessSecret: CANARY, registryId: 5, lastWriteTime: "2026-01-01T00:00:00Z" };
      await assert.rejects(pp.read("5", outs), (e: Error & { status?: number; code?: string }) => {
        assert.equal(e.status, 404);
        assert.notEqual(e.code, "NOT_FOUND");
        assert.match(e.message, /harbor:url/);
        assert.doesNotMatch(e.message, /deleted outside Pulumi/);
        assert.ok(!e.message.includes(CANARY));
        return true;
      });
      await assert.rejects(pp.delete("5", outs), (e: Error & { status?: number }) => e.status === 404);
    } finally {
      await pp.close();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    }
    // Harbor's own NOT_FOUND (the simulator's envelope) still means gone, for read and for delete.
    const { id, outs } = await createViaEngine(p, swr("really-gone"));
    await admin.deleteRegistry(Number(id));
    assert.deepEqual(await p.read(id, outs), {});
    await p.delete(id, outs);
  });

  it("warns once about an out-of-band edit of an endpoint without a managed secret, then moves the baseline", async () => {
    const { id, outs } = await createViaEngine(p, swr("no-secret", { accessId: undefined, accessSecret: undefined }));
    assert.equal("accessSecret" in outs, false);
    // Each refresh is a new provider process in real life, so each gets its own (deduplicating) logger.
    const refresh = async (props: Props): Promise<{ props: Props; warnings: EngineLogRecord[] }> => {
      const records: EngineLogRecord[] = [];
      const restore = setEngineLog(createEngineLogger({ transport: async (r) => void records.push(r) }));
      try {
        const r = await p.read(id, props);
        return { props: r.props as Props, warnings: records.filter((x) => x.severity === "warning") };
      } finally {
        restore();
      }
    };
    await sleep(5);
    await admin.updateRegistry(Number(id), { description: "edited in the UI" });
    const first = await refresh(outs);
    assert.equal(first.warnings.length, 1);
    // The edit is named (issue 8 item 7), not blamed on credentials.
    assert.match(first.warnings[0]!.message, /was edited in Harbor outside Pulumi: description differs from what Pulumi last wrote/);
    assert.equal(first.props.lastWriteTime, first.props.updateTime);
    assert.equal(first.props.credentialsDriftSuspected, undefined);
    const second = await refresh(first.props);
    assert.deepEqual(second.warnings, []);
    // A later edit still warns.
    await sleep(5);
    await admin.updateRegistry(Number(id), { description: "edited again" });
    const third = await refresh(second.props);
    assert.equal(third.warnings.length, 1);
  });

  it("fails a rename to a name another endpoint has with a message naming the name, not import", async () => {
    await createViaEngine(p, swr("rename-taken"));
    const { id, inputs, outs } = await createViaEngine(p, swr("rename-mine"));
    await assert.rejects(updateViaEngine(p, id, inputs, outs, swr("rename-taken")), (e: Error) => {
      assert.ok(e.message.includes(`another endpoint named ${target.name("rename-taken")} already exists in Harbor; choose another name or delete it`), e.message);
      assert.doesNotMatch(e.message, /import/);
      assert.ok(!e.message.includes(CANARY));
      return true;
    });
    assert.equal((await stored(admin, id)).name, target.name("rename-mine"));
  });

  it("reconciles a POST that timed out and that Harbor applied only later, by looking the name up again", async function () {
    const sim = target.requireSimulator(this, "fault injection");
    const slow = await providerFor(sim, {}, { timeoutMs: 300 });
    try {
      // Harbor applies the POST 1 s after it arrived, long after the client gave up at 300 ms.
      sim.inject({ method: "POST", path: "/api/v2.0/registries", delayMs: 1000 });
      sim.resetRequests();
      const { id, outs } = await createViaEngine(slow, swr("late-insert"));
      const matches = await named("late-insert");
      assert.equal(matches.length, 1);
      assert.equal(String(matches[0]!.id), id);
      assert.equal(outs.registryId, matches[0]!.id);
      assert.ok(sim.requests.filter((x) => x.method === "GET" && x.path === "/api/v2.0/registries").length >= 2);
    } finally {
      await slow.close();
    }
  });

  it("says the endpoint may still appear and how to adopt it when a lost POST is not found after bounded lookups", async function () {
    const sim = target.requireSimulator(this, "fault injection");
    sim.inject({ method: "POST", path: "/api/v2.0/registries", dropConnection: "before" });
    sim.resetRequests();
    const started = Date.now();
    const checked = await p.check({}, swr("never-appears"));
    await assert.rejects(p.create(checked.inputs), (e: Error) => {
      assert.match(e.message, /may appear in Harbor later/);
      assert.match(e.message, /`adopt: true`/);
      assert.ok(!e.message.includes(CANARY));
      return true;
    });
    const lookups = sim.requests.filter((x) => x.method === "GET" && x.path === "/api/v2.0/registries").length;
    assert.equal(lookups, 3);
    assert.ok(Date.now() - started < 10_000);
    assert.equal((await named("never-appears")).length, 0);
  });

  it("counts HTTP requests per operation (figures for the closing note)", async function () {
    const sim = target.requireSimulator(this, "request log");
    const figures: Record<string, number> = {};
    const measure = async <T>(label: string, work: () => Promise<T>): Promise<T> => {
      sim.resetRequests();
      const r = await work();
      // The simulator also logs its own health-check probes of the remote (here: itself, at /v2/); count only API calls.
      figures[label] = sim.requests.filter((x) => x.path.startsWith("/api/v2.0/")).length;
      return r;
    };
    const news = { providerName: "docker-registry", name: target.name("counted"), endpointUrl: sim.url, accessId: sim.username, accessSecret: sim.password };
    // The once-per-process verification of the Harbor connection is counted in tests/sim/provider/verify-connection.
    await p.check({}, { ...news, connectionTest: "never" });
    const checked = await measure("check (new, connection test)", () => p.check({}, news));
    await measure("check (unchanged, onChange)", () => p.check(checked.inputs, news));
    const created = await measure("create", () => p.create(checked.inputs));
    await measure("diff", () => p.diff(created.id, created.outs, checked.inputs));
    const read = await measure("read", () => p.read(created.id, created.outs));
    const news2 = { ...news, description: "d2" };
    const checked2 = await p.check(checked.inputs, news2);
    await measure("update (description)", () => p.update(created.id, read.props, checked2.inputs));
    await measure("delete", () => p.delete(created.id, created.outs));
    await measure("delete (already gone)", () => p.delete(created.id, created.outs));
    sim.inject({ method: "POST", path: "/api/v2.0/registries", dropConnection: "afterApply" });
    await measure("create (lost POST response)", async () => p.create((await p.check({}, { ...news, name: target.name("counted-lost"), connectionTest: "never" })).inputs));
    await admin.createRegistry({ name: target.name("counted-adopt"), type: "docker-registry", url: sim.url });
    await measure("create (adopt)", async () => p.create((await p.check({}, { ...news, name: target.name("counted-adopt"), adopt: true, connectionTest: "never" })).inputs));
    process.stdout.write(`      HTTP requests per operation: ${JSON.stringify(figures)}\n`);
    assert.equal(figures["create"], 2);
    assert.equal(figures["diff"], 0);
    assert.equal(figures["read"], 1);
    assert.equal(figures["update (description)"], 2);
    assert.equal(figures["delete"], 1);
    assert.equal(figures["check (unchanged, onChange)"], 0);
    assert.equal(figures["check (new, connection test)"], 1);
    assert.equal(figures["create (lost POST response)"], 3);
  });
});
