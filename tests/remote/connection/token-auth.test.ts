// Bearer-token registries, Harbor remotes and Docker Hub, against scriptable fakes with the simulator as Harbor.
import assert from "node:assert/strict";
import { createServer, type AddressInfo, type Socket } from "node:net";
import { testConnection, type ConnectionTarget } from "../../../provider/connection";
import { HARBOR_SIDE } from "../../../provider/connection/harbor-ping";
import { probeRegistryV2 } from "../../../provider/connection/native-probe";
import { HarborClient } from "../../../provider/harbor/client";
import { startHarborSimulator } from "../../../simulator";
import type { HarborSimulator } from "../../../simulator/types";
import { freePort } from "../../support/free-port";
import { basicAuth, json, startFakeRemote, type FakeRemote } from "./fake-remote";

const USER = "robot$replicator";
const PASSWORD = "T0ken-Canary-Pw-5521";

/** A Harbor-like remote: /v2/ challenges with Bearer, the token service sits on `realmHost` (same host by default). */
async function startTokenRegistry(opts: { realmHost?: string; apiVersionStatus?: number } = {}): Promise<FakeRemote> {
  return startFakeRemote([
    (req, res, base) => {
      if (req.path !== "/v2/") return false;
      if (req.authorization === "Bearer good-token") return json(res, 200, {});
      const realmBase = opts.realmHost ? base.replace("127.0.0.1", opts.realmHost) : base;
      return json(res, 401, { errors: [{ code: "UNAUTHORIZED" }] }, { "www-authenticate": `Bearer realm="${realmBase}/service/token",service="harbor-registry"` });
    },
    (req, res) => {
      if (!req.path.startsWith("/service/token")) return false;
      if (!req.path.includes("service=harbor-registry")) return json(res, 400, {});
      return req.authorization === basicAuth(USER, PASSWORD) ? json(res, 200, { token: "good-token" }) : json(res, 401, { errors: [{ code: "UNAUTHORIZED" }] });
    },
    (req, res) => (req.path === "/api/version" ? json(res, opts.apiVersionStatus ?? 200, { version: "v2.0" }) : false),
  ]);
}

