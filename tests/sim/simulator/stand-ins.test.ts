// Simulator: the offline stand-ins for docker-hub's and github-ghcr's fixed hosts answer Harbor's health checks over
// real HTTP as those hosts do (token dance included), and a remoteOverrides entry wins over a stand-in.
import * as assert from "node:assert/strict";
import type { HarborSimulator } from "../../../simulator";
import { startTestSimulator } from "../../support/sim";
import { call, harborErr, startFakeRegistry } from "./helpers";

describe("simulator offline stand-ins (standIns: true)", () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    while (cleanup.length) await cleanup.pop()!();
  });
  async function sim(opts: Parameters<typeof startTestSimulator>[0] = {}): Promise<HarborSimulator> {
    const s = await startTestSimulator(opts);
    cleanup.push(() => s.close());
    return s;
  }
  const ping = (s: HarborSimulator, body: Record<string, unknown>) => call(s, "POST", "/registries/ping", { body });

  it("makes docker-hub and github-ghcr endpoints healthy, with credentials and anonymously", async () => {
    const s = await sim({ standIns: true });
    assert.deepEqual(Object.keys(s.standIns).sort(), ["https://auth.docker.io", "https://ghcr.io", "https://hub.docker.com", "https://registry-1.docker.io"]);
    for (const body of [
      { type: "docker-hub", url: "https://hub.docker.com", access_key: "my-user", access_secret: "tok" },
      { type: "docker-hub", url: "https://hub.docker.com" },
      { type: "github-ghcr", url: "https://ghcr.io", access_key: "octo", access_secret: "ghp_x" },
      { type: "github-ghcr", url: "https://ghcr.io" },
    ]) {
      const r = await ping(s, body);
      assert.equal(r.status, 200, `${JSON.stringify({ ...body, access_secret: undefined })}: ${r.text}`);
    }
    const created = await call(s, "POST", "/registries", {
      body: { name: "hub", type: "docker-hub", url: "https://hub.docker.com", credential: { type: "basic", access_key: "my-user", access_secret: "tok" } },
    });
    assert.equal(created.status, 201, created.text);
  });

  it("refuses what the real hosts refuse: an empty Docker Hub secret is Harbor's 500, an empty GHCR secret unhealthy", async () => {
    const s = await sim({ standIns: true });
    const hub = await ping(s, { type: "docker-hub", url: "https://hub.docker.com", access_key: "my-user", access_secret: "" });
    assert.equal(hub.status, 500, hub.text);
    const ghcr = await ping(s, { type: "github-ghcr", url: "https://ghcr.io", access_key: "octo", access_secret: "" });
    assert.deepEqual(harborErr(ghcr), { code: "BAD_REQUEST", message: "the registry is unhealthy" });
  });

  it("is off by default: without stand-ins or overrides those types are unhealthy", async () => {
    const s = await sim();
    assert.deepEqual(s.standIns, {});
    assert.deepEqual(harborErr(await ping(s, { type: "github-ghcr", url: "https://ghcr.io" })), { code: "BAD_REQUEST", message: "the registry is unhealthy" });
  });

  it("lets a remoteOverrides entry win over the stand-in of the same origin", async () => {
    const remote = await startFakeRegistry((_req, res) => res.writeHead(503).end());
    cleanup.push(() => remote.close());
    const s = await sim({ standIns: true, remoteOverrides: { "https://ghcr.io/": remote.url } });
    assert.equal(s.standIns["https://ghcr.io"] !== undefined, true);
    assert.deepEqual(harborErr(await ping(s, { type: "github-ghcr", url: "https://ghcr.io" })), { code: "BAD_REQUEST", message: "the registry is unhealthy" });
    assert.deepEqual(remote.requests.map((r) => `${r.method} ${r.url}`), ["GET /v2/"]);
    // The other stand-ins still answer.
    assert.equal((await ping(s, { type: "docker-hub", url: "https://hub.docker.com" })).status, 200);
  });

  it("closes the stand-ins with the simulator", async () => {
    const s = await startTestSimulator({ standIns: true });
    const url = s.standIns["https://registry-1.docker.io"]!;
    assert.equal((await fetch(`${url}/v2/`)).status, 401);
    await s.close();
    await assert.rejects(fetch(`${url}/v2/`));
  });
});
