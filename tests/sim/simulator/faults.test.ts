// Simulator: fault injection (status + headers, delays, dropped connections before and after applying a POST).
import * as assert from "node:assert/strict";
import type { HarborSimulator } from "../../../simulator";
import { startTestSimulator } from "../../support/sim";
import { call, harborErr, swr } from "./helpers";

describe("simulator fault injection", () => {
  let sim: HarborSimulator;
  beforeEach(async () => {
    sim = await startTestSimulator();
  });
  afterEach(async () => {
    await sim.close();
  });

  it("answers an injected 429 with Retry-After once, then serves normally", async () => {
    sim.inject({ method: "GET", path: "/api/v2.0/registries", status: 429, headers: { "Retry-After": "2" } });
    const first = await call(sim, "GET", "/registries", { headers: { "X-Request-Id": "f1" } });
    assert.equal(first.status, 429);
    assert.equal(first.headers.get("retry-after"), "2");
    assert.equal(first.headers.get("x-request-id"), "f1");
    assert.equal(harborErr(first).code, "TOO_MANY_REQUEST");
    assert.equal((await call(sim, "GET", "/registries")).status, 200);
  });

  it("applies a fault `times` times and only to the matching method", async () => {
    sim.inject({ method: "GET", path: /\/registries\/\d+$/, status: 503, times: 2 });
    assert.equal((await call(sim, "DELETE", "/registries/5")).status, 404);
    assert.equal((await call(sim, "GET", "/registries/5")).status, 503);
    const second = await call(sim, "GET", "/registries/5");
    assert.deepEqual([second.status, harborErr(second)], [503, { code: "UNKNOWN", message: "internal server error" }]);
    assert.equal((await call(sim, "GET", "/registries/5")).status, 404);
  });

  it("delays a response by delayMs", async () => {
    sim.inject({ path: "/api/v2.0/systeminfo", delayMs: 300 });
    const t0 = Date.now();
    assert.equal((await call(sim, "GET", "/systeminfo")).status, 200);
    assert.ok(Date.now() - t0 >= 290);
  });

  it("drops the connection before handling: nothing is created", async () => {
    sim.inject({ method: "POST", path: "/api/v2.0/registries", dropConnection: "before" });
    await assert.rejects(call(sim, "POST", "/registries", { body: swr("a") }));
    assert.equal(sim.storedRegistries().length, 0);
    assert.equal(sim.requests.at(-1)!.status, 0);
  });

  it("drops the connection after applying a POST: the registry exists although no response arrived", async () => {
    sim.inject({ method: "POST", path: "/api/v2.0/registries", dropConnection: "afterApply" });
    await assert.rejects(call(sim, "POST", "/registries", { body: swr("lost") }));
    assert.deepEqual(sim.storedRegistries().map((r) => r.name), ["lost"]);
    const retry = await call(sim, "POST", "/registries", { body: swr("lost") });
    assert.equal(retry.status, 409);
  });

  it("clearFaults removes pending faults; resetRequests empties the log", async () => {
    sim.inject({ path: "/api/v2.0/registries", status: 500, times: Infinity });
    sim.clearFaults();
    assert.equal((await call(sim, "GET", "/registries")).status, 200);
    assert.ok(sim.requests.length > 0);
    sim.resetRequests();
    assert.equal(sim.requests.length, 0);
  });

  it("rejects a fault with times < 1", () => {
    assert.throws(() => sim.inject({ path: "/x", times: 0 }), RangeError);
  });
});
