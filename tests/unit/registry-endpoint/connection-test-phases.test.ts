// Where the connection test runs (check for new endpoints, diff for existing ones) and once per change per `pulumi up`:
// the provider's check/diff driven as the engine does in each phase, with the test itself replaced by a counter.
import * as assert from "node:assert/strict";
import type { ConnectionFailure, ConnectionTarget } from "../../../provider/connection";
import { isConnectionTestError } from "../../../provider/errors";
import { CONNECTION_TEST_CONCURRENCY, createRegistryEndpointProvider, type RegistryEndpointProviderImplementation } from "../../../provider/provider";
import { RUN_PHASE_INPUT, type RunPhase } from "../../../provider/run-phase";
import { UNKNOWN } from "../../../provider/registry-endpoint/schema";
import { CANARY } from "./fixtures";

const endpoint = { providerName: "docker-registry", name: "reg", endpointUrl: "https://registry.example.com", accessId: "robot", accessSecret: CANARY };

/** A provider whose connection test counts its calls and fails for the endpoint names in `failing`. */
async function provider(failing: string[] = [], delayMs = 0): Promise<{ p: RegistryEndpointProviderImplementation; calls: ConnectionTarget[]; peak: () => number }> {
  const calls: ConnectionTarget[] = [];
  let inFlight = 0;
  let peak = 0;
  const p = createRegistryEndpointProvider({
    env: {},
    // harbor.example.com is no Harbor: this unit replaces the connection test and switches off the verification.
    verifyConnection: false,
    testConnection: async (t): Promise<ConnectionFailure[]> => {
      calls.push(t);
      inFlight++;
      peak = Math.max(peak, inFlight);
      try {
        if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
        return failing.includes(t.name) ? [{ property: "accessSecret", reason: `the remote refused accessSecret of endpoint "${t.name}"; check it.` }] : [];
      } finally {
        inFlight--;
      }
    },
  });
  const config: Record<string, string> = { "harbor:url": "https://harbor.example.com", "harbor:username": "admin", "harbor:password": "pw" };
  await p.configure({ config: { get: (k: string) => config[k], require: (k: string) => config[k]! } } as never);
  return { p, calls, peak: () => peak };
}

/** The engine's check in a phase: the SDK adds the phase marker to the program's inputs. */
async function check(p: RegistryEndpointProviderImplementation, olds: Record<string, unknown>, news: Record<string, unknown>, phase?: RunPhase) {
  return p.check(olds, phase === undefined ? news : { ...news, [RUN_PHASE_INPUT]: phase });
}

/** The state an up of `inputs` would have recorded (outputs echo every input, plus what Harbor said). */
async function stateOf(p: RegistryEndpointProviderImplementation, inputs: Record<string, unknown>): Promise<Record<string, unknown>> {
  const checked = (await p.check({}, { ...inputs, connectionTest: "never" })).inputs as Record<string, unknown>;
  return { ...checked, connectionTest: inputs.connectionTest, registryId: 1, status: "healthy", lastWriteTime: "2026-01-01T00:00:00Z" };
}

