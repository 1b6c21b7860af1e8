// The fault matrix: every Harbor call the provider makes × every way a network, a gateway or Harbor fails. Each cell
// states its expected outcome; after each cell Harbor holds exactly the endpoints the state records (no orphan, no
// duplicate), a rerun without the fault converges, and no canary secret appears in any message or log line.
import * as assert from "node:assert/strict";
import { createEngineLogger, setEngineLog } from "../../../provider/engine-log";
import { createRegistryEndpointProvider, type RegistryEndpointProviderImplementation } from "../../../provider/provider";
import type { HarborSimulator, SimulatorFault } from "../../../simulator";
import { assertNoCanary, canary } from "../../support/canary";
import { startFaultProxy, type FaultProxy, type ProxyRule } from "../../support/fault-proxy";
import { ProviderHarness, type RunResult } from "../../support/provider-harness";
import { startTestSimulator } from "../../support/sim";
import { TEST_CA_PEM } from "../../unit/registry-endpoint/fixtures";
import { skipAgainstExternalHarbor } from "../../support/harbor-target";

const FAULTS = [
  "drop-before", "drop-after-apply", "timeout", "429", "500", "502", "503", "504",
  "502-after-apply", "504-after-apply", "malformed-json", "html-200", "401", "403",
] as const;
type Fault = (typeof FAULTS)[number];

/** "ok": the operation succeeds (retried or reconciled); a RegExp: it fails with a message matching it. */
type Outcome = "ok" | RegExp;

// Generous for a loaded 2-core machine: a cell must fail for its fault, not for a slow scheduler.
const CLIENT_TIMEOUT_MS = 1000;
// Longer than the client's timeout; Harbor still applies the request when the delay is over.
const SLOW_MS = 1500;

interface Call {
  method: string;
  path: RegExp;
  /** The operation the cell runs; `before` brings Harbor and the state to where the call happens. */
  before?: (h: ProviderHarness, sim: HarborSimulator) => Promise<void>;
  run: (h: ProviderHarness) => Promise<RunResult>;
  /** What a rerun must achieve (default: the same run succeeds). */
  converge?: (h: ProviderHarness, sim: HarborSimulator) => Promise<void>;
}

const secret = canary("matrix-access-secret");
const password = canary("matrix-harbor-password");
const endpoint = (over: Record<string, unknown> = {}) => ({
  providerName: "huawei-SWR",
  endpointUrl: "https://swr.cn-north-4.myhuaweicloud.com",
  accessId: "cn-north-4@AK",
  accessSecret: secret,
  description: "first",
  connectionTest: "never",
  ...over,
});
const created = async (h: ProviderHarness) => {
  const r = await h.up({ ep: endpoint() });
  assert.ok(r.ok, r.messages.join("; "));
};

const CALLS: Record<string, Call> = {
  ping: { method: "POST", path: /^\/api\/v2\.0\/registries\/ping$/, run: (h) => h.up({ ep: endpoint({ connectionTest: "always" }) }) },
  create: { method: "POST", path: /^\/api\/v2\.0\/registries$/, run: (h) => h.up({ ep: endpoint() }) },
  get: { method: "GET", path: /^\/api\/v2\.0\/registries\/\d+$/, run: (h) => h.up({ ep: endpoint() }) },
  "list/find": { method: "GET", path: /^\/api\/v2\.0\/registries(\?|$)/, run: (h) => h.up({ ep: endpoint({ adopt: true }) }) },
  update: { method: "PUT", path: /^\/api\/v2\.0\/registries\/\d+$/, before: created, run: (h) => h.up({ ep: endpoint({ description: "second" }) }) },
  delete: { method: "DELETE", path: /^\/api\/v2\.0\/registries\/\d+$/, before: created, run: (h) => h.up({}) },
  systeminfo: { method: "GET", path: /^\/api\/v2\.0\/systeminfo$/, run: (h) => h.up({ ep: endpoint({ caCertificate: TEST_CA_PEM }) }) },
  "policy/project look-ups": {
    method: "GET",
    path: /^\/api\/v2\.0\/replication\/policies(\?|$)/,
    before: async (h, sim) => {
      await created(h);
      sim.addReplicationPolicy({ name: "ref-policy", destRegistryId: Number(h.state.get("ep")!.id) });
    },
    run: (h) => h.up({}),
    converge: async (h, sim) => {
      // Harbor refuses while the policy exists (now named, since the look-up works); once it is gone, delete converges.
      const again = await h.up({});
      assert.ok(!again.ok && /still used by replication policies "ref-policy"/.test(again.messages.join(" ")), again.messages.join("; "));
      const policy = (await harborCall(sim, "GET", "/replication/policies")) as { id: number }[];
      for (const p of policy) await harborCall(sim, "DELETE", `/replication/policies/${p.id}`);
      const r = await h.up({});
      assert.ok(r.ok, r.messages.join("; "));
    },
  },
};

