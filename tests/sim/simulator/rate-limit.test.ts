// Simulator: the rate limit in front of Harbor (429 TOO_MANY_REQUEST + Retry-After) and the load figures it reports.
import * as assert from "node:assert/strict";
import { TokenBucket } from "../../../simulator/rate-limit";
import { startTestSimulator } from "../../support/sim";
import { call, harborErr } from "./helpers";

describe("simulator rate limit", () => {
  it("lets a burst through, then refuses with 429 and a whole-second Retry-After until tokens refill", () => {
    let now = 0;
    const bucket = new TokenBucket({ requestsPerSecond: 2, burst: 3 }, () => now);
    assert.deepEqual([bucket.take(), bucket.take(), bucket.take()].map((t) => t.ok), [true, true, true]);
    assert.deepEqual(bucket.take(), { ok: false, retryAfterSeconds: 1 });
    now += 500;
    assert.equal(bucket.take().ok, true);
  });

  it("answers over-limit requests 429 before Harbor handles them, and counts them", async () => {
    const sim = await startTestSimulator({ rateLimit: { requestsPerSecond: 1, burst: 2 } });
    try {
      const statuses: number[] = [];
      let refused;
      for (let i = 0; i < 4; i++) {
        const r = await call(sim, "POST", "/registries", { body: { name: `r${i}`, type: "huawei-SWR", url: "https://swr.example.com" } });
        statuses.push(r.status);
        if (r.status === 429) refused = r;
      }
      assert.deepEqual(statuses, [201, 201, 429, 429]);
      assert.deepEqual(harborErr(refused!), { code: "TOO_MANY_REQUEST", message: "too many requests" });
      assert.equal(refused!.headers.get("retry-after"), "1");
      assert.equal(sim.storedRegistries().length, 2);
      assert.equal(sim.stats().rateLimited, 2);
      assert.equal(sim.stats().maxConcurrentRequests, 1);
    } finally {
      await sim.close();
    }
  });
});
