// Transport rules: plain http:// to a Harbor that is not this machine needs an explicit opt-in, and credentials never
// follow a redirect to another origin (or anywhere: the client follows none).
import * as assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { readHarborConfig } from "../../../provider/config";
import { readHarborConnections } from "../../../provider/connections";
import { isHarborApiError } from "../../../provider/errors";
import { HarborClient, isLoopbackHost } from "../../../provider/harbor";
import { canary } from "../../support/canary";

const cfg = (values: Record<string, string>) => ({ get: (k: string) => values[k] });

describe("transport rules", () => {
  const password = canary("transport-password");

  it("knows this machine: localhost, 127.0.0.0/8 and ::1, also IPv4-mapped; nothing else", () => {
    for (const h of ["localhost", "api.localhost", "127.0.0.1", "127.1.2.3", "[::1]", "::1", "[::ffff:7f00:1]"]) assert.ok(isLoopbackHost(h), h);
    for (const h of ["harbor.example.com", "10.0.0.1", "128.0.0.1", "[::2]", "localhost.example.com", "[::ffff:a00:1]"]) assert.ok(!isLoopbackHost(h), h);
  });

  it("refuses plain http:// to another machine, in the client and in the provider configuration, naming the key", () => {
    assert.throws(() => new HarborClient({ url: "http://harbor.example.com", username: "admin", password }), (e: Error) => /allowHttp/.test(e.message) && !e.message.includes(password));
    assert.throws(
      () => readHarborConfig(cfg({ "harbor:url": "http://harbor.example.com", "harbor:password": password }), {}),
      (e: Error) => /harbor:url uses plain http:\/\/ to harbor\.example\.com/.test(e.message) && !e.message.includes(password),
    );
    assert.throws(() => readHarborConfig(undefined, { HARBOR_URL: "http://10.1.2.3:8080" }), /HARBOR_URL uses plain http/);
  });

  it("applies the same rule to named connections, each with its own allowHttp", () => {
    const named = (eu: Record<string, unknown>) => readHarborConnections(undefined, { HARBOR_CONNECTIONS: JSON.stringify({ eu: { username: "u", password, ...eu } }) });
    assert.throws(() => named({ url: "http://eu.example.com" }), (e: Error) => /plain http:\/\/ to eu\.example\.com.*connections\.eu\.allowHttp/.test(e.message) && !e.message.includes(password));
    assert.equal(named({ url: "http://eu.example.com", allowHttp: true }).connections.get("eu")!.allowHttp, true);
    assert.equal(named({ url: "http://127.0.0.1:9" }).connections.get("eu")!.allowHttp, false);
  });

  it("accepts http:// to this machine, https:// anywhere, and http:// elsewhere with harbor:allowHttp", async () => {
    new HarborClient({ url: "http://127.0.0.1:8080", username: "a", password }).close();
    new HarborClient({ url: "https://harbor.example.com", username: "a", password }).close();
    const c = new HarborClient({ url: "http://harbor.example.com", username: "a", password, allowHttp: true });
    await c.close();
    assert.equal(readHarborConfig(cfg({ "harbor:url": "http://harbor.example.com", "harbor:allowHttp": "true" }), {}).allowHttp, true);
    assert.equal(readHarborConfig(undefined, { HARBOR_URL: "http://harbor.example.com", HARBOR_ALLOW_HTTP: "true" }).url, "http://harbor.example.com/api/v2.0");
  });

  it("never follows a redirect: another origin receives nothing, credentials included, and the 3xx is reported", async () => {
    const seenElsewhere: http.IncomingHttpHeaders[] = [];
    const elsewhere = http.createServer((req, res) => {
      seenElsewhere.push(req.headers);
      res.writeHead(200, { "content-type": "application/json" });
      res.end("[]");
    });
    await new Promise<void>((r) => elsewhere.listen(0, "127.0.0.1", r));
    const other = `http://localhost:${(elsewhere.address() as AddressInfo).port}`;
    const harbor = http.createServer((req, res) => {
      res.writeHead(307, { location: `${other}${req.url}` });
      res.end();
    });
    await new Promise<void>((r) => harbor.listen(0, "127.0.0.1", r));
    const client = new HarborClient({ url: `http://127.0.0.1:${(harbor.address() as AddressInfo).port}`, username: "admin", password });
    try {
      for (const call of [() => client.listRegistries(), () => client.deleteRegistry(1), () => client.createRegistry({ name: "n", type: "harbor", url: "https://h" })]) {
        const e = await call().then(() => undefined, (x: unknown) => x);
        assert.ok(isHarborApiError(e) && e.status === 307, String(e));
        assert.match((e as Error).message, /redirected/);
        assert.ok(!(e as Error).message.includes(password));
      }
      assert.deepEqual(seenElsewhere, []);
    } finally {
      await client.close();
      await new Promise<void>((r) => harbor.close(() => r()));
      await new Promise<void>((r) => elsewhere.close(() => r()));
    }
  });
});
