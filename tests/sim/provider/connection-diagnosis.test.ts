// harbor:connectionDiagnosis: "local" probes the remote from this machine after Harbor's verdict; "harbor-only" contacts only Harbor.
import * as assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { createRegistryEndpointProvider, type RegistryEndpointProviderImplementation } from "../../../provider/provider";
import { HARBOR_SIDE } from "../../../provider/connection/harbor-ping";
import { type HarborSimulator, startHarborSimulator } from "../../../simulator";

/** A stand-in for Docker Hub's registry: answers /v2/ with 401 like the real one and counts requests. */
async function startFakeDockerHub(): Promise<{ url: string; hits: string[]; close: () => Promise<void> }> {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    res.writeHead(401, { "www-authenticate": 'Bearer realm="https://auth.docker.io/token",service="registry.docker.io"', "docker-distribution-api-version": "registry/2.0" });
    res.end('{"errors":[{"code":"UNAUTHORIZED"}]}');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe("sim: harbor:connectionDiagnosis decides whether a failed connection test is diagnosed from this machine", function () {
  this.timeout(30_000);
  // Without a remoteOverrides entry the simulator finds every docker-hub endpoint unhealthy, without any network.
  let sim: HarborSimulator;
  let hub: Awaited<ReturnType<typeof startFakeDockerHub>>;
  const providers: RegistryEndpointProviderImplementation[] = [];

  async function provider(config: Record<string, string>, env: NodeJS.ProcessEnv = {}): Promise<RegistryEndpointProviderImplementation> {
    const p = createRegistryEndpointProvider({
      env,
      clientOptions: { retry: { retries: 0 } },
      // Where the local diagnosis would reach the internet, it reaches the counting stand-in instead.
      connectionContext: { remoteOverrides: { "https://registry-1.docker.io": hub.url, "https://hub.docker.com": hub.url }, probeTimeoutMs: 2000 },
    });
    const all: Record<string, string> = { "harbor:url": sim.url, "harbor:username": sim.username, "harbor:password": sim.password, ...config };
    await p.configure({ config: { get: (k: string) => all[k], require: (k: string) => all[k]! } });
    providers.push(p);
    return p;
  }

  const hubEndpoint = { providerName: "docker-hub", name: "diagnosed-hub" };

  before(async () => {
    sim = await startHarborSimulator();
    hub = await startFakeDockerHub();
  });
  beforeEach(() => {
    hub.hits.length = 0;
  });
  after(async () => {
    for (const p of providers) await p.close();
    await hub?.close();
    await sim?.close();
  });

  it("local (the default): probes Docker Hub from here and says Harbor is the one that cannot reach it", async () => {
    const p = await provider({});
    const r = await p.check({}, hubEndpoint);
    assert.equal(r.failures?.length, 1);
    // The program set no endpointUrl and Harbor ignores it for docker-hub: the fault is Harbor's egress.
    assert.equal(r.failures![0]!.property, HARBOR_SIDE);
    assert.match(r.failures![0]!.reason, /endpoint "diagnosed-hub", yet from this machine Docker Hub is reachable/);
    assert.deepEqual(hub.hits, ["GET /v2/"]);
  });

  it("harbor-only from stack config: reports Harbor's verdict and contacts nothing but Harbor", async () => {
    const p = await provider({ "harbor:connectionDiagnosis": "harbor-only" });
    const r = await p.check({}, hubEndpoint);
    assert.equal(r.failures?.length, 1);
    assert.match(r.failures![0]!.reason, /Harbor's connection test failed for endpoint "diagnosed-hub" and the local diagnosis is turned off/);
    assert.deepEqual(hub.hits, []);
  });

  it("harbor-only from HARBOR_CONNECTION_DIAGNOSIS, and stack config local overrides it", async () => {
    const fromEnv = await provider({}, { HARBOR_CONNECTION_DIAGNOSIS: "harbor-only" });
    assert.match((await fromEnv.check({}, hubEndpoint)).failures![0]!.reason, /the local diagnosis is turned off/);
    assert.deepEqual(hub.hits, []);
    const overridden = await provider({ "harbor:connectionDiagnosis": "local" }, { HARBOR_CONNECTION_DIAGNOSIS: "harbor-only" });
    assert.match((await overridden.check({}, hubEndpoint)).failures![0]!.reason, /yet from this machine Docker Hub is reachable/);
    assert.deepEqual(hub.hits, ["GET /v2/"]);
  });

  it("an unknown value fails check naming the setting", async () => {
    const p = createRegistryEndpointProvider({ env: {} });
    providers.push(p);
    const all: Record<string, string> = { "harbor:url": sim.url, "harbor:username": sim.username, "harbor:password": sim.password, "harbor:connectionDiagnosis": "nearby" };
    await assert.rejects(p.configure({ config: { get: (k: string) => all[k], require: (k: string) => all[k]! } }), /harbor:connectionDiagnosis must be one of local, harbor-only/);
  });
});
