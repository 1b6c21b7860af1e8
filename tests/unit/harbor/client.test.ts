// Unit tests of the socket-free parts of the client: base URL resolution, Link parsing, option validation.
import assert from "node:assert/strict";
import { exactNameQuery, HarborClient, parseNextPageLink } from "../../../provider/harbor/client";
import { resolveHarborBase } from "../../../provider/harbor/transport";
import { parseQuery } from "../../../simulator/query";

describe("exactNameQuery: a q that Harbor's parser reads back as the name", () => {
  /** What Harbor's q parser sees: the transport's percent-encoding, Go's query decoding, then q.Build's own unescape. */
  const asHarborReads = (q: string) => parseQuery(new URLSearchParams(`q=${encodeURIComponent(q)}`).get("q"));
  const plain = ["hub", "my registry", " lead and trail ", "100%", "%41%zz", "a+b", "a=b", "~tilde", "[range~x]", "{a b}", "(a b)", "\\back", "é ünïcode ✓", "x".repeat(64), "nul-free\ttab"];
  for (const name of plain) {
    it(`asks for exactly ${JSON.stringify(name)}`, () => {
      assert.deepEqual(asHarborReads(exactNameQuery(name)!), [{ key: "name", op: "eq", value: name }]);
    });
  }
  for (const name of ["a,b", "team, eu-west", ",,x,", "~a,b", "%,+"]) {
    it(`asks for ${JSON.stringify(name)} (with a comma) by a fuzzy run of it, which the caller narrows`, () => {
      const conditions = asHarborReads(exactNameQuery(name)!);
      assert.equal(conditions.length, 1);
      const c = conditions[0]!;
      assert.equal(c.op, "fuzzy");
      assert.ok(c.op === "fuzzy" && c.value.length > 0 && name.includes(c.value) && !c.value.includes(","));
    });
  }
  it("lists everything for a name that is only commas", () => {
    assert.equal(exactNameQuery(",,,"), undefined);
  });
});

describe("resolveHarborBase", () => {
  it("appends /api/v2.0 to a bare origin", () => {
    assert.deepEqual(resolveHarborBase("https://harbor.example.com"), { origin: "https://harbor.example.com", basePath: "/api/v2.0" });
    assert.deepEqual(resolveHarborBase("https://harbor.example.com/"), { origin: "https://harbor.example.com", basePath: "/api/v2.0" });
  });

  it("keeps an /api/v2.0 that is already there and a path prefix", () => {
    assert.equal(resolveHarborBase("http://127.0.0.1:8080/api/v2.0/").basePath, "/api/v2.0");
    assert.equal(resolveHarborBase("https://h.example/harbor").basePath, "/harbor/api/v2.0");
  });

  it("rejects a non-http URL without echoing its user-info", () => {
    assert.throws(() => resolveHarborBase("ftp://u:secretpw@h"), (e: Error) => e instanceof TypeError && !e.message.includes("secretpw"));
  });
});

describe("parseNextPageLink", () => {
  it("finds the next page among Harbor's ' , '-joined links", () => {
    assert.deepEqual(parseNextPageLink(`</api/v2.0/registries?page=1&page_size=2>; rel="prev" , </api/v2.0/registries?page=3&page_size=2>; rel="next"`), { page: 3, pageSize: 2 });
  });

  it("survives an unescaped q containing commas", () => {
    assert.deepEqual(parseNextPageLink(`</api/v2.0/registries?page=2&page_size=1&q=name={a,b}>; rel="next"`), { page: 2, pageSize: 1 });
  });

  it("answers undefined when only prev exists or the header is absent", () => {
    assert.equal(parseNextPageLink(`</api/v2.0/registries?page=1&page_size=2>; rel="prev"`), undefined);
    assert.equal(parseNextPageLink(undefined), undefined);
  });
});

describe("HarborClient options", () => {
  it("rejects invalid options without echoing the password", () => {
    assert.throws(
      () => new HarborClient({ url: "https://h", username: "admin", password: "pw-canary", timeoutMs: -1 }),
      (e: Error) => e instanceof TypeError && /timeoutMs/.test(e.message) && !e.message.includes("pw-canary"),
    );
  });

  it("reports the API base URL it will use", async () => {
    const c = new HarborClient({ url: "https://harbor.example.com", username: "robot$ci", password: "x" });
    assert.equal(c.apiBaseUrl, "https://harbor.example.com/api/v2.0");
    await c.close();
  });
});
