// Shared by the Harbor client tests: awaiting a rejection, scanning an error for secrets, and clients closed together after each test.
import assert from "node:assert/strict";
import { HarborClient, type HarborClientOptions } from "../../../provider/harbor";

/** Resolves with what `p` rejects with; fails the test when `p` fulfils. */
export async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  assert.fail("expected a rejection");
}

/** Fails when the error's message or any of its serialised fields contains one of `secrets`. */
export function assertNoSecretIn(e: unknown, secrets: readonly string[]): void {
  const text = `${(e as Error).message} ${JSON.stringify(e)}`;
  for (const s of secrets) assert.ok(!text.includes(s), `leaked ${s}: ${text}`);
}

/** Makes clients from fresh `defaults()` plus per-call options, and closes every client made so far in one call. */
export function trackedClients(defaults: () => HarborClientOptions): {
  make(extra?: Partial<HarborClientOptions>): HarborClient;
  closeAll(): Promise<void>;
} {
  const open: HarborClient[] = [];
  return {
    make: (extra = {}) => {
      const c = new HarborClient({ ...defaults(), ...extra });
      open.push(c);
      return c;
    },
    closeAll: async () => {
      await Promise.all(open.splice(0).map((c) => c.close()));
    },
  };
}
