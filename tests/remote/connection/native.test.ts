// Connection tests of native endpoints against a real docker-registry (htpasswd, plain and TLS), with the simulator as Harbor.
import assert from "node:assert/strict";
import { HarborClient } from "../../../provider/harbor/client";
import { testConnection, type ConnectionFailure, type ConnectionTarget } from "../../../provider/connection";
import { HARBOR_SIDE } from "../../../provider/connection/harbor-ping";
import { startHarborSimulator } from "../../../simulator";
import type { HarborSimulator } from "../../../simulator/types";
import { createTestTls, type TestTls } from "../../support/tls";
import { requireDockerRegistry, startDockerRegistry, type DockerRegistry } from "../../support/docker-registry";
import { freePort } from "../../support/free-port";

const USER = "puller";
const PASSWORD = "c4nary-Registry-Pw-7731";
const WRONG = "wrong-Pw-Canary-9182";

function assertNoSecret(failures: ConnectionFailure[], ...secrets: string[]): void {
  const text = JSON.stringify(failures);
  for (const s of secrets) assert.ok(!text.includes(s), `a reason leaks a secret: ${text}`);
  assert.ok(!/Basic [A-Za-z0-9+/=]{8,}/.test(text), "a reason leaks an Authorization value");
}

describe("testConnection against a real docker-registry (simulator as Harbor)", function () {
  this.timeout(60000);
  let tls: TestTls;
  let otherCa: TestTls;
  let plain: DockerRegistry;
  let secure: DockerRegistry;
  let sim: HarborSimulator;
  let harbor: HarborClient;
  const target = (over: Partial<ConnectionTarget>): ConnectionTarget => ({
    name: "mirror",
    providerName: "docker-registry",
    endpointUrl: plain.url,
    accessId: USER,
    accessSecret: PASSWORD,
    insecure: false,
    ...over,
  });
  const ctx = () => ({ harbor, probeTimeoutMs: 3000 });

  before(async function () {
    requireDockerRegistry(this);
    tls = createTestTls("registry");
    otherCa = createTestTls("other");
    [plain, secure, sim] = await Promise.all([
      startDockerRegistry({ users: [{ username: USER, password: PASSWORD }] }),
      startDockerRegistry({ users: [{ username: USER, password: PASSWORD }], tls }),
      startHarborSimulator({ healthCheckTimeoutMs: 3000 }),
    ]);
    harbor = new HarborClient({ url: sim.url, username: sim.username, password: sim.password, retry: { retries: 0 } });
  });
  after(async () => {
    await harbor?.close();
    await Promise.all([plain?.close(), secure?.close(), sim?.close()]);
    tls?.cleanup();
    otherCa?.cleanup();
  });
  beforeEach(() => sim.resetRequests());

  it("passes with the right credentials, after exactly one ping to Harbor", async () => {
    assert.deepEqual(await testConnection(target({}), ctx()), []);
    assert.deepEqual(sim.requests.map((r) => `${r.method} ${r.path}`), ["POST /api/v2.0/registries/ping"]);
  });

  it("fails at accessSecret naming rejected credentials when the password is wrong, without echoing it", async () => {
    const failures = await testConnection(target({ accessSecret: WRONG }), ctx());
    assert.equal(failures.length, 1);
    assert.equal(failures[0]!.property, "accessSecret");
    assert.match(failures[0]!.reason, /endpoint "mirror"/);
    assert.match(failures[0]!.reason, /rejected the credentials \(401\)/);
    assertNoSecret(failures, WRONG, PASSWORD);
  });

  it("fails at caCertificate naming TLS trust when the certificate is self-signed and neither caCertificate nor insecure is set", async () => {
    const failures = await testConnection(target({ endpointUrl: secure.url }), ctx());
    assert.equal(failures.length, 1);
    assert.equal(failures[0]!.property, "caCertificate");
    assert.match(failures[0]!.reason, /TLS certificate .* is not trusted/);
    assert.match(failures[0]!.reason, /caCertificate/);
    assert.match(failures[0]!.reason, /insecure/);
    assertNoSecret(failures, PASSWORD);
  });

  it("passes over TLS when caCertificate holds the registry's CA", async () => {
    assert.deepEqual(await testConnection(target({ endpointUrl: secure.url, caCertificate: tls.caPem }), ctx()), []);
  });

  it("passes over TLS with insecure: true", async () => {
    assert.deepEqual(await testConnection(target({ endpointUrl: secure.url, insecure: true }), ctx()), []);
  });

  it("fails at caCertificate when caCertificate holds another CA, even with insecure: true (the CA wins, as in Harbor)", async () => {
    const failures = await testConnection(target({ endpointUrl: secure.url, caCertificate: otherCa.caPem, insecure: true }), ctx());
    assert.equal(failures.length, 1);
    assert.equal(failures[0]!.property, "caCertificate");
    assert.match(failures[0]!.reason, /not signed by the CA in caCertificate/);
  });

  it("fails at accessSecret over TLS with a trusted CA and a wrong password", async () => {
    const failures = await testConnection(target({ endpointUrl: secure.url, caCertificate: tls.caPem, accessSecret: WRONG }), ctx());
    assert.deepEqual(failures.map((f) => f.property), ["accessSecret"]);
  });

  it("fails at endpointUrl naming reachability when nothing listens on the port", async () => {
    const port = await freePort();
    const failures = await testConnection(target({ endpointUrl: `http://127.0.0.1:${port}` }), ctx());
    assert.equal(failures.length, 1);
    assert.equal(failures[0]!.property, "endpointUrl");
    assert.match(failures[0]!.reason, /unreachable from here too \(ECONNREFUSED\)/);
    assert.match(failures[0]!.reason, new RegExp(`127\\.0\\.0\\.1:${port}`));
  });

  it("fails at endpointUrl suggesting http:// when https:// is used against a plain-HTTP registry", async () => {
    const failures = await testConnection(target({ endpointUrl: plain.url.replace("http://", "https://") }), ctx());
    assert.deepEqual(failures.map((f) => f.property), ["endpointUrl"]);
    assert.match(failures[0]!.reason, /does not speak TLS/);
  });

  it("fails at endpointUrl suggesting https:// when http:// is used against a TLS port", async () => {
    const failures = await testConnection(target({ endpointUrl: secure.url.replace("https://", "http://") }), ctx());
    assert.deepEqual(failures.map((f) => f.property), ["endpointUrl"]);
    assert.match(failures[0]!.reason, /use https:\/\//);
  });

  it("blames Harbor's network, not endpointUrl, when ghcr.io works from here but Harbor cannot reach it", async () => {
    // github-ghcr: Harbor (the simulator, without remoteOverrides) cannot reach ghcr.io; this machine reaches it through
    // the override. Harbor's adapter contacts ghcr.io whatever endpointUrl says, so no endpoint input is at fault.
    const failures = await testConnection(
      target({ providerName: "github-ghcr", endpointUrl: "https://ghcr.io" }),
      { ...ctx(), remoteOverrides: { "https://ghcr.io": plain.url } },
    );
    assert.deepEqual(failures.map((f) => f.property), [HARBOR_SIDE]);
    assert.match(failures[0]!.reason, /ghcr\.io is reachable and accepted the credentials/);
    assert.match(failures[0]!.reason, /Harbor cannot reach ghcr\.io from its own network/);
  });

  it("passes anonymously: Harbor's PingSimple accepts a 401 challenge when no credential is given", async () => {
    assert.deepEqual(await testConnection(target({ accessId: undefined, accessSecret: undefined }), ctx()), []);
  });

  it("passes a quay endpoint whose json_file secret holds the registry login", async () => {
    const secret = JSON.stringify({ account_name: USER, docker_cli_password: PASSWORD });
    assert.deepEqual(await testConnection(target({ providerName: "quay", accessId: "json_file", accessSecret: secret }), ctx()), []);
  });

  it("fails a quay endpoint at accessSecret when docker_cli_password is wrong, echoing no part of the JSON secret", async () => {
    const secret = JSON.stringify({ account_name: USER, docker_cli_password: WRONG, oauth2_token: "oauth-Canary-Tok-404" });
    const failures = await testConnection(target({ providerName: "quay", accessId: "json_file", accessSecret: secret }), ctx());
    assert.deepEqual(failures.map((f) => f.property), ["accessSecret"]);
    assertNoSecret(failures, WRONG, "oauth-Canary-Tok-404");
  });

  it("makes no request to Harbor for a shape error (quay secret that is not JSON)", async () => {
    const failures = await testConnection(target({ providerName: "quay", accessId: "json_file", accessSecret: "not json" }), ctx());
    assert.deepEqual(failures.map((f) => f.property), ["accessSecret"]);
    assert.equal(sim.requests.length, 0);
  });
});
