// Sim-tier tests of the Harbor client's HTTP behaviour against a scripted local server: auth, retries, timeouts, TLS, errors.
import assert from "node:assert/strict";
import type { HarborClient } from "../../../provider/harbor";
import { MAX_RATE_LIMIT_REFUSALS } from "../../../provider/harbor";
import {
  HarborApiError,
  HarborNetworkError,
  HarborTimeoutError,
  isHarborApiError,
  isHarborNetworkError,
  isHarborTimeoutError,
} from "../../../provider/errors";
import { createSelfSignedCert } from "../../support/tls";
import { LocalServer, fakeClock, registryJson, sendErrors, sendJson, startLocalServer } from "./local-server";
import { assertNoSecretIn, rejection, trackedClients } from "./client-helpers";

const PASSWORD = "pw-Canary-9137";
const ACCESS_SECRET = "as-Canary-4471";

function assertNoSecret(e: unknown): void {
  assertNoSecretIn(e, [PASSWORD, ACCESS_SECRET, Buffer.from(`admin:${PASSWORD}`).toString("base64")]);
}

describe("Harbor client over HTTP (scripted server)", function () {
  let server: LocalServer;
  let client: HarborClient;
  const clients = trackedClients(() => ({ url: server.url, username: "admin", password: PASSWORD, timeoutMs: 2000 }));
  const makeClient = clients.make;

  beforeEach(async () => {
    server = await startLocalServer();
    client = makeClient({ clock: fakeClock(), random: () => 0.5 });
  });
  afterEach(async () => {
    await clients.closeAll();
    await server.close();
  });

  describe("requests", () => {
    it("authenticates a robot account with basic auth, keeping the $ in its name", async () => {
      const robot = makeClient({ username: "robot$ci+proj", password: "robot-secret" });
      server.handle((req, res) => sendJson(req, res, 200, { harbor_version: "v2.15.2" }));
      await robot.getSystemInfo();
      const auth = String(server.requests[0]?.headers.authorization);
      assert.equal(Buffer.from(auth.replace(/^Basic /, ""), "base64").toString("utf8"), "robot$ci+proj:robot-secret");
    });

    it("sends a UUID X-Request-Id and asks for JSON under /api/v2.0", async () => {
      server.handle((req, res) => sendJson(req, res, 200, registryJson(7, "hub")));
      await client.getRegistry(7);
      const req = server.requests[0]!;
      assert.equal(req.url, "/api/v2.0/registries/7");
      assert.match(String(req.headers["x-request-id"]), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.equal(req.headers.accept, "application/json");
      assert.equal(req.headers.cookie, undefined);
    });

    it("sends a JSON body with content-type for PUT", async () => {
      server.handle((req, res) => sendJson(req, res, 200, undefined));
      await client.updateRegistry(3, { description: "d", access_secret: ACCESS_SECRET });
      const req = server.requests[0]!;
      assert.equal(req.method, "PUT");
      assert.equal(req.headers["content-type"], "application/json");
      assert.deepEqual(JSON.parse(req.body), { description: "d", access_secret: ACCESS_SECRET });
    });
  });

  describe("retries", () => {
    it("retries a GET after 503 and succeeds", async () => {
      server.handle((req, res, n) => (n === 1 ? sendErrors(req, res, 503, "UNKNOWN", "busy") : sendJson(req, res, 200, registryJson(1, "a"))));
      const r = await client.getRegistry(1);
      assert.equal(r.name, "a");
      assert.equal(server.requests.length, 2);
    });

    it("waits the Retry-After seconds of a 429, measured on the real clock", async () => {
      const real = makeClient({ random: () => 0 });
      server.handle((req, res, n) => (n === 1 ? sendJson(req, res, 429, { errors: [{ code: "TOO_MANY_REQUEST", message: "slow down" }] }, { "retry-after": "1" }) : sendJson(req, res, 200, [])));
      const started = Date.now();
      await real.listRegistries();
      const elapsed = Date.now() - started;
      assert.equal(server.requests.length, 2);
      const gap = server.requests[1]!.at - server.requests[0]!.at;
      assert.ok(gap >= 990 && gap < 1500, `gap ${gap}`);
      assert.ok(elapsed >= 990 && elapsed < 1800, `elapsed ${elapsed}`);
    });

    it("honours a Retry-After HTTP date against the clock", async () => {
      const clock = fakeClock();
      const dated = makeClient({ clock });
      server.handle((req, res, n) =>
        n === 1 ? sendJson(req, res, 503, undefined, { "retry-after": new Date(clock.now() + 3000).toUTCString() }) : sendJson(req, res, 200, registryJson(1, "a")),
      );
      await dated.getRegistry(1);
      assert.equal(clock.sleeps.length, 1);
      assert.ok(clock.sleeps[0]! >= 2000 && clock.sleeps[0]! <= 3000, String(clock.sleeps[0]));
    });

    it("caps an excessive Retry-After at four times maxDelayMs", async () => {
      const clock = fakeClock();
      const capped = makeClient({ clock, random: () => 0, retry: { maxDelayMs: 500 } });
      server.handle((req, res, n) => (n === 1 ? sendJson(req, res, 429, undefined, { "retry-after": "3600" }) : sendJson(req, res, 200, [])));
      await capped.listRegistries();
      assert.deepEqual(clock.sleeps, [2000]);
    });

    it("backs off with capped, jittered delays and gives up after the configured retries", async () => {
      const clock = fakeClock();
      const c = makeClient({ clock, random: () => 1, retry: { retries: 5, baseDelayMs: 100, maxDelayMs: 500 } });
      server.handle((req, res) => sendErrors(req, res, 502, "UNKNOWN", "bad gateway"));
      const e = await rejection(c.getRegistry(1));
      assert.ok(isHarborApiError(e));
      assert.equal((e as HarborApiError).status, 502);
      assert.equal(server.requests.length, 6);
      assert.deepEqual(clock.sleeps, [100, 200, 400, 500, 500]);
    });

    it("keeps every jittered delay within [0, ceiling]", async () => {
      const clock = fakeClock();
      const c = makeClient({ clock, retry: { retries: 4, baseDelayMs: 100, maxDelayMs: 300 } });
      server.handle((req, res) => sendErrors(req, res, 504, "UNKNOWN", "timeout"));
      await rejection(c.getRegistry(1));
      const ceilings = [100, 200, 300, 300];
      clock.sleeps.forEach((d, i) => assert.ok(d >= 0 && d <= ceilings[i]!, `sleep ${i} = ${d}`));
    });

    it("does not retry 500, 400 or other non-transient answers", async () => {
      server.handle((req, res) => sendErrors(req, res, 500, "UNKNOWN", "internal server error"));
      await rejection(client.getRegistry(1));
      assert.equal(server.requests.length, 1);
    });

    it("never retries POST /registries, even on 503", async () => {
      server.handle((req, res) => sendErrors(req, res, 503, "UNKNOWN", "busy"));
      const e = await rejection(client.createRegistry({ name: "n", type: "harbor", url: "https://h", credential: { access_key: "k", access_secret: ACCESS_SECRET } }));
      assert.ok(isHarborApiError(e));
      assert.equal(server.requests.length, 1);
      assertNoSecret(e);
    });

    it("retries POST /registries/ping on 429 with Retry-After, but not on 502 or 504 (a gateway gave up on a slow test)", async () => {
      server.handle((req, res) => sendJson(req, res, 429, undefined, { "retry-after": "0" }));
      await rejection(client.pingRegistry({ id: 4 }));
      // A refusal changed nothing: 429s have their own, larger allowance than other retries.
      assert.equal(server.requests.length, 1 + MAX_RATE_LIMIT_REFUSALS);
      for (const status of [502, 504]) {
        const before: number = server.requests.length;
        server.handle((req, res) => sendJson(req, res, status, undefined));
        await rejection(client.pingRegistry({ id: 4 }));
        assert.equal(server.requests.length - before, 1, String(status));
      }
    });

    it("retries POST /registries only after 429, the one answer that proves it was refused", async () => {
      let n = 0;
      server.handle((req, res) => {
        n++;
        if (n === 1) sendJson(req, res, 429, undefined, { "retry-after": "0" });
        else {
          res.writeHead(201, { location: "/api/v2.0/registries/12" });
          res.end();
        }
      });
      assert.equal(await client.createRegistry({ name: "n", type: "harbor", url: "https://h" }), 12);
      assert.equal(server.requests.length, 2);
      const before: number = server.requests.length;
      server.handle((req, res) => sendJson(req, res, 502, undefined));
      await rejection(client.createRegistry({ name: "n", type: "harbor", url: "https://h" }));
      assert.equal(server.requests.length - before, 1);
    });

    it("never retries a POST whose connection drops, and reports a network error", async () => {
      server.handle((_req, res) => res.socket?.destroy());
      const e = await rejection(client.createRegistry({ name: "n", type: "harbor", url: "https://h" }));
      assert.ok(isHarborNetworkError(e), String(e));
      assert.equal(server.requests.length, 1);
      assert.equal((e as HarborNetworkError).attempts, 1);
    });

    it("retries a GET whose connection drops before the answer", async () => {
      server.handle((req, res, n) => (n === 1 ? res.socket?.destroy() : sendJson(req, res, 200, registryJson(2, "b"))));
      assert.equal((await client.getRegistry(2)).id, 2);
      assert.equal(server.requests.length, 2);
    });

    it("retries a GET whose connection drops in the middle of the body", async () => {
      server.handle((req, res, n) => {
        if (n === 1) {
          res.writeHead(200, { "content-type": "application/json", "content-length": "500" });
          res.write(`{"id":2,`);
          setTimeout(() => res.socket?.destroy(), 20);
        } else sendJson(req, res, 200, registryJson(2, "b"));
      });
      assert.equal((await client.getRegistry(2)).id, 2);
      assert.equal(server.requests.length, 2);
    });

    it("reports a refused connection as a network error after every retry", async () => {
      const url = server.url;
      await server.close();
      const c = makeClient({ url, clock: fakeClock(), retry: { retries: 2 } });
      const e = await rejection(c.getSystemInfo());
      assert.ok(isHarborNetworkError(e));
      assert.equal((e as HarborNetworkError).code, "ECONNREFUSED");
      assert.equal((e as HarborNetworkError).attempts, 3);
      assert.match((e as Error).message, /failed after 3 attempts: no response from Harbor \(ECONNREFUSED/);
      server = await startLocalServer();
    });
  });

  describe("closing", () => {
    it("fails a call on a closed client at once, without retrying", async () => {
      const clock = fakeClock();
      const c = makeClient({ clock });
      await c.close();
      const e = await rejection(c.getSystemInfo());
      assert.ok(isHarborNetworkError(e), String(e));
      assert.deepEqual(clock.sleeps, []);
      assert.equal(server.requests.length, 0);
    });
  });

  describe("timeouts", () => {
    it("fails a slow answer with HarborTimeoutError near timeoutMs after repeating an idempotent request once", async () => {
      const c = makeClient({ timeoutMs: 300, clock: fakeClock() });
      server.handle((req, res) => setTimeout(() => sendJson(req, res, 200, []), 1500));
      const started = Date.now();
      const e = await rejection(c.listRegistries());
      const elapsed = Date.now() - started;
      assert.ok(isHarborTimeoutError(e), String(e));
      assert.equal((e as HarborTimeoutError).timeoutMs, 300);
      assert.ok(elapsed >= 590 && elapsed < 1400, `elapsed ${elapsed}`);
      assert.equal(server.requests.length, 2);
    });

    it("never repeats a timed-out POST", async () => {
      const c = makeClient({ timeoutMs: 300, clock: fakeClock() });
      server.handle((req, res) => setTimeout(() => sendJson(req, res, 200, undefined), 1500));
      assert.ok(isHarborTimeoutError(await rejection(c.pingRegistry({ id: 1 }))));
      assert.ok(isHarborTimeoutError(await rejection(c.createRegistry({ name: "n", type: "harbor", url: "https://h" }))));
      assert.equal(server.requests.length, 2);
    });

    it("times out a body that stalls after the headers", async () => {
      const c = makeClient({ timeoutMs: 300 });
      server.handle((_req, res) => {
        res.writeHead(200, { "content-type": "application/json", "content-length": "100" });
        res.write("[");
      });
      const e = await rejection(c.listRegistries());
      assert.ok(isHarborTimeoutError(e), String(e));
    });
  });

  describe("error envelopes", () => {
    const cases: [number, string, string, RegExp][] = [
      [401, "UNAUTHORIZED", "unauthorized", /harbor:username and harbor:password/],
      [403, "FORBIDDEN", "robot$ci", /system-level `registry` permissions/],
      [404, "NOT_FOUND", "registry 9 not found", /does not exist/],
      [409, "CONFLICT", "registry hub already exists", /already exists in Harbor/],
      [412, "PRECONDITION", "the registry 9 is referenced by replication policies, cannot delete it", /remove those references first/],
      [422, "UNPROCESSABLE_ENTITY", "validation failure list:\nid in path must be of type int64", /bug in pulumi-harbor-endpoints/],
    ];
    for (const [status, code, message, hint] of cases) {
      it(`turns a ${status} ${code} envelope into HarborApiError with the echoed request id`, async () => {
        server.handle((req, res) => sendErrors(req, res, status, code, message));
        const e = (await rejection(client.deleteRegistry(9))) as HarborApiError;
        assert.ok(isHarborApiError(e));
        assert.equal(e.status, status);
        assert.equal(e.code, code);
        assert.deepEqual(e.messages, [message.replace(/\s+/g, " ")]);
        assert.equal(e.requestId, server.requests[0]!.headers["x-request-id"]);
        assert.equal(e.method, "DELETE");
        assert.equal(e.path, "/api/v2.0/registries/9");
        assert.match(e.message, hint);
        assert.ok(e.message.includes(`(request id ${e.requestId})`));
      });
    }

    it("keeps every message of a multi-entry envelope", async () => {
      server.handle((req, res) => sendJson(req, res, 400, { errors: [{ code: "BAD_REQUEST", message: "one" }, { code: "BAD_REQUEST", message: "two" }] }));
      const e = (await rejection(client.getRegistry(1))) as HarborApiError;
      assert.deepEqual(e.messages, ["one", "two"]);
    });

    it("never puts a non-Harbor body into the message", async () => {
      server.handle((_req, res) => {
        res.writeHead(500, { "content-type": "text/html" });
        res.end("<html>proxy page with token=abc</html>");
      });
      const e = (await rejection(client.getRegistry(1))) as HarborApiError;
      assert.equal(e.code, "UNKNOWN");
      assert.ok(!e.message.includes("proxy page"));
    });

    it("redacts the access secret and password even if Harbor echoes them", async () => {
      server.handle((req, res) => sendErrors(req, res, 400, "BAD_REQUEST", `invalid credential ${ACCESS_SECRET} for admin:${PASSWORD}`));
      const e = await rejection(client.pingRegistry({ type: "docker-registry", url: "https://r", access_key: "k", access_secret: ACCESS_SECRET }));
      assert.ok(isHarborApiError(e));
      assertNoSecret(e);
    });

    it("reports 400 'the registry is unhealthy' from ping with a hint about the remote", async () => {
      server.handle((req, res) => sendErrors(req, res, 400, "BAD_REQUEST", "the registry is unhealthy"));
      const e = (await rejection(client.pingRegistry({ id: 3 }))) as HarborApiError;
      assert.equal(e.status, 400);
      assert.deepEqual(e.messages, ["the registry is unhealthy"]);
      assert.match(e.message, /could not reach the remote registry/);
    });
  });

  describe("TLS", function () {
    let tls: { key: string; cert: string };
    let secure: LocalServer;
    before(() => {
      tls = createSelfSignedCert();
    });
    beforeEach(async () => {
      secure = await startLocalServer(tls);
      secure.handle((req, res) => sendJson(req, res, 200, { harbor_version: "v2.15.2" }));
    });
    afterEach(async () => {
      await clients.closeAll();
      await secure.close();
    });

    it("rejects a self-signed certificate by default, without retrying, and suggests caCertificate", async () => {
      const c = makeClient({ url: secure.url, clock: fakeClock() });
      const e = await rejection(c.getSystemInfo());
      assert.ok(isHarborNetworkError(e), String(e));
      assert.equal((e as HarborNetworkError).attempts, 1);
      assert.match((e as Error).message, /harbor:caCertificate/);
      assert.equal(secure.requests.length, 0);
    });

    it("accepts the certificate when its CA is given as caCertificate", async () => {
      const c = makeClient({ url: secure.url, caCertificate: tls.cert });
      assert.equal((await c.getSystemInfo()).harbor_version, "v2.15.2");
    });

    it("accepts the certificate with the explicit insecure opt-in", async () => {
      const c = makeClient({ url: secure.url, insecure: true });
      assert.equal((await c.getSystemInfo()).harbor_version, "v2.15.2");
    });
  });
});
