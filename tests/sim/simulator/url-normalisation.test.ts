// Simulator: Harbor's ValidateHTTPURL normalisation table (semantics.md §3) through POST /registries.
import * as assert from "node:assert/strict";
import type { HarborSimulator } from "../../../simulator";
import { startTestSimulator } from "../../support/sim";
import { call, harborErr } from "./helpers";

const STORED: [string, string][] = [
  ["http://harbor.foo.com/", "http://harbor.foo.com"],
  ["example.com", "http://example.com"],
  ["http://example.com/redirect?key=value", "http://example.com/redirect"],
  ["http://10.0.0.1/test.txt#/api/version", "http://10.0.0.1/test.txt"],
  ["  https://Registry.Example.COM///  ", "https://Registry.Example.COM"],
  ["HTTPS://x.example", "https://x.example"],
  ["https://user:pw@host.example:5000/path", "https://host.example:5000/path"],
  ["http://host/a%20b", "http://host/a b"],
  // strings.Trim(s, " ") removes U+0020 only: a trailing no-break space stays part of the host.
  ["http://example.com\u00a0", "http://example.com\u00a0"],
  // Go works on UTF-8 bytes and keeps a host's non-ASCII characters raw, emoji (outside the BMP) included.
  ["https://\u{1F600}.example.com/\u{1F680}", "https://\u{1F600}.example.com/\u{1F680}"],
  ["https://r%C3%A9.example.com", "https://r\u00e9.example.com"],
];

const REJECTED: [string, string][] = [
  ["ftp://example.com", "invalid HTTP scheme: ftp"],
  ["/", "empty string"],
  ["   ", "empty string"],
  ["http://127.0.0.%31/", 'invalid URL: parse "http://127.0.0.%31": invalid URL escape "%31"'],
  ["http://host:abc", 'invalid URL: parse "http://host:abc": invalid port ":abc" after host'],
  ["://nohost", 'invalid URL: parse "://nohost": missing protocol scheme'],
  // Only spaces are trimmed; Go's url.Parse rejects control characters and %q-quotes the input in its message.
  ["http://example.com\t", 'invalid URL: parse "http://example.com\\t": net/url: invalid control character in URL'],
  ["http://example.com/\n", 'invalid URL: parse "http://example.com/\\n": net/url: invalid control character in URL'],
  ["\thttp://example.com", 'invalid URL: parse "\\thttp://example.com": net/url: invalid control character in URL'],
  ['http://x/"a"\u0001', 'invalid URL: parse "http://x/\\"a\\"\\x01": net/url: invalid control character in URL'],
  // Parse errors name the URL without its fragment; fragment errors name all of it.
  ["http://host:abc#frag", 'invalid URL: parse "http://host:abc": invalid port ":abc" after host'],
  ["http://host/p#%zz", 'invalid URL: parse "http://host/p#%zz": invalid URL escape "%zz"'],
  ["1http://x.example", 'invalid URL: parse "1http://x.example": first path segment in URL cannot contain colon'],
  // User-info is cut at the last "@" and checked after the host (Go's validUserinfo): the text is never stored as a host.
  ["https://r.example.invalid\\@evil.invalid", 'invalid URL: parse "https://r.example.invalid\\\\@evil.invalid": net/url: invalid userinfo'],
  ["https://a b@evil.invalid", 'invalid URL: parse "https://a b@evil.invalid": net/url: invalid userinfo'],
  ['https://a"b@evil.invalid', 'invalid URL: parse "https://a\\"b@evil.invalid": net/url: invalid userinfo'],
  ["https://a|b@evil.invalid", 'invalid URL: parse "https://a|b@evil.invalid": net/url: invalid userinfo'],
  ["https://a%zz@evil.invalid", 'invalid URL: parse "https://a%zz@evil.invalid": invalid URL escape "%zz"'],
  ["https://u:p%4@evil.invalid", 'invalid URL: parse "https://u:p%4@evil.invalid": invalid URL escape "%4"'],
  ["https://\u00e9@evil.invalid", 'invalid URL: parse "https://\u00e9@evil.invalid": net/url: invalid userinfo'],
  // The host is parsed first, so its error wins over the user-info's.
  ["https://a b@bad host", 'invalid URL: parse "https://a b@bad host": invalid character " " in host name'],
];

describe("simulator URL normalisation (ValidateHTTPURL)", () => {
  let sim: HarborSimulator;
  before(async () => {
    sim = await startTestSimulator();
  });
  after(async () => {
    await sim.close();
  });

  STORED.forEach(([input, stored], i) => {
    it(`stores ${JSON.stringify(input)} as ${stored}`, async () => {
      const r = await call(sim, "POST", "/registries", { body: { name: `n${i}`, type: "huawei-SWR", url: input } });
      assert.equal(r.status, 201, r.text);
      const id = Number(r.headers.get("location")!.split("/").pop());
      assert.equal(((await call(sim, "GET", `/registries/${id}`)).json as { url: string }).url, stored);
    });
  });

  for (const [input, message] of REJECTED) {
    it(`rejects ${JSON.stringify(input)} with 400 "${message}"`, async () => {
      const r = await call(sim, "POST", "/registries", { body: { name: "bad", type: "huawei-SWR", url: input } });
      assert.equal(r.status, 400);
      assert.deepEqual(harborErr(r), { code: "BAD_REQUEST", message });
    });
  }

  it("escapes <, > and & in error messages like Go's json.Marshal", async () => {
    const r = await call(sim, "POST", "/registries", { body: { name: "bad", type: "huawei-SWR", url: "http://x:<1>" } });
    assert.equal(r.status, 400);
    assert.ok(r.text.includes("\\u003c") && !r.text.includes("<"), r.text);
  });
});
