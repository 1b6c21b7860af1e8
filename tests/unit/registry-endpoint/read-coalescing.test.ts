// Unit tests of RegistryReads: a lone read is one GET; reads that overlap share one listing; what the listing does not
// show, and everything after a refused or oversized listing or a write, is asked for by id.
import * as assert from "node:assert/strict";
import type { HarborRegistry } from "../../../provider/harbor";
import { HarborWrites, RegistryReads, type RegistryReadSource } from "../../../provider/registry-endpoint/read-coalescing";

const registry = (id: number, description = "listed"): HarborRegistry =>
  ({ id, name: `r${id}`, type: "docker-registry", url: "https://r.example.com", description, insecure: false, status: "healthy", creation_time: "t0", update_time: "t1" }) as HarborRegistry;

/** Requests in the order-free form they are compared in (a read's GET and a listing may leave in either order). */
const sorted = (calls: string[]) => [...calls].sort();

class NotFound extends Error {
  status = 404;
}

/** A Harbor holding `ids`; each call is recorded, and answers wait until `release()` (or come at once). */
function fakeHarbor(ids: number[], opts: { list?: "ok" | "refused" | "too-many" | "unavailable" | "foreign"; held?: boolean } = {}) {
  const calls: string[] = [];
  let stored = new Map(ids.map((id) => [id, registry(id)]));
  const waiting: (() => void)[] = [];
  const gate = () => (opts.held ? new Promise<void>((r) => waiting.push(r)) : Promise.resolve());
  const source: RegistryReadSource = {
    async getRegistry(id) {
      calls.push(`GET ${id}`);
      await gate();
      const r = stored.get(id);
      if (!r) throw new NotFound(`registry ${id} not found`);
      return { ...r, description: "by id" };
    },
    async listRegistriesUpTo(limit) {
      calls.push(`LIST ${limit}`);
      await gate();
      // The client's errors are recognised by their brand, as across module copies.
      if (opts.list === "refused") throw Object.assign(new Error("403 FORBIDDEN"), { errorKind: "HarborApiError", status: 403 });
      if (opts.list === "unavailable") throw Object.assign(new Error("503 SERVICE_UNAVAILABLE"), { errorKind: "HarborApiError", status: 503 });
      if (opts.list === "foreign") throw Object.assign(new Error("not Harbor's answer"), { errorKind: "HarborResponseShapeError" });
      if (opts.list === "too-many") return undefined;
      return [...stored.values()];
    },
  };
  return {
    source,
    calls,
    set(id: number, r: HarborRegistry | undefined) {
      stored = new Map(stored);
      if (r) stored.set(id, r);
      else stored.delete(id);
    },
    release() {
      opts.held = false;
      for (const w of waiting.splice(0)) w();
    },
  };
}

/** Starts reads of `ids` at once, releases the held answers, and returns what each read settled to. */
async function readTogether(reads: RegistryReads, harbor: ReturnType<typeof fakeHarbor>, ids: number[]) {
  const pending = ids.map((id) => reads.get(id).then((r) => r.description ?? "", (e: Error) => `error: ${e.message}`));
  await new Promise((r) => setImmediate(r));
  harbor.release();
  return Promise.all(pending);
}

