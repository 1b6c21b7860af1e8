// Issue 8 item 1 at the provider over real HTTP: one provider process per run, as the engine runs it. Two owners of
// one Harbor endpoint (state from an earlier release) no longer end in a delete of the endpoint the other still
// manages; adopt refuses an endpoint another resource of the stack manages; the 409 warns about two owners.
import * as assert from "node:assert/strict";
import { createEngineLogger, type EngineLogRecord, setEngineLog } from "../../../provider/engine-log";
import { createRegistryEndpointProvider, type RegistryEndpointProviderImplementation } from "../../../provider/provider";
import { LOGICAL_NAME_KEY } from "../../../provider/registry-endpoint/vocabulary";
import { type HarborSimulator, startHarborSimulator } from "../../../simulator";

type Props = Record<string, unknown>;
const SECRET = "Owner-Canary-5e1";

describe("sim: one Harbor endpoint, one owner per stack", function () {
  this.timeout(30_000);
  let sim: HarborSimulator;
  const open: RegistryEndpointProviderImplementation[] = [];

  /** A fresh provider process, configured as the engine does at the start of each run. */
  async function run(extra: Record<string, string> = {}): Promise<RegistryEndpointProviderImplementation> {
    const p = createRegistryEndpointProvider({ env: {}, clientOptions: { retry: { retries: 0 } } });
    const config: Record<string, string> = { "harbor:url": sim.url, "harbor:username": sim.username, "harbor:password": sim.password, ...extra };
    await p.configure({ config: { get: (k: string) => config[k], require: (k: string) => config[k]! } });
    open.push(p);
    return p;
  }
  const swr = (name: string, more: Props = {}): Props => ({
    providerName: "huawei-SWR", endpointUrl: "https://swr.cn-north-4.myhuaweicloud.com", accessId: "cn-north-4@AK", accessSecret: SECRET, name, ...more,
  });
  /** What the SDK sends: the inputs plus the logical name. */
  const fromSdk = (logical: string, inputs: Props): Props => ({ ...inputs, [LOGICAL_NAME_KEY]: logical });

  async function create(p: RegistryEndpointProviderImplementation, news: Props): Promise<{ id: string; inputs: Props; outs: Props }> {
    const checked = await p.check({}, news);
    assert.deepEqual(checked.failures ?? [], []);
    const created = await p.create(checked.inputs);
    return { id: created.id, inputs: checked.inputs as Props, outs: created.outs as Props };
  }

  beforeEach(async () => {
    sim = await startHarborSimulator();
  });
  afterEach(async () => {
    for (const p of open.splice(0)) await p.close();
    await sim.close();
  });

  it("check consumes the logical name: it never reaches the inputs (state) or Harbor", async () => {
    const p = await run();
    const checked = await p.check({}, fromSdk("hub", swr("x")));
    assert.equal(LOGICAL_NAME_KEY in (checked.inputs as Props), false);
    await p.create(checked.inputs);
    assert.equal(JSON.stringify(sim.requests.map((r) => r.body ?? null)).includes(LOGICAL_NAME_KEY), false);
  });

  it("check refuses the second of two resources on one Harbor name, also through a second connection to that Harbor", async () => {
    const p = await run({ "harbor:connections": JSON.stringify({ same: { url: sim.url, username: sim.username, password: sim.password } }) });
    assert.deepEqual((await p.check({}, fromSdk("a", swr("x")))).failures ?? [], []);
    const second = await p.check({}, fromSdk("b", swr("x", { connection: "same" })));
    assert.equal(second.failures?.length, 1);
    assert.equal(second.failures![0]!.property, "name");
    assert.match(second.failures![0]!.reason, /^RegistryEndpoint "b" and RegistryEndpoint "a" \(through connection "default"\) both resolve to the Harbor name "x"/);
    assert.ok(!second.failures![0]!.reason.includes(SECRET));
    // The first resource checked again (the engine never does, but a second look must not blame it on itself).
    assert.deepEqual((await p.check({}, fromSdk("a", swr("x")))).failures ?? [], []);
  });

  it("two owners from an earlier release: removing one leaves the endpoint in Harbor for the other, with a warning", async () => {
    // Run 1, as an earlier release allowed: "a" creates x, "b" adopts the same endpoint.
    const old = await run();
    const a = await create(old, swr("x"));
    const b = await create(old, swr("x", { adopt: true }));
    assert.equal(b.id, a.id);
    // Run 2: the program keeps "a" and drops "b". The engine checks and diffs "a", then deletes "b".
    const p = await run();
    const records: EngineLogRecord[] = [];
    const restore = setEngineLog(createEngineLogger({ transport: async (r) => void records.push(r) }));
    try {
      const checked = await p.check(a.inputs, fromSdk("a", swr("x")));
      assert.deepEqual(checked.failures ?? [], []);
      assert.equal((await p.diff(a.id, a.outs, checked.inputs)).changes, false);
      await p.delete(b.id, b.outs);
    } finally {
      restore();
    }
    assert.deepEqual(sim.storedRegistries().map((r) => r.id), [Number(a.id)], "the endpoint \"a\" manages was deleted");
    assert.equal(records.length, 1);
    assert.equal(records[0]!.severity, "warning");
    assert.match(records[0]!.message, /^RegistryEndpoint "x" \(Harbor id \d+\) leaves the stack without being deleted in Harbor: RegistryEndpoint "a" of this stack manages the same endpoint/);
    // A later run that drops "a" too deletes the endpoint: nothing is orphaned.
    const last = await run();
    await last.delete(a.id, a.outs);
    assert.deepEqual(sim.storedRegistries(), []);
  });

  for (const [how, extra, args] of [
    ["adopt: true", {}, { adopt: true }],
    ["harbor:adoptExisting", { "harbor:adoptExisting": "true" }, {}],
  ] as const) {
    it(`${how} refuses an endpoint another resource of the stack manages`, async () => {
      const first = await run();
      const a = await create(first, swr("x"));
      // Renamed in the Harbor UI: "a" still manages id 1, now called "z".
      await fetch(`${sim.url}/api/v2.0/registries/${a.id}`, {
        method: "PUT",
        headers: { authorization: `Basic ${Buffer.from(`${sim.username}:${sim.password}`).toString("base64")}`, "content-type": "application/json" },
        body: JSON.stringify({ name: "z" }),
      });
      const p = await run(extra);
      const kept = await p.check(a.inputs, fromSdk("a", swr("x")));
      await p.diff(a.id, a.outs, kept.inputs);
      const checked = await p.check({}, fromSdk("b", swr("z", args)));
      assert.deepEqual(checked.failures ?? [], []);
      await assert.rejects(p.create(checked.inputs), (e: Error) => {
        assert.match(e.message, new RegExp(`^cannot adopt endpoint z \\(id ${a.id}\\): RegistryEndpoint "a" of this stack already manages it, and two resources owning one endpoint means deleting either deletes it`));
        assert.ok(!e.message.includes(SECRET));
        return true;
      });
      assert.equal(sim.storedRegistries().length, 1);
    });
  }

  it("a resource alone adopts as before (a logical rename taken over with adopt)", async () => {
    const first = await run();
    const a = await create(first, swr("x"));
    const p = await run();
    const b = await create(p, fromSdk("b", swr("x", { adopt: true })));
    assert.equal(b.id, a.id);
    // "a" left the program: its delete runs after every create of the run and leaves the adopted endpoint alone.
    await p.delete(a.id, a.outs);
    assert.deepEqual(sim.storedRegistries().map((r) => String(r.id)), [a.id]);
  });

  it("the 409 without adopt says that adopting an endpoint another stack or tool manages gives it two owners", async () => {
    const first = await run();
    await create(first, swr("x"));
    const p = await run();
    const checked = await p.check({}, fromSdk("other", swr("x")));
    await assert.rejects(p.create(checked.inputs), (e: Error) => {
      assert.match(e.message, /already exists in Harbor; set `adopt: true`/);
      assert.match(e.message, /adopting an endpoint that another stack or tool manages gives it two owners, and deleting either deletes it/);
      return true;
    });
  });
});
