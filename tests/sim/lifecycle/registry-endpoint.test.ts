// Lifecycle of RegistryEndpoint against the Harbor simulator over real HTTP, calling the provider as the engine does.
import * as assert from "node:assert/strict";
import { createRegistryEndpointProvider, type RegistryEndpointProviderImplementation } from "../../../provider/provider";
import { HarborClient } from "../../../provider/harbor/client";
import { type HarborSimulator, startHarborSimulator } from "../../../simulator";

const CANARY = "canary-Lifecycle-7c2d9e0b";

type Props = Record<string, unknown>;

/** Configures a fresh provider the way the dynamic-provider host does: configure() with the stack config first. */
async function providerFor(sim: HarborSimulator, extra: Record<string, string> = {}): Promise<RegistryEndpointProviderImplementation> {
  const p = createRegistryEndpointProvider({ env: {}, clientOptions: { retry: { retries: 1, baseDelayMs: 10, maxDelayMs: 20 } } });
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

const swr = (name: string, extra: Props = {}): Props => ({
  providerName: "huawei-SWR",
  name,
  endpointUrl: "https://swr.cn-north-1.myhuaweicloud.com",
  accessId: "swr-user",
  accessSecret: CANARY,
  connectionTest: "never",
  ...extra,
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("sim: RegistryEndpoint lifecycle", function () {
  this.timeout(30000);
  let sim: HarborSimulator;
  let p: RegistryEndpointProviderImplementation;
  let admin: HarborClient;

  before(async () => {
    sim = await startHarborSimulator();
    admin = new HarborClient({ url: sim.url, username: sim.username, password: sim.password });
  });
  beforeEach(async () => {
    p = await providerFor(sim);
  });
  afterEach(async () => {
    sim.clearFaults();
    await p.close();
  });
  after(async () => {
    await admin.close();
    await sim.close();
  });

  it("creates an endpoint: id is Harbor's id, outputs echo inputs plus Harbor's fields, the secret is stored", async () => {
    const { id, outs } = await createViaEngine(p, swr("create-me", { description: "first" }));
    assert.match(id, /^\d+$/);
    const stored = sim.storedRegistry(Number(id))!;
    assert.equal(stored.accessSecret, CANARY);
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
      assert.match(e.message, /endpoint taken already exists in Harbor; set `adopt: true`/);
      assert.ok(!e.message.includes(CANARY));
      return true;
    });
  });

  it("adopts an existing endpoint of the same name and brings it to the desired state", async () => {
    const before = await admin.createRegistry({ name: "adopt-me", type: "huawei-SWR", url: "https://old.example.com", description: "manual", credential: { access_key: "old", access_secret: "old-secret" } });
    const { id, outs } = await createViaEngine(p, swr("adopt-me", { adopt: true, description: "managed" }));
    assert.equal(id, String(before));
    const stored = sim.storedRegistry(before)!;
    assert.equal(stored.description, "managed");
    assert.equal(stored.url, "https://swr.cn-north-1.myhuaweicloud.com");
    assert.equal(stored.accessKey, "swr-user");
    assert.equal(stored.accessSecret, CANARY);
    assert.equal(outs.adopt, true);
    assert.equal(sim.storedRegistries().filter((r) => r.name === "adopt-me").length, 1);
  });

  it("refuses to adopt an endpoint of another type", async () => {
    await admin.createRegistry({ name: "other-type", type: "docker-registry", url: sim.url });
    await assert.rejects(p.create((await p.check({}, swr("other-type", { adopt: true }))).inputs), /provider type docker-registry, not huawei-SWR/);
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
    assert.equal(sim.storedRegistry(Number(id))!.accessSecret, CANARY);
    assert.equal(sim.storedRegistry(Number(id))!.description, "");
    assert.equal(after.credentialsDriftSuspected, undefined);
    const again = await p.diff(id, after, inputs);
    assert.equal(again.changes, false);
  });

  it("reports an endpoint deleted out of band as gone on read", async () => {
    const { id, outs } = await createViaEngine(p, swr("vanishing"));
    await admin.deleteRegistry(Number(id));
    assert.deepEqual(await p.read(id, outs), {});
  });

  it("updates the description with a PUT of only that field", async () => {
    const { id, inputs, outs } = await createViaEngine(p, swr("upd-desc"));
    sim.resetRequests();
    const r = await updateViaEngine(p, id, inputs, outs, swr("upd-desc", { description: "new" }));
    const puts = sim.requests.filter((x) => x.method === "PUT");
    assert.equal(puts.length, 1);
    assert.deepEqual(puts[0]!.body, { description: "new" });
    assert.equal(r.outs.description, "new");
  });

  it("updates the secret in place", async () => {
    const { id, inputs, outs } = await createViaEngine(p, swr("upd-secret"));
    const r = await updateViaEngine(p, id, inputs, outs, swr("upd-secret", { accessSecret: `${CANARY}-2` }));
    assert.deepEqual(r.diff.replaces ?? [], []);
    assert.equal(sim.storedRegistry(Number(id))!.accessSecret, `${CANARY}-2`);
  });

  it("updates the URL and always re-sends the secret with it", async () => {
    const { id, inputs, outs } = await createViaEngine(p, swr("upd-url"));
    sim.resetRequests();
    await updateViaEngine(p, id, inputs, outs, swr("upd-url", { endpointUrl: "https://swr.ap-southeast-1.myhuaweicloud.com/" }));
    const put = sim.requests.find((x) => x.method === "PUT")!;
    assert.deepEqual(Object.keys(put.body as object).sort(), ["access_secret", "url"]);
    const stored = sim.storedRegistry(Number(id))!;
    assert.equal(stored.url, "https://swr.ap-southeast-1.myhuaweicloud.com");
    assert.equal(stored.accessSecret, CANARY);
  });

  it("makes no request for a change of a local-only setting", async () => {
    const { id, inputs, outs } = await createViaEngine(p, swr("local-only"));
    sim.resetRequests();
    const r = await updateViaEngine(p, id, inputs, outs, swr("local-only", { adopt: true }));
    assert.equal(r.diff.changes, true);
    assert.equal(r.outs.adopt, true);
    assert.equal(sim.requests.length, 0);
  });

  it("replaces (delete before create) when providerName changes", async () => {
    const { id, inputs, outs } = await createViaEngine(p, swr("replace-me"));
    const news = { providerName: "docker-registry", name: "replace-me", endpointUrl: sim.url, connectionTest: "never" };
    const checked = await p.check(inputs, news);
    const diff = await p.diff(id, outs, checked.inputs);
    assert.deepEqual(diff, { changes: true, replaces: ["providerName"], deleteBeforeReplace: true });
    await p.delete(id, outs);
    const created = await p.create(checked.inputs);
    assert.notEqual(created.id, id);
    assert.equal(sim.storedRegistry(Number(created.id))!.type, "docker-registry");
  });

  it("deletes idempotently: a second delete of a gone endpoint succeeds", async () => {
    const { id, outs } = await createViaEngine(p, swr("delete-twice"));
    await p.delete(id, outs);
    await p.delete(id, outs);
    assert.equal(sim.storedRegistry(Number(id)), undefined);
  });

  it("refuses to delete a referenced endpoint, naming the policy and the proxy-cache project", async () => {
    const { id, outs } = await createViaEngine(p, swr("in-use"));
    sim.addReplicationPolicy({ name: "nightly-sync", srcRegistryId: Number(id) });
    sim.addProject({ name: "swr-cache", registryId: Number(id) });
    await assert.rejects(p.delete(id, outs), (e: Error) => {
      assert.match(e.message, /cannot delete endpoint in-use/);
      assert.match(e.message, /nightly-sync/);
      assert.match(e.message, /swr-cache/);
      assert.ok(!e.message.includes(CANARY));
      return true;
    });
  });

  it("reconciles a lost POST response without creating a duplicate", async () => {
    sim.inject({ method: "POST", path: "/api/v2.0/registries", dropConnection: "afterApply" });
    const { id, outs } = await createViaEngine(p, swr("lost-response"));
    const matches = sim.storedRegistries().filter((r) => r.name === "lost-response");
    assert.equal(matches.length, 1);
    assert.equal(String(matches[0]!.id), id);
    assert.equal(outs.registryId, matches[0]!.id);
  });

  it("reports a create whose read-back failed as partially created (id, properties, reasons) so it is not lost", async () => {
    sim.inject({ method: "GET", path: /^\/api\/v2\.0\/registries\/\d+$/, status: 503, times: 10 });
    const checked = await p.check({}, swr("half-made"));
    await assert.rejects(p.create(checked.inputs), (e: Error & { id?: string; properties?: Props; reasons?: string[] }) => {
      const stored = sim.storedRegistries().find((r) => r.name === "half-made")!;
      assert.equal(e.id, String(stored.id));
      assert.equal(e.properties!.registryId, stored.id);
      assert.equal(e.reasons!.length, 1);
      assert.match(e.message, /was created in Harbor \(id \d+\), but reading it back failed/);
      assert.ok(!e.message.includes(CANARY));
      return true;
    });
  });

  it("refuses caCertificate on a Harbor older than 2.15 with a clear error", async () => {
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
    sim.resetRequests();
    const r = await p.check({}, { providerName: "docker-registry", name: "pinged", endpointUrl: sim.url });
    assert.deepEqual(r.failures ?? [], []);
    assert.equal(sim.requests.filter((x) => x.path === "/api/v2.0/registries/ping").length, 1);
  });

  it("fails check at a named input when the remote is unreachable, without the secret", async () => {
    const r = await p.check({}, { providerName: "docker-registry", name: "dead", endpointUrl: "http://127.0.0.1:1", accessId: "u", accessSecret: CANARY });
    assert.ok((r.failures ?? []).length > 0);
    for (const f of r.failures!) assert.ok(!f.reason.includes(CANARY));
  });

  it("makes no request in check when connectionTest is never or a connection field is unknown", async () => {
    sim.resetRequests();
    await p.check({}, { providerName: "docker-registry", name: "n1", endpointUrl: sim.url, connectionTest: "never" });
    await p.check({}, { providerName: "docker-registry", name: "n2", endpointUrl: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" });
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
      sim.addReplicationPolicy({ name: "canary-policy", destRegistryId: Number(first.id) });
      await collect(() => p.delete(first.id, first.outs));
      sim.inject({ method: "PUT", path: /\/api\/v2\.0\/registries\/\d+$/, status: 500 });
      await collect(() => p.update(first.id, first.outs, { ...first.inputs, accessSecret: `${CANARY}x` }));
      const bad = await providerFor(sim, { "harbor:password": `wrong-${CANARY}` });
      await collect(() => bad.create(first.inputs));
      await bad.close();
    } finally {
      process.stdout.write = out;
      process.stderr.write = err;
    }
    assert.ok(texts.length >= 7);
    for (const t of [...texts, ...captured]) assert.ok(!t.includes(CANARY), `canary leaked: ${t.slice(0, 200)}`);
  });

  it("counts HTTP requests per operation (figures for the closing note)", async () => {
    const figures: Record<string, number> = {};
    const measure = async <T>(label: string, work: () => Promise<T>): Promise<T> => {
      sim.resetRequests();
      const r = await work();
      // The simulator also logs its own health-check probes of the remote (here: itself, at /v2/); count only API calls.
      figures[label] = sim.requests.filter((x) => x.path.startsWith("/api/v2.0/")).length;
      return r;
    };
    const news = { providerName: "docker-registry", name: "counted", endpointUrl: sim.url, accessId: sim.username, accessSecret: sim.password };
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
    await measure("create (lost POST response)", async () => p.create((await p.check({}, { ...news, name: "counted-lost", connectionTest: "never" })).inputs));
    await admin.createRegistry({ name: "counted-adopt", type: "docker-registry", url: sim.url });
    await measure("create (adopt)", async () => p.create((await p.check({}, { ...news, name: "counted-adopt", adopt: true, connectionTest: "never" })).inputs));
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