describe("testConnection with token-auth registries, Harbor remotes and Docker Hub", function () {
  this.timeout(30000);
  let sim: HarborSimulator;
  let harbor: HarborClient;
  const fakes: FakeRemote[] = [];
  const target = (over: Partial<ConnectionTarget>): ConnectionTarget => ({
    name: "upstream",
    providerName: "harbor",
    endpointUrl: "http://127.0.0.1:1",
    accessId: USER,
    accessSecret: PASSWORD,
    insecure: false,
    ...over,
  });
  const fake = async (start: Promise<FakeRemote>) => {
    const f = await start;
    fakes.push(f);
    return f;
  };

  before(async () => {
    sim = await startHarborSimulator({ healthCheckTimeoutMs: 3000 });
    harbor = new HarborClient({ url: sim.url, username: sim.username, password: sim.password, retry: { retries: 0 } });
  });
  after(async () => {
    await harbor?.close();
    await Promise.all([sim?.close(), ...fakes.map((f) => f.close())]);
  });

  it("passes a Harbor remote with a same-host token service and the right robot secret", async () => {
    const remote = await fake(startTokenRegistry());
    assert.deepEqual(await testConnection(target({ endpointUrl: remote.url }), { harbor }), []);
  });

  it("fails at accessSecret when the same-host token service rejects the robot secret", async () => {
    const remote = await fake(startTokenRegistry());
    const failures = await testConnection(target({ endpointUrl: remote.url, accessSecret: "wrong-Secret-3141" }), { harbor });
    assert.deepEqual(failures.map((f) => f.property), ["accessSecret"]);
    assert.match(failures[0]!.reason, /token service of http:\/\/127\.0\.0\.1:\d+ rejected the credentials \(401\)/);
    assert.ok(!failures[0]!.reason.includes("wrong-Secret-3141"));
  });

  it("never sends credentials to a token service on another host, and says so", async () => {
    const remote = await fake(startTokenRegistry({ realmHost: "localhost" }));
    // Harbor (the simulator) follows the foreign realm and fails on the wrong password; our probe must not.
    const failures = await testConnection(target({ endpointUrl: remote.url, accessSecret: "wrong-Secret-2718" }), { harbor });
    assert.deepEqual(failures.map((f) => f.property), ["accessSecret"]);
    assert.match(failures[0]!.reason, /token service on another host \(localhost:\d+\)/);
    // Harbor (the simulator) logged in at the foreign realm itself; the runner's own probe, alone, sends no credential at all.
    remote.requests.length = 0;
    const outcome = await probeRegistryV2(remote.url, { username: USER, password: "wrong-Secret-2718" }, { insecure: false, timeoutMs: 2000 });
    assert.equal(outcome.kind, "foreign-realm");
    assert.deepEqual(remote.requests.map((r) => [r.path, r.authorization]), [["/v2/", undefined]]);
  });

  it("fails at endpointUrl when the remote's /api/version shows it is not a Harbor", async () => {
    const remote = await fake(startTokenRegistry({ apiVersionStatus: 500 }));
    const failures = await testConnection(target({ endpointUrl: remote.url }), { harbor });
    assert.deepEqual(failures.map((f) => f.property), ["endpointUrl"]);
    assert.match(failures[0]!.reason, /could not set up its adapter \(500\)/);
    assert.match(failures[0]!.reason, /does not look like a Harbor/);
  });

  it("fails at endpointUrl naming reachability for a Harbor remote on a closed port (Harbor answers 500)", async () => {
    const port = await freePort();
    const failures = await testConnection(target({ endpointUrl: `http://127.0.0.1:${port}` }), { harbor, probeTimeoutMs: 2000 });
    assert.deepEqual(failures.map((f) => f.property), ["endpointUrl"]);
    assert.match(failures[0]!.reason, /could not set up its adapter \(500\).*unreachable from here too \(ECONNREFUSED\)/);
  });

  it("fails at endpointUrl naming a timeout when the remote accepts connections but never answers", async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const sockets = new Set<Socket>();
    silent.on("connection", (s) => sockets.add(s));
    try {
      const port = (silent.address() as AddressInfo).port;
      const started = Date.now();
      const failures = await testConnection(target({ providerName: "docker-registry", endpointUrl: `http://127.0.0.1:${port}` }), { harbor, probeTimeoutMs: 500 });
      assert.deepEqual(failures.map((f) => f.property), ["endpointUrl"]);
      assert.match(failures[0]!.reason, /did not answer within 0\.5 s from here either/);
      // The simulator's own health check waits 3 s; the local probe adds at most about its 0.5 s budget.
      assert.ok(Date.now() - started < 5000);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  describe("docker-hub", () => {
    let hub: FakeRemote;
    const hubTarget = (over: Partial<ConnectionTarget> = {}) =>
      target({ providerName: "docker-hub", endpointUrl: "https://hub.docker.com", accessId: "octocat", accessSecret: "dckr_pat_Canary123", ...over });
    before(async () => {
      hub = await fake(
        startFakeRemote([
          (req, res) => {
            if (req.method !== "POST" || req.path !== "/v2/auth/token") return false;
            const body = JSON.parse(req.body) as { identifier?: string; secret?: string };
            return body.identifier === "octocat" && body.secret === "dckr_pat_Canary123" ? json(res, 200, { access_token: "t" }) : json(res, 401, { detail: "bad" });
          },
          (req, res) => (req.path === "/v2/" ? json(res, 401, {}, { "www-authenticate": 'Bearer realm="https://auth.docker.io/token",service="registry.docker.io"' }) : false),
        ]),
      );
    });
    const overrides = () => ({ "https://hub.docker.com": hub.url, "https://registry-1.docker.io": hub.url });

    it("blames Harbor's egress when Docker Hub accepts the login from here", async () => {
      hub.requests.length = 0;
      const failures = await testConnection(hubTarget(), { harbor, remoteOverrides: overrides() });
      // Harbor ignores a docker-hub endpointUrl: Harbor's egress is at fault, not an input of the endpoint.
      assert.deepEqual(failures.map((f) => f.property), [HARBOR_SIDE]);
      assert.match(failures[0]!.reason, /Docker Hub is reachable and accepted the login/);
      // The login went to hub.docker.com only; the registry ping carried no credential.
      assert.deepEqual(hub.requests.map((r) => `${r.method} ${r.path} ${r.authorization ? "auth" : "anon"}`), ["POST /v2/auth/token anon", "GET /v2/ anon"]);
    });

    it("fails at accessSecret when Docker Hub rejects the login", async () => {
      const failures = await testConnection(hubTarget({ accessSecret: "wrong-Pat-1618" }), { harbor, remoteOverrides: overrides() });
      assert.deepEqual(failures.map((f) => f.property), ["accessSecret"]);
      assert.match(failures[0]!.reason, /Docker Hub rejected the login \(401\)/);
      assert.ok(!failures[0]!.reason.includes("wrong-Pat-1618"));
    });

    it("says this machine is offline too when hub.docker.com cannot be reached", async () => {
      const port = await freePort();
      const closed = `http://127.0.0.1:${port}`;
      const failures = await testConnection(hubTarget(), { harbor, remoteOverrides: { "https://hub.docker.com": closed, "https://registry-1.docker.io": closed } });
      assert.deepEqual(failures.map((f) => f.property), [HARBOR_SIDE]);
      assert.match(failures[0]!.reason, /hub\.docker\.com is unreachable from here too/);
    });
  });
});
