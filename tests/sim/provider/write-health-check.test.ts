// The update phase of `pulumi up` sends no ping: Harbor's own health check on POST/PUT tests the remote, and when it
// refuses, create/update give the same diagnosis a failed ping gets (the remote broke between preview and update).
import * as assert from "node:assert/strict";
import { isConnectionTestError } from "../../../provider/errors";
import { createRegistryEndpointProvider, type RegistryEndpointProviderImplementation } from "../../../provider/provider";
import { RUN_PHASE_INPUT } from "../../../provider/run-phase";
import { type HarborSimulator, startHarborSimulator } from "../../../simulator";

describe("sim: update phase — no ping, Harbor's health check on the write, our diagnosis when it refuses", function () {
  this.timeout(30_000);
  let sim: HarborSimulator;
  let p: RegistryEndpointProviderImplementation;
  const pings = () => sim.requests.filter((r) => r.method === "POST" && r.path === "/api/v2.0/registries/ping").length;

  before(async () => {
    sim = await startHarborSimulator();
    p = createRegistryEndpointProvider({ env: {}, clientOptions: { retry: { retries: 0 } }, connectionContext: { probeTimeoutMs: 2000 } });
    const config: Record<string, string> = { "harbor:url": sim.url, "harbor:username": sim.username, "harbor:password": sim.password, "harbor:allowHttp": "true" };
    await p.configure({ config: { get: (k: string) => config[k], require: (k: string) => config[k]! } });
  });
  afterEach(() => sim.clearFaults());
  after(async () => {
    await p?.close();
    await sim?.close();
  });

  // A docker-registry endpoint on the simulator's own /v2/, logging in as its admin: healthy until /v2/ breaks.
  const inputs = () => ({ providerName: "docker-registry", name: "phase-write", endpointUrl: sim.url, accessId: sim.username, accessSecret: sim.password });

  it("create in the update phase: no ping; a remote that broke since the preview fails the POST with the diagnosis", async () => {
    sim.resetRequests();
    const checked = await p.check({}, { ...inputs(), [RUN_PHASE_INPUT]: "update" });
    assert.deepEqual(checked.failures ?? [], []);
    assert.equal(pings(), 0, "the update phase's check pinged");
    sim.inject({ method: "GET", path: "/v2/", status: 503, times: Infinity });
    await assert.rejects(p.create(checked.inputs), (e: unknown) => {
      assert.ok(isConnectionTestError(e), String(e));
      assert.equal(e.field, "endpointUrl");
      assert.match(e.message, /endpoint "phase-write"/);
      assert.match(e.message, /503/);
      assert.ok(!e.message.includes(sim.password));
      return true;
    });
    assert.equal(pings(), 0, "the diagnosis pinged: Harbor's refusal already is the verdict");
    assert.deepEqual(sim.storedRegistries(), [], "a refused POST left an endpoint behind");
  });

  it("update in the update phase: no ping; Harbor's refusal of the PUT gets the diagnosis, and Harbor keeps the old record", async () => {
    const checked = await p.check({}, { ...inputs(), [RUN_PHASE_INPUT]: "update" });
    const created = await p.create(checked.inputs);
    const news = (await p.check(created.outs, { ...inputs(), description: "changed", [RUN_PHASE_INPUT]: "update" })).inputs;
    sim.resetRequests();
    assert.equal((await p.diff(created.id, created.outs, news)).changes, true);
    sim.inject({ method: "GET", path: "/v2/", status: 503, times: Infinity });
    await assert.rejects(p.update(created.id, created.outs, news), (e: unknown) => isConnectionTestError(e) && /endpoint "phase-write"/.test(e.message));
    assert.equal(pings(), 0);
    assert.equal(sim.storedRegistries()[0]?.description, "");
  });

  it('connectionTest "never": Harbor\'s refusal is reported as Harbor said it, without probing', async () => {
    sim.resetRequests();
    const checked = await p.check({}, { ...inputs(), name: "phase-never", connectionTest: "never", [RUN_PHASE_INPUT]: "update" });
    sim.inject({ method: "GET", path: "/v2/", status: 503, times: Infinity });
    await assert.rejects(p.create(checked.inputs), (e: unknown) => !isConnectionTestError(e) && /unhealthy/i.test(String(e)));
  });
});