describe("connection test phases: check for new endpoints, diff for existing ones, once per `pulumi up`", () => {
  it("keeps the phase marker out of the checked inputs (so out of diff, policy packs and state)", async () => {
    const { p } = await provider();
    const r = await check(p, {}, endpoint, "preview");
    assert.ok(!(RUN_PHASE_INPUT in (r.inputs as object)));
  });

  it("new endpoint: pinged in the preview's check, not in the update's (Harbor's POST health-checks it)", async () => {
    const { p, calls } = await provider();
    await check(p, {}, endpoint, "preview");
    assert.equal(calls.length, 1);
    const preview = calls.length;
    const { p: u, calls: updateCalls } = await provider();
    await check(u, {}, endpoint, "update");
    assert.equal(preview + updateCalls.length, 1, "one ping over the whole up");
  });

  it("new endpoint without a phase marker (an older SDK): pinged in check, as before", async () => {
    const { p, calls } = await provider();
    await check(p, {}, endpoint);
    assert.equal(calls.length, 1);
  });

  it("existing endpoint with a changed secret: no ping in check, one in the preview's diff, none in the update's", async () => {
    const { p, calls } = await provider();
    const state = await stateOf(p, endpoint);
    const news = { ...endpoint, accessSecret: `${CANARY}-rotated` };
    const checked = (await check(p, state, news, "preview")).inputs;
    assert.equal(calls.length, 0, "check pinged an existing endpoint");
    const d = await p.diff("1", state, checked);
    assert.equal(d.changes, true);
    assert.equal(calls.length, 1, "diff did not ping the changed endpoint");

    const { p: u, calls: updateCalls } = await provider();
    const checkedU = (await check(u, state, news, "update")).inputs;
    await u.diff("1", state, checkedU);
    assert.equal(updateCalls.length, 0, "the update phase pinged although its PUT makes Harbor health-check the remote");
  });

  it("existing endpoint, only description changed: no ping anywhere", async () => {
    const { p, calls } = await provider();
    const state = await stateOf(p, endpoint);
    const checked = (await check(p, state, { ...endpoint, description: "new" }, "preview")).inputs;
    assert.equal((await p.diff("1", state, checked)).changes, true);
    assert.equal(calls.length, 0);
  });

  it('connectionTest "always", nothing changed: pinged in the preview and in an update with no write to Harbor', async () => {
    const always = { ...endpoint, connectionTest: "always" };
    for (const phase of ["preview", "update"] as const) {
      const { p, calls } = await provider();
      const state = await stateOf(p, always);
      const checked = (await check(p, state, always, phase)).inputs;
      assert.equal((await p.diff("1", state, checked)).changes, false);
      assert.equal(calls.length, 1, `${phase}: "always" must test even without a change`);
    }
  });

  it("a value not known yet skips the test in diff too", async () => {
    const { p, calls } = await provider();
    const state = await stateOf(p, endpoint);
    const checked = (await check(p, state, { ...endpoint, endpointUrl: UNKNOWN }, "preview")).inputs;
    await p.diff("1", state, checked);
    assert.equal(calls.length, 0);
  });

  it("a failing test fails diff with one sentence naming the endpoint and the field, never the secret", async () => {
    const { p } = await provider(["reg"]);
    const state = await stateOf(p, endpoint);
    const checked = (await check(p, state, { ...endpoint, accessSecret: `${CANARY}-wrong` }, "preview")).inputs;
    await assert.rejects(p.diff("1", state, checked), (e: unknown) => {
      assert.ok(isConnectionTestError(e), String(e));
      assert.equal(e.field, "accessSecret");
      assert.match(e.message, /^Connection test failed at accessSecret: .*endpoint "reg"/);
      assert.ok(!e.message.includes(CANARY));
      return true;
    });
  });

  it(`diffs run in parallel hold at most CONNECTION_TEST_CONCURRENCY (${CONNECTION_TEST_CONCURRENCY}) pings, and more than one`, async () => {
    const { p, calls, peak } = await provider([], 30);
    const n = 3 * CONNECTION_TEST_CONCURRENCY;
    const states = await Promise.all(Array.from({ length: n }, (_, i) => stateOf(p, { ...endpoint, name: `reg-${i}` })));
    const checked = await Promise.all(states.map((s, i) => check(p, s, { ...endpoint, name: `reg-${i}`, insecure: true }, "preview")));
    assert.equal(calls.length, 0);
    await Promise.all(states.map((s, i) => p.diff(String(i + 1), s, checked[i]!.inputs)));
    assert.equal(calls.length, n);
    assert.ok(peak() <= CONNECTION_TEST_CONCURRENCY, `peak ${peak()}`);
    assert.ok(peak() > 1, "the diffs' pings ran one at a time");
  });
});
