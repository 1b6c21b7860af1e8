// The messages a new user reads for docker-hub and github-ghcr endpoints (no endpointUrl in the program) when Harbor
// cannot reach their fixed hosts: no "property endpointUrl", no "unknown registry type" for a valid type.
import * as assert from "node:assert/strict";
import { HARBOR_SIDE } from "../../../provider/connection/harbor-ping";
import { createRegistryEndpointProvider, type RegistryEndpointProviderImplementation } from "../../../provider/provider";
import { type HarborSimulator, startHarborSimulator } from "../../../simulator";
import { freePort } from "../../support/free-port";

describe("sim: messages for fixed-host types when Harbor cannot reach the internet", function () {
  this.timeout(30_000);
  let sim: HarborSimulator;
  let p: RegistryEndpointProviderImplementation;
  const SECRET = "Fixed-Host-Tok-31";

  before(async () => {
    // No stand-ins, no overrides: Harbor (the simulator) has no route to Docker Hub or GHCR.
    sim = await startHarborSimulator();
    const closed = `http://127.0.0.1:${await freePort()}`;
    p = createRegistryEndpointProvider({
      env: {},
      clientOptions: { retry: { retries: 0 } },
      // This machine has no route either: the local diagnosis reaches a closed port instead of the internet.
      connectionContext: {
        remoteOverrides: { "https://hub.docker.com": closed, "https://registry-1.docker.io": closed, "https://ghcr.io": closed },
        probeTimeoutMs: 2000,
      },
    });
    const all: Record<string, string> = { "harbor:url": sim.url, "harbor:username": sim.username, "harbor:password": sim.password };
    await p.configure({ config: { get: (k: string) => all[k], require: (k: string) => all[k]! } });
  });
  after(async () => {
    await p?.close();
    await sim?.close();
  });

  for (const [what, inputs, host] of [
    ["docker-hub with credentials", { providerName: "docker-hub", name: "hub", accessId: "my-user", accessSecret: SECRET }, /hub\.docker\.com is unreachable from here too/],
    ["docker-hub anonymous", { providerName: "docker-hub", name: "hub-anon" }, /registry-1\.docker\.io is unreachable from here too/],
    ["github-ghcr", { providerName: "github-ghcr", name: "gh" }, /ghcr\.io is unreachable from here too.*always contacts https:\/\/ghcr\.io, whatever endpointUrl says/],
  ] as const) {
    it(`${what}: check names Harbor's egress, not endpointUrl, and says which host`, async () => {
      const r = await p.check({}, inputs);
      assert.equal(r.failures?.length, 1, JSON.stringify(r.failures));
      const f = r.failures![0]!;
      assert.equal(f.property, HARBOR_SIDE);
      assert.match(f.reason, host);
      assert.doesNotMatch(f.reason, /check endpointUrl/);
      assert.ok(!f.reason.includes(SECRET));
    });
  }

  it("a create Harbor refuses with 500 explains the docker-hub login, not an unknown registry type", async () => {
    const checked = await p.check({}, { providerName: "docker-hub", name: "hub-500", accessId: "my-user", accessSecret: SECRET, connectionTest: "never" });
    assert.deepEqual(checked.failures ?? [], []);
    const e = await p.create(checked.inputs).then(() => undefined, (err: unknown) => err as Error);
    assert.ok(e, "create succeeded without a route to Docker Hub");
    assert.match(e.message, /500/);
    assert.match(e.message, /its docker-hub adapter cannot log in at https:\/\/hub\.docker\.com with accessId and accessSecret/);
    assert.doesNotMatch(e.message, /unknown registry type/);
    assert.ok(!e.message.includes(SECRET));
  });

  it("a create Harbor finds unhealthy names the fixed hosts for github-ghcr, not the endpoint's URL", async () => {
    const checked = await p.check({}, { providerName: "github-ghcr", name: "gh-400", connectionTest: "never" });
    const e = await p.create(checked.inputs).then(() => undefined, (err: unknown) => err as Error);
    assert.ok(e);
    assert.match(e.message, /the registry is unhealthy\. Harbor's github-ghcr adapter always contacts ghcr\.io, whatever endpointUrl says/);
    assert.equal(sim.storedRegistries().length, 0);
  });
});

describe("sim: helm-hub on a Harbor newer than 2.7", function () {
  this.timeout(30_000);
  let sim: HarborSimulator;
  let p: RegistryEndpointProviderImplementation;
  before(async () => {
    sim = await startHarborSimulator({ harborVersion: "v2.15.2" });
    p = createRegistryEndpointProvider({ env: {}, clientOptions: { retry: { retries: 0 } }, connectionContext: { probeTimeoutMs: 1000 } });
    const all: Record<string, string> = { "harbor:url": sim.url, "harbor:username": sim.username, "harbor:password": sim.password };
    await p.configure({ config: { get: (k: string) => all[k], require: (k: string) => all[k]! } });
  });
  after(async () => {
    await p?.close();
    await sim?.close();
  });

  it("preview fails at providerName naming Harbor v2.8.0, for the type and its Terraform alias helm", async () => {
    for (const providerName of ["helm-hub", "helm"]) {
      const r = await p.check({}, { providerName, name: `charts-${providerName}`, endpointUrl: "https://hub.helm.sh" });
      assert.equal(r.failures?.length, 1, JSON.stringify(r.failures));
      assert.equal(r.failures![0]!.property, "providerName");
      assert.match(r.failures![0]!.reason, /Harbor has no adapter for providerName "helm-hub" of endpoint "charts-.*" \(removed in Harbor v2\.8\.0\)/);
    }
  });

  it("with connectionTest never, the create's 500 says the same, not an unknown type", async () => {
    const checked = await p.check({}, { providerName: "helm-hub", name: "charts", endpointUrl: "https://hub.helm.sh", connectionTest: "never" });
    await assert.rejects(p.create(checked.inputs), /Harbor v2\.8\.0 and later have no helm-hub adapter, so it answers 500; use another type/);
    assert.equal(sim.storedRegistries().length, 0);
  });
});
