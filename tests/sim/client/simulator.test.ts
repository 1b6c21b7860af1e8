// Sim-tier tests: every Harbor client operation against the Harbor simulator over real HTTP, including injected faults.
import assert from "node:assert/strict";
import { startHarborSimulator, type HarborSimulator } from "../../../simulator";
import type { HarborClient } from "../../../provider/harbor";
import {
  HarborApiError,
  isHarborApiError,
  isHarborNetworkError,
  isHarborTimeoutError,
} from "../../../provider/errors";
import { LocalServer, fakeClock, startLocalServer } from "./local-server";
import { assertNoSecretIn, rejection, trackedClients } from "./client-helpers";

const REMOTE_KEY = "remote-user";
const REMOTE_SECRET = "remote-Canary-5521";
const ADMIN_PASSWORD = "admin-Canary-8812";

function assertNoSecret(e: unknown): void {
  assertNoSecretIn(e, [REMOTE_SECRET, ADMIN_PASSWORD]);
}

describe("Harbor client against the Harbor simulator", function () {
  let sim: HarborSimulator;
  let remote: LocalServer;
  let client: HarborClient;
  const clients = trackedClients(() => ({ url: sim.url, username: "admin", password: ADMIN_PASSWORD, timeoutMs: 5000, clock: fakeClock() }));
  const makeClient = clients.make;

  function dockerRegistry(name: string, secret = REMOTE_SECRET): Parameters<HarborClient["createRegistry"]>[0] {
    return { name, type: "docker-registry", url: remote.url, description: "test", credential: { type: "basic", access_key: REMOTE_KEY, access_secret: secret } };
  }

  before(async () => {
    // A Docker Distribution stand-in: /v2/ wants basic auth with REMOTE_KEY/REMOTE_SECRET.
    remote = await startLocalServer();
    remote.handle((req, res) => {
      const expected = `Basic ${Buffer.from(`${REMOTE_KEY}:${REMOTE_SECRET}`).toString("base64")}`;
      if (req.url !== "/v2/" && req.url !== "/v2") return void res.writeHead(404).end();
      if (req.headers.authorization === expected) return void res.writeHead(200, { "docker-distribution-api-version": "registry/2.0" }).end("{}");
      res.writeHead(401, { "www-authenticate": 'Basic realm="registry"', "docker-distribution-api-version": "registry/2.0" }).end();
    });
  });
  after(async () => {
    await remote.close();
  });

  beforeEach(async () => {
    sim = await startHarborSimulator({
      adminPassword: ADMIN_PASSWORD,
      healthCheckTimeoutMs: 2000,
      users: [
        { username: "robot$reader", password: "robot-pw", permissions: ["registry:read", "registry:list"] },
        { username: "dev", password: "dev-pw" },
      ],
    });
    client = makeClient();
  });
  afterEach(async () => {
    await clients.closeAll();
    await sim.close();
  });

  it("runs create → get → list → find → update → ping → info → delete", async () => {
    const id = await client.createRegistry(dockerRegistry("lifecycle"));
    assert.ok(id > 0);
    assert.equal(sim.storedRegistry(id)?.accessSecret, REMOTE_SECRET);

    const got = await client.getRegistry(id);
    assert.equal(got.name, "lifecycle");
    assert.equal(got.credential?.access_secret, "*****");
    assert.equal(got.status, "healthy");

    assert.deepEqual((await client.listRegistries()).map((r) => r.id), [id]);
    assert.equal((await client.findRegistryByName("lifecycle"))?.id, id);
    assert.equal(await client.findRegistryByName("Lifecycle"), undefined);

    await client.updateRegistry(id, { description: "changed" });
    assert.equal((await client.getRegistry(id)).description, "changed");
    assert.equal(sim.storedRegistry(id)?.accessSecret, REMOTE_SECRET);

    await client.pingRegistry({ id });
    await client.pingRegistry({ type: "docker-registry", url: remote.url, credential_type: "basic", access_key: REMOTE_KEY, access_secret: REMOTE_SECRET });

    const info = await client.getRegistryInfo(id);
    assert.equal(info.type, "docker-registry");

    await client.deleteRegistry(id);
    const e = (await rejection(client.getRegistry(id))) as HarborApiError;
    assert.ok(isHarborApiError(e));
    assert.equal(e.status, 404);
    assert.equal(e.code, "NOT_FOUND");
    assert.ok(e.requestId && sim.requests.some((r) => r.requestId === e.requestId));
  });

  it("sends the client's X-Request-Id, which the simulator echoes", async () => {
    await client.getSystemInfo();
    const logged = sim.requests.at(-1)!;
    assert.equal(logged.headers["x-request-id"], logged.requestId);
  });

  it("reads the synthetic Local registry at id 0", async () => {
    const local = await client.getRegistry(0);
    assert.equal(local.name, "Local");
    assert.equal(local.id, 0);
  });

  it("lists adapters, adapter infos and system info", async () => {
    const types = await client.listRegistryProviderTypes();
    assert.ok(types.includes("docker-registry") && types.includes("harbor"), types.join());
    const infos = await client.listRegistryProviderInfos();
    assert.ok("docker-hub" in infos);
    assert.ok(!("harbor" in infos));
    assert.match((await client.getSystemInfo()).harbor_version ?? "", /^v2\.15\.2/);
  });

  it("sees no harbor_version in system info with a wrong password", async () => {
    const wrong = makeClient({ password: "wrong" });
    assert.equal((await wrong.getSystemInfo()).harbor_version, undefined);
  });

  it("reports 401 for a wrong password on a registry call", async () => {
    const wrong = makeClient({ password: "wrong" });
    const e = (await rejection(wrong.listRegistries())) as HarborApiError;
    assert.equal(e.status, 401);
    assert.match(e.message, /harbor:password/);
  });

  it("reports 403 naming a robot account that lacks registry:create", async () => {
    const robot = makeClient({ username: "robot$reader", password: "robot-pw" });
    assert.deepEqual(await robot.listRegistries(), []);
    const e = (await rejection(robot.createRegistry(dockerRegistry("by-robot")))) as HarborApiError;
    assert.equal(e.status, 403);
    assert.deepEqual(e.messages, ["robot$reader"]);
    assert.match(e.message, /robot accounts need system-level `registry` permissions/);
  });

  it("reports 409 for a duplicate name", async () => {
    await client.createRegistry(dockerRegistry("dup"));
    const e = (await rejection(client.createRegistry(dockerRegistry("dup")))) as HarborApiError;
    assert.equal(e.status, 409);
    assert.equal(e.code, "CONFLICT");
    assertNoSecret(e);
  });

  it("reports 400 'the registry is unhealthy' when the remote refuses the credentials", async () => {
    const e = (await rejection(client.createRegistry(dockerRegistry("bad-creds", "wrong-secret")))) as HarborApiError;
    assert.equal(e.status, 400);
    assert.deepEqual(e.messages, ["the registry is unhealthy"]);
    const p = (await rejection(client.pingRegistry({ type: "docker-registry", url: remote.url, access_key: REMOTE_KEY, access_secret: "nope" }))) as HarborApiError;
    assert.equal(p.status, 400);
  });

  it("reports 412 for a registry used by a replication policy and names the policy", async () => {
    const id = await client.createRegistry(dockerRegistry("used-by-policy"));
    const policyId = sim.addReplicationPolicy({ name: "mirror", destRegistryId: id });
    const e = (await rejection(client.deleteRegistry(id))) as HarborApiError;
    assert.equal(e.status, 412);
    assert.equal(e.code, "PRECONDITION");
    assert.deepEqual(await client.findRegistryReferences(id), { policies: [{ id: policyId, name: "mirror" }], projects: [] });
  });

  it("reports 412 for a registry used by a proxy-cache project and names the project", async () => {
    const id = await client.createRegistry(dockerRegistry("used-by-project"));
    const projectId = sim.addProject({ name: "cache", registryId: id });
    sim.addProject({ name: "plain" });
    const e = (await rejection(client.deleteRegistry(id))) as HarborApiError;
    assert.equal(e.status, 412);
    assert.deepEqual(await client.findRegistryReferences(id), { policies: [], projects: [{ id: projectId, name: "cache" }] });
  });

  it("follows every page of a long registry list", async function () {
    this.timeout(30_000);
    for (let i = 0; i < 105; i++) await client.createRegistry(dockerRegistry(`r-${String(i).padStart(3, "0")}`));
    sim.resetRequests();
    const all = await client.listRegistries();
    assert.equal(all.length, 105);
    assert.equal(new Set(all.map((r) => r.id)).size, 105);
    const pages = sim.requests.filter((r) => r.path === "/api/v2.0/registries" && r.method === "GET");
    assert.equal(pages.length, 2);
  });

  describe("faults", () => {
    it("retries a GET answered 429 with Retry-After, waiting what Harbor asked", async () => {
      const clock = fakeClock();
      // random 0: no spread after the pause, so the wait is exactly Retry-After.
      const c = makeClient({ clock, random: () => 0 });
      sim.inject({ method: "GET", path: "/api/v2.0/registries", status: 429, headers: { "Retry-After": "2" } });
      assert.deepEqual(await c.listRegistries(), []);
      assert.deepEqual(clock.sleeps, [2000]);
      assert.deepEqual(sim.requests.filter((r) => r.path === "/api/v2.0/registries").map((r) => r.status), [429, 200]);
    });

    it("retries a DELETE answered 503, then deletes", async () => {
      const id = await client.createRegistry(dockerRegistry("flaky-delete"));
      sim.inject({ method: "DELETE", path: `/api/v2.0/registries/${id}`, status: 503 });
      await client.deleteRegistry(id);
      assert.equal(sim.storedRegistry(id), undefined);
    });

    it("never retries a POST whose answer was lost after Harbor applied it; the name lookup finds it", async () => {
      sim.inject({ method: "POST", path: "/api/v2.0/registries", dropConnection: "afterApply" });
      const e = await rejection(client.createRegistry(dockerRegistry("lost-answer")));
      assert.ok(isHarborNetworkError(e), String(e));
      assertNoSecret(e);
      assert.equal(sim.requests.filter((r) => r.method === "POST").length, 1);
      assert.equal((await client.findRegistryByName("lost-answer"))?.name, "lost-answer");
    });

    it("retries POST /registries/ping answered 503, since a ping writes nothing", async () => {
      sim.inject({ method: "POST", path: "/api/v2.0/registries/ping", status: 503, times: 2 });
      await client.pingRegistry({ type: "docker-registry", url: remote.url });
      assert.equal(sim.requests.filter((r) => r.path === "/api/v2.0/registries/ping").length, 3);
    });

    it("never retries POST /registries answered 503: it may have been applied", async () => {
      sim.inject({ method: "POST", path: "/api/v2.0/registries", status: 503, times: 5 });
      const e = (await rejection(client.createRegistry({ name: "no-retry", type: "docker-registry", url: remote.url }))) as HarborApiError;
      assert.equal(e.status, 503);
      assert.equal(sim.requests.filter((r) => r.method === "POST" && r.path === "/api/v2.0/registries").length, 1);
    });

    it("times out a slow answer, repeating an idempotent call once", async () => {
      const c = makeClient({ timeoutMs: 250 });
      sim.inject({ method: "GET", path: "/api/v2.0/systeminfo", delayMs: 1500, times: 2 });
      const started = Date.now();
      const e = await rejection(c.getSystemInfo());
      assert.ok(isHarborTimeoutError(e), String(e));
      assert.ok(Date.now() - started < 1400);
    });

    it("retries a GET whose connection was dropped", async () => {
      sim.inject({ method: "GET", path: "/api/v2.0/systeminfo", dropConnection: "before" });
      assert.ok((await client.getSystemInfo()).harbor_version);
    });
  });
});
