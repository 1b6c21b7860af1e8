// Bounded concurrency of preview-time connection tests: many parallel check() calls never hold more pings than the limit.
import * as assert from "node:assert/strict";
import { testConnection } from "../../../provider/connection";
import { CONNECTION_TEST_CONCURRENCY, createRegistryEndpointProvider, type RegistryEndpointProviderImplementation } from "../../../provider/provider";
import { type HarborSimulator, startHarborSimulator } from "../../../simulator";

const ENDPOINTS = 30;
const PING_DELAY_MS = 150;

describe("sim: connection tests of many new endpoints run with bounded concurrency", function () {
  this.timeout(30_000);
  let sim: HarborSimulator;
  let p: RegistryEndpointProviderImplementation;
  let inFlight = 0;
  let peak = 0;

  before(async () => {
    sim = await startHarborSimulator();
    p = createRegistryEndpointProvider({
      env: {},
      // A pool far larger than the limit: only the provider's own bound may keep pings from running at once.
      clientOptions: { connections: 64, retry: { retries: 0 } },
      // The real connection test, with Harbor's ping counted while it is outstanding.
      testConnection: (target, harbor) =>
        testConnection(target, {
          localDiagnosis: false,
          harbor: {
            pingRegistry: async (body) => {
              inFlight++;
              peak = Math.max(peak, inFlight);
              try {
                return await harbor.pingRegistry(body);
              } finally {
                inFlight--;
              }
            },
          },
        }),
    });
    const config: Record<string, string> = { "harbor:url": sim.url, "harbor:username": sim.username, "harbor:password": sim.password };
    await p.configure({ config: { get: (k: string) => config[k], require: (k: string) => config[k]! } });
  });
  after(async () => {
    await p?.close();
    await sim?.close();
  });

  it(`holds at most CONNECTION_TEST_CONCURRENCY (${CONNECTION_TEST_CONCURRENCY}) pings in flight for ${ENDPOINTS} parallel checks, and more than one`, async () => {
    sim.resetRequests();
    sim.inject({ method: "POST", path: "/api/v2.0/registries/ping", delayMs: PING_DELAY_MS, times: Infinity });
    const started = Date.now();
    const results = await Promise.all(
      Array.from({ length: ENDPOINTS }, (_, i) =>
        // The simulator serves /v2/, so a docker-registry endpoint pointing at it is healthy.
        p.check({}, { providerName: "docker-registry", name: `concurrent-${i}`, endpointUrl: sim.url }),
      ),
    );
    const elapsed = Date.now() - started;
    sim.clearFaults();

    assert.deepEqual(results.map((r) => r.failures ?? []), Array.from({ length: ENDPOINTS }, () => []), "every endpoint is healthy");
    const pings = sim.requests.filter((r) => r.method === "POST" && r.path === "/api/v2.0/registries/ping");
    assert.equal(pings.length, ENDPOINTS, "every new endpoint was pinged exactly once");
    assert.ok(peak <= CONNECTION_TEST_CONCURRENCY, `peak of ${peak} pings in flight exceeds ${CONNECTION_TEST_CONCURRENCY}`);
    assert.ok(peak > 1, `peak of ${peak}: the pings ran one at a time`);
    // Waves of at most the limit, each held by the delay: the bound is real time, not just a counter.
    const waves = Math.ceil(ENDPOINTS / CONNECTION_TEST_CONCURRENCY);
    assert.ok(elapsed >= waves * PING_DELAY_MS, `${ENDPOINTS} delayed pings finished in ${elapsed} ms, faster than ${waves} waves`);
  });
});
