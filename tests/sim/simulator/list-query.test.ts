// Simulator: list pagination headers (X-Total-Count, Link) and the q/sort query language on GET /registries.
import * as assert from "node:assert/strict";
import type { HarborSimulator } from "../../../simulator";
import { startTestSimulator } from "../../support/sim";
import { call, createRegistry, harborErr, swr } from "./helpers";

describe("simulator list pagination and q", () => {
  let sim: HarborSimulator;
  before(async () => {
    sim = await startTestSimulator();
    for (const n of ["alpha", "beta", "gamma", "Alphabet", "delta"]) await createRegistry(sim, swr(n, { description: `d-${n}` }));
    await createRegistry(sim, { name: "dr", type: "docker-registry", url: sim.url });
  });
  after(async () => {
    await sim.close();
  });

  const names = (r: { json: unknown }) => (r.json as { name: string }[]).map((x) => x.name);

  it("defaults to page 1 of size 10 with X-Total-Count and no Link when everything fits", async () => {
    const r = await call(sim, "GET", "/registries");
    assert.equal(r.headers.get("x-total-count"), "6");
    assert.equal(r.headers.get("link"), null);
    assert.deepEqual(names(r), ["alpha", "beta", "gamma", "Alphabet", "delta", "dr"]);
  });

  it("builds prev and next links joined by ' , ' with sorted query keys", async () => {
    const r = await call(sim, "GET", "/registries?page_size=2&page=2");
    assert.deepEqual(names(r), ["gamma", "Alphabet"]);
    assert.equal(
      r.headers.get("link"),
      '</api/v2.0/registries?page=1&page_size=2>; rel="prev" , </api/v2.0/registries?page=3&page_size=2>; rel="next"',
    );
  });

  it("keeps other query parameters, URL-unescaped, in the links", async () => {
    const r = await call(sim, "GET", `/registries?q=${encodeURIComponent("type=huawei-SWR")}&page_size=2`);
    assert.equal(r.headers.get("x-total-count"), "5");
    assert.equal(r.headers.get("link"), '</api/v2.0/registries?page=2&page_size=2&q=type=huawei-SWR>; rel="next"');
  });

  it("sends only prev on the last page and nothing past the end", async () => {
    assert.equal((await call(sim, "GET", "/registries?page_size=2&page=3")).headers.get("link"), '</api/v2.0/registries?page=2&page_size=2>; rel="prev"');
    const past = await call(sim, "GET", "/registries?page_size=2&page=9");
    assert.deepEqual(past.json, []);
    assert.equal(past.headers.get("link"), null);
  });

  it("returns all rows without a Link for page_size=0", async () => {
    const r = await call(sim, "GET", "/registries?page_size=0");
    assert.equal(names(r).length, 6);
    assert.equal(r.headers.get("link"), null);
  });

  it("filters exactly with name= and fuzzily (case-insensitive) with name=~", async () => {
    assert.deepEqual(names(await call(sim, "GET", "/registries?q=name%3Dalpha")), ["alpha"]);
    assert.deepEqual(names(await call(sim, "GET", "/registries?q=name%3D~alpha")), ["alpha", "Alphabet"]);
    assert.deepEqual(names(await call(sim, "GET", "/registries?name=ALPHA")), ["alpha", "Alphabet"]);
  });

  it("filters by type, combines conditions, and ignores unknown keys", async () => {
    assert.deepEqual(names(await call(sim, "GET", "/registries?q=type%3Ddocker-registry")), ["dr"]);
    assert.deepEqual(names(await call(sim, "GET", "/registries?q=type%3Dhuawei-SWR,name%3D~ta")), ["beta", "delta"]);
    assert.equal(names(await call(sim, "GET", "/registries?q=bogus%3Dx")).length, 6);
    assert.equal(names(await call(sim, "GET", "/registries?q=status%3Dhealthy")).length, 6, "status is not a filter key");
    assert.equal(names(await call(sim, "GET", "/registries?q=health%3Dunhealthy")).length, 0);
  });

  it("supports IN lists and sort", async () => {
    assert.deepEqual(names(await call(sim, "GET", "/registries?q=name%3D%7Bbeta%20delta%7D")), ["beta", "delta"]);
    assert.deepEqual(names(await call(sim, "GET", "/registries?sort=-name&page_size=3")), ["gamma", "dr", "delta"]);
  });

  it("answers 400 for a malformed q item", async () => {
    const r = await call(sim, "GET", "/registries?q=name");
    assert.deepEqual(harborErr(r), { code: "BAD_REQUEST", message: 'the query string must contain "=" and the key/value cannot be empty' });
  });

  it("answers 422 for page_size above 100 and non-integer page", async () => {
    assert.equal(harborErr(await call(sim, "GET", "/registries?page_size=101")).message, "validation failure list:\npage_size in query should be less than or equal to 100");
    assert.equal(harborErr(await call(sim, "GET", "/registries?page=x")).message, 'validation failure list:\npage in query must be of type int64: "x"');
  });
});
