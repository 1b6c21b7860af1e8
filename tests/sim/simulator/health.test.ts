// Simulator: per-adapter health checks over real HTTP against fake remotes on 127.0.0.1 (challenges, overrides, 500s).
import * as assert from "node:assert/strict";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import type { HarborSimulator } from "../../../simulator";
import { startTestSimulator } from "../../support/sim";
import { createTestTls, type TestTls } from "../../support/tls";
import { freePort } from "../../support/free-port";
import { basic, basicAuthRegistry, call, harborErr, startFakeRegistry, type FakeRegistry } from "./helpers";

async function ping(sim: HarborSimulator, body: Record<string, unknown>) {
  return call(sim, "POST", "/registries/ping", { body });
}

describe("simulator health checks", () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    while (cleanup.length) await cleanup.pop()!();
  });
  async function sim(opts: Parameters<typeof startTestSimulator>[0] = {}): Promise<HarborSimulator> {
    const s = await startTestSimulator(opts);
    cleanup.push(() => s.close());
    return s;
  }
  async function fake(f: Promise<FakeRegistry>): Promise<FakeRegistry> {
    const r = await f;
    cleanup.push(() => r.close());
    return r;
  }

  describe("native (docker-registry)", () => {
    it("sends basic credentials after a Basic challenge: right → healthy, wrong → unhealthy", async () => {
      const s = await sim();
      const reg = await fake(basicAuthRegistry("u", "p"));
      assert.equal((await ping(s, { type: "docker-registry", url: reg.url, access_key: "u", access_secret: "p" })).status, 200);
      const bad = await ping(s, { type: "docker-registry", url: reg.url, access_key: "u", access_secret: "x" });
      assert.deepEqual(harborErr(bad), { code: "BAD_REQUEST", message: "the registry is unhealthy" });
      assert.ok(reg.requests.every((r) => r.url === "/v2/"));
    });

    it("counts 401/403 as healthy without credentials, but a 500 as unhealthy", async () => {
      const s = await sim();
      for (const [status, expected] of [[401, 200], [403, 200], [500, 400], [404, 400]] as const) {
        const reg = await fake(startFakeRegistry((_q, res) => res.writeHead(status).end()));
        assert.equal((await ping(s, { type: "docker-registry", url: reg.url })).status, expected, `remote ${status}`);
      }
    });

    it("with credentials, any non-2xx (e.g. 403) is unhealthy", async () => {
      const s = await sim();
      const reg = await fake(startFakeRegistry((_q, res) => res.writeHead(403).end()));
      assert.equal((await ping(s, { type: "docker-registry", url: reg.url, access_key: "u", access_secret: "p" })).status, 400);
    });

    it("performs the Bearer token dance: token fetched from the realm with basic creds, then /v2/ with the token", async () => {
      const s = await sim();
      const reg = await fake(
        startFakeRegistry((req, res) => {
          const host = req.headers.host;
          if (req.url?.startsWith("/token")) {
            if (req.headers.authorization === basic("u", "p")) res.writeHead(200, { "content-type": "application/json" }).end('{"token":"tok"}');
            else res.writeHead(401).end();
            return;
          }
          if (req.headers.authorization === "Bearer tok") return void res.writeHead(200).end("{}");
          res.writeHead(401, { "www-authenticate": `Bearer realm="http://${host}/token",service="fake"` }).end();
        }),
      );
      assert.equal((await ping(s, { type: "docker-registry", url: reg.url, access_key: "u", access_secret: "p" })).status, 200);
      assert.ok(reg.requests.some((r) => r.url === "/token?service=fake"));
      assert.equal((await ping(s, { type: "docker-registry", url: reg.url, access_key: "u", access_secret: "bad" })).status, 400);
    });

    it("pings {url}/v2/ under the URL's path", async () => {
      const s = await sim();
      const reg = await fake(startFakeRegistry((req, res) => res.writeHead(req.url === "/sub/v2/" ? 200 : 404).end()));
      assert.equal((await ping(s, { type: "docker-registry", url: `${reg.url}/sub/` })).status, 200);
    });

    it("is unhealthy when the remote answers slower than healthCheckTimeoutMs", async () => {
      const s = await sim({ healthCheckTimeoutMs: 200 });
      const reg = await fake(startFakeRegistry((_q, res) => setTimeout(() => res.writeHead(200).end(), 1500)));
      const t0 = Date.now();
      assert.equal((await ping(s, { type: "docker-registry", url: reg.url })).status, 400);
      assert.ok(Date.now() - t0 < 1400, "gave up at the timeout");
    });

    it("is unhealthy for a closed port", async () => {
      const s = await sim();
      assert.equal((await ping(s, { type: "docker-registry", url: `http://127.0.0.1:${await freePort()}` })).status, 400);
    });
  });

  describe("TLS", () => {
    let tls: TestTls;
    let other: TestTls;
    before(() => {
      tls = createTestTls();
      other = createTestTls("other");
    });
    after(() => {
      tls?.cleanup();
      other?.cleanup();
    });

    it("rejects an untrusted certificate, accepts it with insecure or with ca_certificate, and lets the CA override insecure", async () => {
      const server = https.createServer({ cert: tls.certPem, key: tls.keyPem }, (_q, res) => res.writeHead(200).end("{}"));
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
      cleanup.push(() => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }));
      const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const s = await sim();
      assert.equal((await ping(s, { type: "docker-registry", url })).status, 400);
      assert.equal((await ping(s, { type: "docker-registry", url, insecure: true })).status, 200);
      assert.equal((await ping(s, { type: "docker-registry", url, ca_certificate: tls.caPem })).status, 200);
      assert.equal((await ping(s, { type: "docker-registry", url, insecure: true, ca_certificate: other.caPem })).status, 400, "the CA wins over insecure");
    });
  });

  describe("harbor", () => {
    it("needs /api/version: another simulator as remote is healthy with its admin credentials", async () => {
      const remote = await sim({ adminPassword: "remote-pw" });
      const s = await sim();
      assert.equal((await ping(s, { type: "harbor", url: remote.url, access_key: "admin", access_secret: "remote-pw" })).status, 200);
      assert.equal((await ping(s, { type: "harbor", url: remote.url, access_key: "admin", access_secret: "nope" })).status, 400);
    });

    it("answers 500 when /api/version is unreachable or fails (not 404)", async () => {
      const s = await sim();
      const r = await ping(s, { type: "harbor", url: `http://127.0.0.1:${await freePort()}` });
      assert.deepEqual([r.status, harborErr(r).message], [500, "internal server error"]);
      const broken = await fake(startFakeRegistry((_q, res) => res.writeHead(502).end()));
      assert.equal((await ping(s, { type: "harbor", url: broken.url })).status, 500);
      const v1 = await fake(startFakeRegistry((req, res) => res.writeHead(req.url === "/api/version" ? 404 : 200).end()));
      assert.equal((await ping(s, { type: "harbor", url: v1.url })).status, 200, "a 404 means a Harbor 1.x remote");
    });
  });

  describe("fixed internet hosts", () => {
    it("reports docker-hub and github-ghcr unhealthy offline without contacting anything", async () => {
      const s = await sim();
      assert.equal((await ping(s, { type: "docker-hub", url: "https://hub.docker.com" })).status, 400);
      assert.equal((await ping(s, { type: "github-ghcr", url: "https://ghcr.io" })).status, 400);
    });

    it("pings docker-hub's registry-1.docker.io and token endpoint through remoteOverrides", async () => {
      const hub = await fake(startFakeRegistry((req, res) => {
        if (req.url === "/v2/auth/token" && req.method === "POST") return void res.writeHead(200).end('{"token":"x"}');
        res.writeHead(req.headers.authorization === basic("u", "p") ? 200 : 401, { "www-authenticate": 'Basic realm="x"' }).end();
      }));
      const s = await sim({ remoteOverrides: { "https://registry-1.docker.io": hub.url, "https://hub.docker.com": hub.url } });
      assert.equal((await ping(s, { type: "docker-hub", url: "https://hub.docker.com", access_key: "u", access_secret: "p" })).status, 200);
      const tokenCall = hub.requests.find((r) => r.url === "/v2/auth/token")!;
      assert.deepEqual(JSON.parse(tokenCall.body), { identifier: "u", secret: "p" });
      assert.equal((await ping(s, { type: "docker-hub", url: "https://hub.docker.com" })).status, 200, "anonymous: PingSimple");
    });

    it("answers 500 for docker-hub credentials when the token endpoint refuses them", async () => {
      const hub = await fake(startFakeRegistry((_q, res) => res.writeHead(401).end()));
      const s = await sim({ remoteOverrides: { "https://registry-1.docker.io": hub.url, "https://hub.docker.com": hub.url } });
      assert.equal((await ping(s, { type: "docker-hub", url: "https://hub.docker.com", access_key: "u", access_secret: "p" })).status, 500);
    });

    it("maps ghcr.io through remoteOverrides", async () => {
      const ghcr = await fake(startFakeRegistry((_q, res) => res.writeHead(200).end("{}")));
      const s = await sim({ remoteOverrides: { "https://ghcr.io": ghcr.url } });
      assert.equal((await ping(s, { type: "github-ghcr", url: "https://ghcr.io" })).status, 200);
    });
  });

  describe("adapter-specific rules", () => {
    it("huawei-SWR is healthy with no network at all", async () => {
      const s = await sim();
      assert.equal((await ping(s, { type: "huawei-SWR", url: `http://127.0.0.1:${await freePort()}` })).status, 200);
    });

    it("google-gcr is unhealthy when the key or the secret is empty", async () => {
      const reg = await fake(startFakeRegistry((_q, res) => res.writeHead(200).end()));
      const s = await sim();
      assert.equal((await ping(s, { type: "google-gcr", url: reg.url, access_key: "_json_key" })).status, 400);
      assert.equal((await ping(s, { type: "google-gcr", url: reg.url, access_key: "_json_key", access_secret: "{}" })).status, 200);
    });

    it("quay needs a JSON secret (500 otherwise)", async () => {
      const reg = await fake(startFakeRegistry((_q, res) => res.writeHead(200).end()));
      const s = await sim();
      assert.equal((await ping(s, { type: "quay", url: reg.url, access_key: "json_file", access_secret: "not json" })).status, 500);
      const json = JSON.stringify({ account_name: "a", docker_cli_password: "b" });
      assert.equal((await ping(s, { type: "quay", url: reg.url, access_key: "json_file", access_secret: json })).status, 200);
    });

    it("aws-ecr answers 500 for a non-ECR URL and is unhealthy offline for an ECR URL", async () => {
      const s = await sim();
      assert.equal((await ping(s, { type: "aws-ecr", url: "https://example.com", access_key: "AKIA", access_secret: "x" })).status, 500);
      assert.equal((await ping(s, { type: "aws-ecr", url: "https://api.ecr.us-east-1.amazonaws.com", access_key: "AKIA", access_secret: "x" })).status, 400);
    });

    it("answers 400 `type or url cannot be empty` for a ping without type or url", async () => {
      const s = await sim();
      assert.deepEqual(harborErr(await ping(s, { url: "http://x" })), { code: "BAD_REQUEST", message: "type or url cannot be empty" });
      assert.deepEqual(harborErr(await ping(s, { type: "harbor" })), { code: "BAD_REQUEST", message: "type or url cannot be empty" });
    });

    it("answers 404 for a ping of an unknown id and pings a stored registry with its stored secret", async () => {
      const reg = await fake(basicAuthRegistry("u", "stored"));
      const s = await sim();
      assert.deepEqual(harborErr(await ping(s, { id: 9 })), { code: "NOT_FOUND", message: "registry 9 not found" });
      const created = await call(s, "POST", "/registries", { body: { name: "r", type: "docker-registry", url: reg.url, credential: { access_key: "u", access_secret: "stored" } } });
      const id = Number(created.headers.get("location")!.split("/").pop());
      assert.equal((await ping(s, { id })).status, 200);
      assert.equal((await ping(s, { id, access_secret: "other" })).status, 400, "credential overrides apply with an id");
    });
  });
});