const NO_ANSWER = /got no answer from Harbor.*not found by name after 3 lookups/;
const GATEWAY = /got a 50\d from something in front of Harbor, not from Harbor.*not found by name/;
const NOT_HARBORS = (operation: string) => new RegExp(`${operation} \\(\\w+ [^)]*\\) got a 200 answer whose`);
const READ_BACK = /was created in Harbor \(id \d+\), but reading it back failed/;
const NAMED_POLICY = /still used by replication policies "ref-policy"/;
const UNNAMED_USERS = /still used by replication policies or proxy-cache projects/;

// The expected outcome of every cell, written down. Retried calls (idempotent, ping on 429/503/drops, create on 429)
// succeed after one fault; a POST /registries that may have been applied is reconciled by name.
const EXPECTED: Record<keyof typeof CALLS, Record<Fault, Outcome>> = {
  ping: {
    "drop-before": "ok", "drop-after-apply": "ok", timeout: /did not finish within/, "429": "ok",
    "500": /could not set up its adapter \(500\)/, "502": /Harbor itself failed.*gateway in front of Harbor answered 502/, "503": "ok",
    "504": /Harbor itself failed.*answered 504/, "502-after-apply": /Harbor itself failed.*answered 502/, "504-after-apply": /Harbor itself failed.*answered 504/,
    "malformed-json": /is not Harbor's/, "html-200": /is not Harbor's/, "401": /login was rejected \(401\)/, "403": /lacks the system permission/,
  },
  create: {
    "drop-before": NO_ANSWER, "drop-after-apply": "ok", timeout: "ok", "429": "ok", "500": /answered 500 UNKNOWN/,
    "502": GATEWAY, "503": GATEWAY, "504": GATEWAY, "502-after-apply": "ok", "504-after-apply": "ok",
    "malformed-json": /got an answer that is not Harbor's/, "html-200": /got an answer that is not Harbor's/, "401": /answered 401/, "403": /answered 403/,
  },
  get: {
    "drop-before": "ok", "drop-after-apply": "ok", timeout: "ok", "429": "ok", "500": READ_BACK, "502": "ok", "503": "ok", "504": "ok",
    "502-after-apply": "ok", "504-after-apply": "ok", "malformed-json": READ_BACK, "html-200": READ_BACK, "401": READ_BACK, "403": READ_BACK,
  },
  "list/find": {
    "drop-before": "ok", "drop-after-apply": "ok", timeout: "ok", "429": "ok", "500": /answered 500/, "502": "ok", "503": "ok", "504": "ok",
    "502-after-apply": "ok", "504-after-apply": "ok", "malformed-json": NOT_HARBORS("listRegistries"), "html-200": NOT_HARBORS("listRegistries"),
    "401": /answered 401/, "403": /answered 403/,
  },
  update: {
    "drop-before": "ok", "drop-after-apply": "ok", timeout: "ok", "429": "ok", "500": /answered 500/, "502": "ok", "503": "ok", "504": "ok",
    "502-after-apply": "ok", "504-after-apply": "ok", "malformed-json": NOT_HARBORS("updateRegistry"), "html-200": NOT_HARBORS("updateRegistry"),
    "401": /answered 401/, "403": /answered 403/,
  },
  delete: {
    "drop-before": "ok", "drop-after-apply": "ok", timeout: "ok", "429": "ok", "500": /answered 500/, "502": "ok", "503": "ok", "504": "ok",
    "502-after-apply": "ok", "504-after-apply": "ok", "malformed-json": NOT_HARBORS("deleteRegistry"), "html-200": NOT_HARBORS("deleteRegistry"),
    "401": /answered 401/, "403": /answered 403/,
  },
  systeminfo: {
    "drop-before": "ok", "drop-after-apply": "ok", timeout: "ok", "429": "ok", "500": /answered 500/, "502": "ok", "503": "ok", "504": "ok",
    "502-after-apply": "ok", "504-after-apply": "ok", "malformed-json": NOT_HARBORS("getSystemInfo"), "html-200": NOT_HARBORS("getSystemInfo"),
    "401": /answered 401/, "403": /answered 403/,
  },
  "policy/project look-ups": {
    "drop-before": NAMED_POLICY, "drop-after-apply": NAMED_POLICY, timeout: NAMED_POLICY, "429": NAMED_POLICY, "500": UNNAMED_USERS,
    "502": NAMED_POLICY, "503": NAMED_POLICY, "504": NAMED_POLICY, "502-after-apply": NAMED_POLICY, "504-after-apply": NAMED_POLICY,
    "malformed-json": UNNAMED_USERS, "html-200": UNNAMED_USERS, "401": UNNAMED_USERS, "403": UNNAMED_USERS,
  },
};

