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

describe("simulator q parsing as Harbor's q.Build does it", () => {
  let sim: HarborSimulator;
  before(async () => {
    sim = await startTestSimulator();
    for (const n of ["alpha", "beta", "delta", "my reg", "my+reg", "~odd"]) await createRegistry(sim, swr(n));
  });
  after(async () => {
    await sim.close();
  });

  const names = (r: { json: unknown }) => (r.json as { name: string }[]).map((x) => x.name);
  const list = async (query: string) => names(await call(sim, "GET", `/registries?${query}`));
  const q = (value: string) => `q=${encodeURIComponent(value)}`;
  const ALL = ["alpha", "beta", "delta", "my reg", "my+reg", "~odd"];

  it("unescapes q with url.QueryUnescape: a literal + is a space, %2B a plus", async () => {
    assert.deepEqual(await list(q("name=my+reg")), ["my reg"]);
    assert.deepEqual(await list(q("name=my%2Breg")), ["my+reg"]);
  });

  it("keeps spaces around keys and values: ' name' is an unknown key, 'alpha ' matches nothing", async () => {
    assert.deepEqual(await list(q(" name=alpha")), ALL);
    assert.deepEqual(await list(q("name=alpha ")), []);
  });

  it("lets the last of repeated keys win, an AND list included", async () => {
    assert.deepEqual(await list(q("name=alpha,name=beta")), ["beta"]);
    assert.deepEqual(await list(q("name=alpha,name=(x y)")), ALL);
  });

  it("replaces only the Name keyword with the deprecated name parameter", async () => {
    assert.deepEqual(await list(`${q("Name=alpha")}&name=bet`), ["beta"]);
    assert.deepEqual(await list(`${q("name=alpha")}&name=ALPH`), ["alpha"]);
    assert.deepEqual(await list(`${q("name=alpha")}&name=bet`), []);
  });

  it("binds the last of repeated query parameters and treats an empty one as absent", async () => {
    assert.deepEqual(await list(`${q("name=alpha")}&${q("name=beta")}`), ["beta"]);
    assert.equal((await list("page_size=1&page_size=2")).length, 2);
    assert.deepEqual(await list("page=&page_size="), ALL);
  });

  it("answers 400 for an operator that is opened but not closed or a range without exactly one ~", async () => {
    for (const value of ["[alpha", "{beta", "(x", "[a~b~c]", "[~]"]) {
      const r = await call(sim, "GET", `/registries?${q(`name=${value}`)}`);
      assert.deepEqual(harborErr(r), { code: "BAD_REQUEST", message: `invalid query string value: ${value}` }, value);
    }
  });

  it("takes a leading backslash as an escape and strips quotes around list items", async () => {
    assert.deepEqual(await list(q("name=\\~odd")), ["~odd"]);
    assert.deepEqual(await list(q(`name={"beta" 'delta'}`)), ["beta", "delta"]);
  });

  it("ignores sort keys with surrounding spaces, since Harbor does not trim them", async () => {
    assert.deepEqual(await list(`sort=${encodeURIComponent(" -name")}`), ALL);
    assert.deepEqual(await list("sort=-name"), [...ALL].sort().reverse());
  });
});
