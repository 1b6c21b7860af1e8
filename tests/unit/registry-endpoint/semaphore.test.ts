// Unit tests of the bounded concurrency used for connection tests.
import * as assert from "node:assert/strict";
import { CONNECTION_TEST_CONCURRENCY, Semaphore } from "../../../provider/provider";

describe("connection-test concurrency", () => {
  it("never runs more than the limit at once and runs every task", async () => {
    const s = new Semaphore(3);
    let active = 0;
    let peak = 0;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        s.run(async () => {
          active++;
          peak = Math.max(peak, active);
          await new Promise((r) => setTimeout(r, 2));
          active--;
          return i;
        }),
      ),
    );
    assert.equal(peak, 3);
    assert.deepEqual(results, Array.from({ length: 20 }, (_, i) => i));
  });
  it("releases the slot when a task fails", async () => {
    const s = new Semaphore(1);
    await assert.rejects(s.run(async () => { throw new Error("x"); }));
    assert.equal(await s.run(async () => 1), 1);
  });
  it("allows 8 pings at once per provider process", () => assert.equal(CONNECTION_TEST_CONCURRENCY, 8));
});