async function harborCall(sim: HarborSimulator, method: string, path: string): Promise<unknown> {
  const res = await fetch(`${sim.url}/api/v2.0${path}`, {
    method,
    headers: { authorization: `Basic ${Buffer.from(`admin:${password}`).toString("base64")}` },
  });
  const text = await res.text();
  return text === "" ? undefined : JSON.parse(text);
}

function inject(sim: HarborSimulator, proxy: FaultProxy, call: Call, fault: Fault): void {
  const at: Pick<SimulatorFault, "method" | "path"> = { method: call.method, path: call.path };
  const via = (action: ProxyRule["action"]) => proxy.add({ method: call.method, path: call.path, action });
  switch (fault) {
    case "drop-before": return sim.inject({ ...at, dropConnection: "before" });
    case "drop-after-apply": return sim.inject({ ...at, dropConnection: "afterApply" });
    case "timeout": return sim.inject({ ...at, delayMs: SLOW_MS });
    case "429": return sim.inject({ ...at, status: 429, headers: { "Retry-After": "0" } });
    case "500": case "401": case "403": return sim.inject({ ...at, status: Number(fault) });
    case "502": case "503": case "504": return via({ kind: "gateway", status: Number(fault) as 502 | 503 | 504 });
    case "502-after-apply": return via({ kind: "gateway-after-apply", status: 502 });
    case "504-after-apply": return via({ kind: "gateway-after-apply", status: 504 });
    case "malformed-json": return via({ kind: "malformed-json-200" });
    case "html-200": return via({ kind: "html-200" });
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Harbor holds exactly the endpoints the state records: same ids, hence no orphan and no duplicate. */
function assertHarborMatchesState(sim: HarborSimulator, h: ProviderHarness, when: string): void {
  const harbor = sim.storedRegistries().map((r) => String(r.id)).sort();
  const state = [...h.state.values()].map((r) => r.id).sort();
  assert.deepEqual(harbor, state, `${when}: Harbor holds ${JSON.stringify(harbor)}, the state ${JSON.stringify(state)}`);
}

/** Totals reported after the matrix. */
const tally = { cells: 0, ok: 0, failedAsExpected: 0, orphans: 0, duplicates: 0, leaks: 0 };

describe("fault matrix: every Harbor call × every fault", function () {
  this.timeout(60_000);
  let logs: string[];
  let restoreLog: (() => void) | undefined;
  before(async function () {
    this.timeout(60_000);
    skipAgainstExternalHarbor(this, "the simulator's fault injection and a fault-injecting proxy in front of it");
    // The suite-wide swagger check compiles its schemas on the first response, blocking this process for a while:
    // pay that here, not inside the first cell's client timeout.
    const warm = await startTestSimulator({ adminPassword: password });
    await harborCall(warm, "GET", "/registries");
    await harborCall(warm, "GET", "/systeminfo");
    await warm.close();
    logs = [];
    restoreLog = setEngineLog(createEngineLogger({ transport: async (r) => void logs.push(r.message) }));
  });
  after(() => {
    restoreLog?.();
    console.log(`      fault matrix: ${tally.cells} cells, ${tally.ok} succeeded, ${tally.failedAsExpected} failed as expected; orphans ${tally.orphans}, duplicates ${tally.duplicates}, secrets leaked ${tally.leaks}`);
  });

  for (const [callName, call] of Object.entries(CALLS)) {
    describe(callName, () => {
      for (const fault of FAULTS) {
        const expected = EXPECTED[callName as keyof typeof CALLS][fault];
        const label = expected === "ok" ? "succeeds" : `fails (${expected.source.slice(0, 50)})`;
        it(`${fault}: ${label}, then Harbor matches the state, a rerun converges, no secret leaks`, async () => {
          tally.cells++;
          const sim = await startTestSimulator({ adminPassword: password });
          const proxy = await startFaultProxy(sim.url);
          let provider: RegistryEndpointProviderImplementation | undefined;
          try {
            provider = createRegistryEndpointProvider({
              env: { HARBOR_URL: proxy.url, HARBOR_USERNAME: "admin", HARBOR_PASSWORD: password, HARBOR_CONNECTION_DIAGNOSIS: "harbor-only" },
              clientOptions: { timeoutMs: CLIENT_TIMEOUT_MS, retry: { retries: 2, baseDelayMs: 20, maxDelayMs: 100 } },
              createOptions: { lookupDelaysMs: [0, 1000, 2000] },
            });
            const h = new ProviderHarness(provider);
            await call.before?.(h, sim);
            inject(sim, proxy, call, fault);
            const result = await call.run(h);
            const messages = [...result.messages];
            if (expected === "ok") {
              assert.ok(result.ok, `expected success, got: ${messages.join("; ")}`);
              tally.ok++;
            } else {
              assert.ok(!result.ok, `expected a failure matching ${expected}, but it succeeded`);
              assert.match(messages.join(" | "), expected);
              tally.failedAsExpected++;
            }
            // Let a delayed request finish on Harbor before comparing.
            if (fault === "timeout") await sleep(SLOW_MS + 200);
            try {
              assertHarborMatchesState(sim, h, "after the fault");
            } catch (e) {
              if (sim.storedRegistries().length > h.state.size) tally.orphans++;
              else tally.duplicates++;
              throw e;
            }
            sim.clearFaults();
            proxy.clear();
            if (call.converge) await call.converge(h, sim);
            else {
              const rerun = await call.run(h);
              messages.push(...rerun.messages);
              assert.ok(rerun.ok, `the rerun failed: ${rerun.messages.join("; ")}`);
              const third = await call.run(h);
              assert.ok(third.ok && third.steps.every((s) => s.startsWith("same")), `a third run still changes something: ${third.steps.join(", ")}`);
            }
            assertHarborMatchesState(sim, h, "after the rerun");
            for (const r of h.state.values()) {
              const stored = sim.storedRegistry(Number(r.id))!;
              assert.equal(stored.name, r.outputs.name);
              assert.equal(stored.description, r.outputs.description ?? "");
              assert.equal(stored.accessSecret, secret, "Harbor holds the desired secret");
            }
            try {
              assertNoCanary(`messages of ${callName} × ${fault}`, [...messages, ...logs]);
            } catch (e) {
              tally.leaks++;
              throw e;
            }
          } finally {
            await provider?.close();
            await proxy.close();
            await sim.close();
          }
        });
      }
    });
  }
});