describe("RegistryReads", () => {
  it("reads a registry alone with one GET and no listing", async () => {
    const harbor = fakeHarbor([1, 2]);
    const reads = new RegistryReads(harbor.source);
    assert.equal((await reads.get(1)).description, "by id");
    assert.equal((await reads.get(2)).description, "by id");
    assert.deepEqual(sorted(harbor.calls), sorted(["GET 1", "GET 2"]));
  });

  it("answers reads that overlap from one listing of at most 1000 registries", async () => {
    const ids = Array.from({ length: 8 }, (_, i) => i + 1);
    const harbor = fakeHarbor(ids, { held: true });
    const reads = new RegistryReads(harbor.source);
    const got = await readTogether(reads, harbor, ids);
    // The first read was alone when it started: it asked by id; the seven that joined it share one listing.
    assert.deepEqual(got, ["by id", ...Array(7).fill("listed")]);
    assert.deepEqual(sorted(harbor.calls), sorted(["GET 1", "LIST 1000"]));
  });

  it("goes on answering from a listing for freshMs after it was requested, then lists again", async () => {
    let now = 0;
    const harbor = fakeHarbor([1, 2, 3, 4], { held: true });
    const reads = new RegistryReads(harbor.source, new HarborWrites(), { freshMs: 2000, now: () => now });
    await readTogether(reads, harbor, [1, 2]);
    now = 1999;
    assert.equal((await reads.get(3)).description, "listed");
    now = 2001;
    // Alone again, past the window: one GET, no new listing.
    assert.equal((await reads.get(4)).description, "by id");
    assert.deepEqual(sorted(harbor.calls), sorted(["GET 1", "LIST 1000", "GET 4"]));
  });

  it("asks by id for an endpoint the listing does not show, so only Harbor's 404 says it is gone", async () => {
    const harbor = fakeHarbor([1, 2], { held: true });
    const reads = new RegistryReads(harbor.source);
    const got = await readTogether(reads, harbor, [1, 2, 9]);
    assert.deepEqual(got, ["by id", "listed", "error: registry 9 not found"]);
    assert.deepEqual(sorted(harbor.calls), sorted(["GET 1", "LIST 1000", "GET 9"]));
  });

  for (const [list, why] of [
    ["refused", "Harbor refuses the listing (403: no registry:list permission)"],
    ["too-many", "Harbor holds more than maxListed"],
    ["foreign", "the listing's answer is not Harbor's"],
  ] as const) {
    it(`reads one GET per endpoint for the rest of the process when ${why}`, async () => {
      const harbor = fakeHarbor([1, 2, 3, 4], { held: true, list });
      const reads = new RegistryReads(harbor.source);
      assert.deepEqual(await readTogether(reads, harbor, [1, 2]), ["by id", "by id"]);
      harbor.calls.length = 0;
      const again = fakeHarborGate(harbor);
      assert.deepEqual(await again(reads, [3, 4]), ["by id", "by id"]);
      assert.deepEqual(sorted(harbor.calls), sorted(["GET 3", "GET 4"]));
    });
  }

  it("never lists with listing: false (harbor:refreshListing false), however many reads overlap", async () => {
    const harbor = fakeHarbor([1, 2, 3], { held: true });
    const reads = new RegistryReads(harbor.source, new HarborWrites(), { listing: false });
    assert.deepEqual(await readTogether(reads, harbor, [1, 2, 3]), ["by id", "by id", "by id"]);
    assert.deepEqual(sorted(harbor.calls), sorted(["GET 1", "GET 2", "GET 3"]));
  });

  it("after a failure that may pass (a 503), lists again for the next reads that overlap", async () => {
    const harbor = fakeHarbor([1, 2, 3, 4], { held: true, list: "unavailable" });
    const reads = new RegistryReads(harbor.source);
    assert.deepEqual(await readTogether(reads, harbor, [1, 2]), ["by id", "by id"]);
    harbor.calls.length = 0;
    assert.deepEqual(await fakeHarborGate(harbor)(reads, [3, 4]), ["by id", "by id"]);
    assert.deepEqual(sorted(harbor.calls), sorted(["GET 3", "LIST 1000", "GET 4"]));
  });

  it("lets the reads waiting on a listing older than freshMs use it when it arrives, while newer reads start another", async () => {
    let now = 0;
    const harbor = fakeHarbor([1, 2, 3, 4]);
    const reads = new RegistryReads(harbor.source, new HarborWrites(), { freshMs: 2000, now: () => now });
    const gate = fakeHarborGate(harbor);
    const got = await gate(reads, [1, 2], async () => {
      now = 2500;
      // The first listing is still on its way, 2.5 s after it was requested: these reads start a second one.
      const later = [reads.get(3), reads.get(4)].map((p) => p.then((r) => r.description));
      return later;
    });
    assert.deepEqual(got.slice(0, 2), ["by id", "listed"], "the read waiting on the slow listing fell back to a GET");
    assert.deepEqual(await Promise.all(got[2] as unknown as Promise<string>[]), ["listed", "listed"]);
    assert.deepEqual(sorted(harbor.calls), sorted(["GET 1", "LIST 1000", "LIST 1000"]));
  });

  it("never answers from a listing requested before or during a write to the same Harbor", async () => {
    const harbor = fakeHarbor([1, 2, 3], { held: true });
    const writes = new HarborWrites();
    const reads = new RegistryReads(harbor.source, writes);
    // Another connection to the same Harbor shares the writes: its write counts as well.
    const otherConnection = new RegistryReads(harbor.source, writes);
    await readTogether(reads, harbor, [1, 2]);
    // A write changes endpoint 2 after the listing: the next read of it asks by id.
    await writes.run(async () => harbor.set(2, registry(2, "written")));
    assert.equal((await reads.get(2)).description, "by id");

    // A write that starts and ends while a listing is on its way: the reads waiting on that listing ask by id.
    harbor.calls.length = 0;
    assert.deepEqual(await fakeHarborGate(harbor)(reads, [1, 3], () => writes.run(async () => undefined)), ["by id", "by id"]);
    assert.deepEqual(sorted(harbor.calls), sorted(["GET 1", "LIST 1000", "GET 3"]));

    // While a write is in flight no listing starts, however many reads overlap, on either connection.
    harbor.calls.length = 0;
    let finishWrite!: () => void;
    const writing = writes.run(() => new Promise<void>((r) => (finishWrite = r)));
    assert.deepEqual(await fakeHarborGate(harbor)(reads, [1, 2, 3]), ["by id", "by id", "by id"]);
    assert.deepEqual(await fakeHarborGate(harbor)(otherConnection, [1, 2]), ["by id", "by id"]);
    assert.deepEqual(sorted(harbor.calls), sorted(["GET 1", "GET 2", "GET 3", "GET 1", "GET 2"]));
    finishWrite();
    await writing;
  });
});

/** Re-holds the fake Harbor's answers for one more batch of overlapping reads; `meanwhile` runs before the release. */
function fakeHarborGate(harbor: ReturnType<typeof fakeHarbor>) {
  return async (reads: RegistryReads, ids: number[], meanwhile?: () => unknown) => {
    const held: (() => void)[] = [];
    const { getRegistry, listRegistriesUpTo } = harbor.source;
    const hold = <A extends unknown[], R>(f: (...a: A) => Promise<R>) => async (...a: A) => {
      await new Promise<void>((r) => held.push(r));
      return f(...a);
    };
    const source = harbor.source as { getRegistry: typeof getRegistry; listRegistriesUpTo: typeof listRegistriesUpTo };
    source.getRegistry = hold(getRegistry);
    source.listRegistriesUpTo = hold(listRegistriesUpTo);
    try {
      const pending = ids.map((id) => reads.get(id).then((r) => r.description ?? "", (e: Error) => `error: ${e.message}`));
      await new Promise((r) => setImmediate(r));
      const extra = await meanwhile?.();
      for (let i = 0; i < 3; i++) {
        for (const h of held.splice(0)) h();
        await new Promise((r) => setImmediate(r));
      }
      return [...(await Promise.all(pending)), ...(extra === undefined ? [] : [extra as unknown as string])];
    } finally {
      source.getRegistry = getRegistry;
      source.listRegistriesUpTo = listRegistriesUpTo;
    }
  };
}
