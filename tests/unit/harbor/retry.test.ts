// Unit tests of provider/harbor/retry.ts: backoff ceilings, jitter bounds, Retry-After parsing, idempotency rules.
import assert from "node:assert/strict";
import {
  backoffCeilingMs,
  backoffDelayMs,
  isIdempotentMethod,
  isRetryableStatus,
  nextRetryDelayMs,
  parseRetryAfterMs,
  retryAfterCapMs,
  RetryPolicy,
} from "../../../provider/harbor/retry";

const policy: RetryPolicy = { retries: 6, baseDelayMs: 100, maxDelayMs: 1000 };

/** A fake clock at a fixed instant. */
const NOW = Date.parse("2026-08-01T10:00:00Z");

describe("retry policy", () => {
  it("doubles the backoff ceiling per retry and caps it at maxDelayMs", () => {
    assert.deepEqual([0, 1, 2, 3, 4, 5, 60].map((i) => backoffCeilingMs(i, policy)), [100, 200, 400, 800, 1000, 1000, 1000]);
  });

  it("draws full jitter between 0 and the ceiling", () => {
    assert.equal(backoffDelayMs(3, policy, () => 0), 0);
    assert.equal(backoffDelayMs(3, policy, () => 0.5), 400);
    assert.equal(backoffDelayMs(3, policy, () => 0.999999), 800);
    for (let i = 0; i < 200; i++) {
      const d = backoffDelayMs(2, policy);
      assert.ok(d >= 0 && d <= 400, String(d));
    }
  });

  it("clamps a random source that strays outside [0,1]", () => {
    assert.equal(backoffDelayMs(0, policy, () => 7), 100);
    assert.equal(backoffDelayMs(0, policy, () => -1), 0);
  });

  it("parses Retry-After seconds", () => {
    assert.equal(parseRetryAfterMs("3", NOW), 3000);
    assert.equal(parseRetryAfterMs(["0"], NOW), 0);
    assert.equal(parseRetryAfterMs("1.5", NOW), 1500);
  });

  it("parses a Retry-After HTTP date relative to the clock", () => {
    assert.equal(parseRetryAfterMs(new Date(NOW + 2000).toUTCString(), NOW), 2000);
  });

  it("treats a Retry-After date in the past as no wait", () => {
    assert.equal(parseRetryAfterMs(new Date(NOW - 60_000).toUTCString(), NOW), 0);
  });

  it("ignores an unparseable or empty Retry-After", () => {
    for (const v of [undefined, "", "soon", "-5", "12abc"]) assert.equal(parseRetryAfterMs(v, NOW), undefined, String(v));
  });

  it("waits what Retry-After asks, without jitter", () => {
    assert.equal(nextRetryDelayMs({ retryIndex: 0, policy, retryAfter: "2", nowMs: NOW, random: () => 0 }), 2000);
  });

  it("caps Retry-After at four times maxDelayMs", () => {
    assert.equal(retryAfterCapMs(policy), 4000);
    assert.equal(nextRetryDelayMs({ retryIndex: 0, policy, retryAfter: "3600", nowMs: NOW }), 4000);
    assert.equal(nextRetryDelayMs({ retryIndex: 0, policy, retryAfter: new Date(NOW + 86_400_000).toUTCString(), nowMs: NOW }), 4000);
  });

  it("falls back to jittered backoff without Retry-After", () => {
    assert.equal(nextRetryDelayMs({ retryIndex: 1, policy, nowMs: NOW, random: () => 0.5 }), 100);
  });

  it("treats GET, HEAD, PUT and DELETE as idempotent and POST as never", () => {
    for (const m of ["GET", "head", "PUT", "DELETE"]) assert.ok(isIdempotentMethod(m), m);
    for (const m of ["POST", "post", "PATCH"]) assert.ok(!isIdempotentMethod(m), m);
  });

  it("retries only 429, 502, 503 and 504", () => {
    assert.deepEqual([400, 401, 404, 409, 412, 429, 500, 501, 502, 503, 504].filter(isRetryableStatus), [429, 502, 503, 504]);
  });
});
