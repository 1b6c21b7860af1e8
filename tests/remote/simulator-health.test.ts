// Real remote: the simulator's health checks against a real Docker Distribution registry (htpasswd, optional TLS).
import * as assert from "node:assert/strict";
import type { HarborSimulator } from "../../simulator";
import { startTestSimulator } from "../support/sim";
import { requireDockerRegistry, startDockerRegistry, type DockerRegistry } from "../support/docker-registry";
import { createTestTls, type TestTls } from "../support/tls";

async function ping(sim: HarborSimulator, body: Record<string, unknown>): Promise<{ status: number; message?: string }> {
  const res = await fetch(`${sim.url}/api/v2.0/registries/ping`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Basic ${Buffer.from(`admin:${sim.password}`).toString("base64")}` },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, message: text ? (JSON.parse(text) as { errors: { message: string }[] }).errors[0]!.message : undefined };
}

describe("simulator health checks against a real docker-registry", function () {
  this.timeout(60_000);
  let registry: DockerRegistry;
  let sim: HarborSimulator;

  before(async function () {
    requireDockerRegistry(this);
    registry = await startDockerRegistry({ users: [{ username: "alice", password: "correct-horse" }] });
    sim = await startTestSimulator();
  });
  after(async () => {
    await sim?.close();
    await registry?.close();
  });

  it("is healthy with the right credentials", async () => {
    const r = await ping(sim, { type: "docker-registry", url: registry.url, access_key: "alice", access_secret: "correct-horse" });
    assert.equal(r.status, 200, r.message);
  });

  it("is unhealthy with a wrong password", async () => {
    const r = await ping(sim, { type: "docker-registry", url: registry.url, access_key: "alice", access_secret: "wrong" });
    assert.deepEqual(r, { status: 400, message: "the registry is unhealthy" });
  });

  it("counts anonymous access to an auth-protected registry as healthy (PingSimple)", async () => {
    const r = await ping(sim, { type: "docker-registry", url: registry.url });
    assert.equal(r.status, 200, r.message);
  });

  it("is unhealthy when the port has nothing listening", async () => {
    const stopped = await startDockerRegistry({ users: [{ username: "alice", password: "correct-horse" }] });
    const url = stopped.url;
    await stopped.close();
    const r = await ping(sim, { type: "docker-registry", url, access_key: "alice", access_secret: "correct-horse" });
    assert.deepEqual(r, { status: 400, message: "the registry is unhealthy" });
  });

  it("creates an endpoint whose stored status is healthy, and rejects the same endpoint with a wrong secret", async () => {
    const create = (name: string, secret: string) =>
      fetch(`${sim.url}/api/v2.0/registries`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Basic ${Buffer.from(`admin:${sim.password}`).toString("base64")}` },
        body: JSON.stringify({ name, type: "docker-registry", url: registry.url, credential: { access_key: "alice", access_secret: secret } }),
      });
    assert.equal((await create("real-ok", "correct-horse")).status, 201);
    assert.equal((await create("real-bad", "nope")).status, 400);
  });

  describe("over TLS with a self-signed CA", () => {
    let tls: TestTls;
    let secure: DockerRegistry;
    before(async function () {
      requireDockerRegistry(this);
      tls = createTestTls();
      secure = await startDockerRegistry({ users: [{ username: "alice", password: "correct-horse" }], tls });
    });
    after(async () => {
      await secure?.close();
      tls?.cleanup();
    });

    const creds = { access_key: "alice", access_secret: "correct-horse" };

    it("is unhealthy when the CA is not trusted", async () => {
      assert.equal((await ping(sim, { type: "docker-registry", url: secure.url, ...creds })).status, 400);
    });

    it("is healthy with ca_certificate set to the CA", async () => {
      const r = await ping(sim, { type: "docker-registry", url: secure.url, ca_certificate: tls.caPem, ...creds });
      assert.equal(r.status, 200, r.message);
    });

    it("is healthy with insecure=true", async () => {
      const r = await ping(sim, { type: "docker-registry", url: secure.url, insecure: true, ...creds });
      assert.equal(r.status, 200, r.message);
    });

    it("still checks credentials over TLS", async () => {
      const r = await ping(sim, { type: "docker-registry", url: secure.url, insecure: true, access_key: "alice", access_secret: "bad" });
      assert.equal(r.status, 400);
    });
  });
});
