// A slow or failing Harbor during the connection test is Harbor's failure, not its egress: the remote works from here.
import * as assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { testConnection } from "../../../provider/connection";
import { HarborApiError, HarborTimeoutError } from "../../../provider/errors";

describe("sim: the connection test blames Harbor itself when Harbor is slow or failing", () => {
  let registry: http.Server;
  let url: string;
  before(async () => {
    // A registry that works from this machine: /v2/ answers 200 without credentials.
    registry = http.createServer((_req, res) => {
      res.writeHead(200, { "docker-distribution-api-version": "registry/2.0" });
      res.end("{}");
    });
    await new Promise<void>((r) => registry.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(registry.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => registry.close(() => r())));

  const target = () => ({ name: "works-here", providerName: "docker-registry", endpointUrl: url, insecure: false });
  const failing = (e: unknown) => ({ pingRegistry: async () => Promise.reject(e) });

  it("a ping that times out is reported under connectionTest as Harbor's own failure, not as Harbor's egress", async () => {
    const timeout = new HarborTimeoutError({ method: "POST", path: "/api/v2.0/registries/ping", timeoutMs: 30_000, requestId: "slow-1" });
    const [f] = await testConnection(target(), { harbor: failing(timeout), probeTimeoutMs: 2000 });
    assert.equal(f!.property, "");
    assert.match(f!.reason, /did not finish within 30 s for endpoint "works-here", although from this machine .* is reachable: Harbor itself failed, not the endpoint/);
    assert.doesNotMatch(f!.reason, /egress/);
    assert.match(f!.reason, /slow-1/);
  });

  it("a 500 for a type whose adapter contacts nothing before its health check is Harbor's own failure", async () => {
    const e = new HarborApiError({ status: 500, code: "UNKNOWN", messages: ["internal server error"], method: "POST", path: "/api/v2.0/registries/ping", requestId: "boom-1" });
    const [f] = await testConnection(target(), { harbor: failing(e), probeTimeoutMs: 2000 });
    assert.equal(f!.property, "");
    assert.match(f!.reason, /Harbor answered 500 while setting up its adapter .*Harbor itself failed/);
  });

  it("a gateway's 502 during the test says Harbor itself failed", async () => {
    const e = new HarborApiError({ status: 502, method: "POST", path: "/api/v2.0/registries/ping", requestId: "gw-1", harborEnvelope: false });
    const [f] = await testConnection(target(), { harbor: failing(e), probeTimeoutMs: 2000 });
    assert.equal(f!.property, "");
    assert.match(f!.reason, /Harbor itself failed during the connection test .*gateway in front of Harbor answered 502/);
  });

  it("Harbor's plain verdict 'unhealthy' with a remote that works from here still points at Harbor's network", async () => {
    const e = new HarborApiError({ status: 400, code: "BAD_REQUEST", messages: ["the registry is unhealthy"], method: "POST", path: "/api/v2.0/registries/ping" });
    const [f] = await testConnection(target(), { harbor: failing(e), probeTimeoutMs: 2000 });
    assert.equal(f!.property, "endpointUrl");
    assert.match(f!.reason, /Harbor cannot reach it from its own network/);
  });
});
