// Issue 8 item 5: check verifies each Harbor connection once per provider process (login, TLS, permission to change
// registries), for unchanged endpoints too, with at most 2 requests, and fails with one sentence naming the config key.
import * as assert from "node:assert/strict";
import * as http from "node:http";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import { createRegistryEndpointProvider, type RegistryEndpointProviderImplementation } from "../../../provider/provider";
import { startHarborSimulator, type HarborSimulator } from "../../../simulator";
import { assertNoCanary, canary } from "../../support/canary";
import { createTestTls, type TestTls } from "../../support/tls";

const ADMIN_PASSWORD = canary("verify-admin-password");
const ROBOT_SECRET = canary("verify-robot-secret");
const WRONG_PASSWORD = canary("verify-wrong-password");
const FULL_ROBOT = "robot$replicator";
const READ_ONLY_ROBOT = "robot$reader";
const NO_RIGHTS_ROBOT = "robot$nobody";

describe("sim: check verifies the Harbor connection once per provider process (issue 8 item 5)", function () {
  this.timeout(60_000);
  let sim: HarborSimulator;
  const providers: RegistryEndpointProviderImplementation[] = [];

  before(async () => {
    sim = await startHarborSimulator({
      adminPassword: ADMIN_PASSWORD,
      users: [
        { username: FULL_ROBOT, password: ROBOT_SECRET, permissions: ["registry:create", "registry:read", "registry:update", "registry:delete", "registry:list"] },
        { username: READ_ONLY_ROBOT, password: ROBOT_SECRET, permissions: ["registry:read", "registry:list"] },
        { username: NO_RIGHTS_ROBOT, password: ROBOT_SECRET, permissions: [] },
      ],
    });
  });
  after(async () => {
    for (const p of providers) await p.close();
    await sim.close();
  });

  /** A provider whose default connection is `env`; the connection test is off so only the verification talks to Harbor. */
  function provider(env: Record<string, string>): RegistryEndpointProviderImplementation {
    const p = createRegistryEndpointProvider({ env: { HARBOR_CONNECTION_TEST: "never", ...env }, clientOptions: { retry: { retries: 0 } } });
    providers.push(p);
    return p;
  }
  const endpoint = (name: string, extra: Record<string, unknown> = {}) => ({
    providerName: "docker-registry", name, endpointUrl: "https://registry.example.com", description: "d", ...extra,
  });
  /** check of `n` endpoints as the engine sends them for a preview of unchanged resources (olds = news). */
  async function previewUnchanged(p: RegistryEndpointProviderImplementation, n: number) {
    const results = [];
    for (let i = 0; i < n; i++) {
      const news = endpoint(`e${i}`);
      results.push(await p.check(news, news));
    }
    return results;
  }
  const apiRequests = () => sim.requests.filter((r) => r.path.startsWith("/api/v2.0/"));

  it("a system administrator: one request for five unchanged endpoints, and they pass", async () => {
    sim.resetRequests();
    const results = await previewUnchanged(provider({ HARBOR_URL: sim.url, HARBOR_USERNAME: "admin", HARBOR_PASSWORD: ADMIN_PASSWORD }), 5);
    for (const r of results) assert.deepEqual(r.failures ?? [], []);
    assert.deepEqual(apiRequests().map((r) => `${r.method} ${r.path}`), ["GET /api/v2.0/users/current/permissions"]);
  });

  it("a robot account with registry permissions: two requests (Harbor lists no system permissions for robots), and they pass", async () => {
    sim.resetRequests();
    const results = await previewUnchanged(provider({ HARBOR_URL: sim.url, HARBOR_USERNAME: FULL_ROBOT, HARBOR_PASSWORD: ROBOT_SECRET }), 5);
    for (const r of results) assert.deepEqual(r.failures ?? [], []);
    assert.deepEqual(
      apiRequests().map((r) => `${r.method} ${r.path} ${r.status}`),
      ["GET /api/v2.0/users/current/permissions 200", "PUT /api/v2.0/registries/0 404"],
    );
  });

  it("a wrong password fails every unchanged endpoint with one sentence naming harbor:password, after one request", async () => {
    sim.resetRequests();
    const results = await previewUnchanged(provider({ HARBOR_URL: sim.url, HARBOR_USERNAME: "admin", HARBOR_PASSWORD: WRONG_PASSWORD }), 3);
    for (const r of results) {
      assert.equal(r.failures?.length, 1);
      assert.equal(r.failures![0]!.property, "");
      assert.match(r.failures![0]!.reason, /^Harbor at http:\/\/127\.0\.0\.1:\d+ rejected the login of "admin" \(401 UNAUTHORIZED\); check harbor:username and harbor:password/);
      assert.doesNotMatch(r.failures![0]!.reason, /\n|\bat \S+ \(/);
      assertNoCanary("the failure", [r.failures![0]!.reason]);
    }
    assert.equal(apiRequests().length, 1);
  });

  it("an account that may not change registries fails naming harbor:username, after two requests", async () => {
    for (const user of [READ_ONLY_ROBOT, NO_RIGHTS_ROBOT]) {
      sim.resetRequests();
      const [r] = await previewUnchanged(provider({ HARBOR_URL: sim.url, HARBOR_USERNAME: user, HARBOR_PASSWORD: ROBOT_SECRET }), 2);
      assert.equal(r!.failures?.length, 1, user);
      assert.equal(r!.failures![0]!.property, "");
      assert.match(r!.failures![0]!.reason, new RegExp(`^the Harbor account "robot\\$${user.slice(6)}" set in harbor:username may not change registry endpoints on http://127\\.0\\.0\\.1:\\d+ \\(Harbor answered 403 FORBIDDEN\\); give it system-level registry permissions`));
      assert.equal(apiRequests().length, 2, user);
    }
  });

  it("a description-only change is verified as well (check runs for it, whatever the connection test decides)", async () => {
    const p = provider({ HARBOR_URL: sim.url, HARBOR_USERNAME: NO_RIGHTS_ROBOT, HARBOR_PASSWORD: ROBOT_SECRET, HARBOR_CONNECTION_TEST: "onChange" });
    const r = await p.check(endpoint("desc"), endpoint("desc", { description: "changed" }));
    assert.match(r.failures?.[0]?.reason ?? "", /may not change registry endpoints/);
  });

  it("a missing harbor:url fails naming the key, without any request", async () => {
    sim.resetRequests();
    const [r] = await previewUnchanged(provider({ HARBOR_USERNAME: "admin", HARBOR_PASSWORD: ADMIN_PASSWORD }), 1);
    assert.deepEqual(r!.failures, [{ property: "", reason: "the Harbor connection is not configured: set harbor:url (or HARBOR_URL)" }]);
    assert.equal(sim.requests.length, 0);
  });

  it("a Harbor in read-only mode does not fail a preview (nothing unchanged needs a write)", async () => {
    sim.setReadOnly(true);
    try {
      const [r] = await previewUnchanged(provider({ HARBOR_URL: sim.url, HARBOR_USERNAME: FULL_ROBOT, HARBOR_PASSWORD: ROBOT_SECRET }), 1);
      assert.deepEqual(r!.failures ?? [], []);
    } finally {
      sim.setReadOnly(false);
    }
  });

  it("an unreachable harbor:url fails naming harbor:url", async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const [r] = await previewUnchanged(provider({ HARBOR_URL: `http://127.0.0.1:${port}`, HARBOR_USERNAME: "admin", HARBOR_PASSWORD: ADMIN_PASSWORD }), 1);
    assert.match(r!.failures?.[0]?.reason ?? "", new RegExp(`^Harbor at http://127\\.0\\.0\\.1:${port} cannot be reached from this machine \\(ECONNREFUSED\\); check harbor:url$`));
  });

  describe("TLS as configured", () => {
    let tls: TestTls;
    let front: https.Server;
    let url: string;
    before(async () => {
      tls = createTestTls("verify");
      // Harbor behind TLS: a TLS front that forwards every request to the simulator.
      front = https.createServer({ key: tls.keyPem, cert: tls.certPem }, (req, res) => {
        const upstream = http.request(new URL(req.url ?? "/", sim.url), { method: req.method, headers: req.headers }, (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        });
        req.pipe(upstream);
      });
      await new Promise<void>((r) => front.listen(0, "127.0.0.1", r));
      url = `https://127.0.0.1:${(front.address() as AddressInfo).port}`;
    });
    after(async () => {
      front.closeAllConnections();
      await new Promise<void>((r) => front.close(() => r()));
      tls.cleanup();
    });

    it("an untrusted certificate fails naming harbor:caCertificate (and harbor:insecure)", async () => {
      const [r] = await previewUnchanged(provider({ HARBOR_URL: url, HARBOR_USERNAME: "admin", HARBOR_PASSWORD: ADMIN_PASSWORD }), 1);
      assert.match(r!.failures?.[0]?.reason ?? "", /^Harbor's TLS certificate at https:\/\/127\.0\.0\.1:\d+ is not trusted \([A-Z_]+\); set harbor:caCertificate to the PEM of the CA that signed it \(or, only for tests, harbor:insecure to true\)$/);
    });

    it("with harbor:caCertificate set to its CA, the same Harbor passes", async () => {
      const p = createRegistryEndpointProvider({
        env: { HARBOR_CONNECTION_TEST: "never", HARBOR_URL: url, HARBOR_USERNAME: "admin", HARBOR_PASSWORD: ADMIN_PASSWORD },
        clientOptions: { caCertificate: tls.caPem, retry: { retries: 0 } },
      });
      providers.push(p);
      const [r] = await previewUnchanged(p, 1);
      assert.deepEqual(r!.failures ?? [], []);
    });
  });

  it("a named connection's problem names that connection's keys", async () => {
    const p = createRegistryEndpointProvider({ env: { HARBOR_CONNECTION_TEST: "never" } });
    providers.push(p);
    await p.configure({
      config: {
        get: (k: string) =>
          k === "harbor:connections" ? JSON.stringify({ eu: { url: sim.url, username: "admin", password: WRONG_PASSWORD } }) : undefined,
      },
    } as never);
    const r = await p.check({}, endpoint("eu-endpoint", { connection: "eu" }));
    assert.equal(r.failures?.length, 1);
    assert.match(r.failures![0]!.reason, /^Harbor connection "eu": Harbor at http:\/\/127\.0\.0\.1:\d+ rejected the login of "admin" \(401 UNAUTHORIZED\); check harbor:connections\.eu\.username and harbor:connections\.eu\.password \(or HARBOR_CONNECTIONS\)$/);
  });
});
