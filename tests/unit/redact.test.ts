// Unit tests of provider/redact.ts: one test per redaction rule.
import assert from "node:assert/strict";
import fc from "fast-check";
import { REDACTED, REDACTION_FAILED, redact, redactUrl } from "../../provider/redact";

describe("redact", () => {
  it("replaces a known password wherever it appears", () => {
    const out = redact("login with Harbor12345 failed; Harbor12345 again", ["Harbor12345"]);
    assert.equal(out, `login with ${REDACTED} failed; ${REDACTED} again`);
  });

  it("replaces a known access secret, also in its percent-encoded form", () => {
    const secret = "s3cr/t+key=";
    const out = redact(`body {"x":"${secret}"} url ?k=${encodeURIComponent(secret)}`, [secret]);
    assert.ok(!out.includes(secret) && !out.includes(encodeURIComponent(secret)), out);
  });

  it("removes the longer of two overlapping secrets whole", () => {
    assert.equal(redact("abcdef", ["abc", "abcdef"]), REDACTED);
  });

  it("ignores empty secrets instead of redacting every position", () => {
    assert.equal(redact("plain text", ["", "x".slice(1)]), "plain text");
  });

  it("strips the value of an Authorization header", () => {
    const out = redact("GET / HTTP/1.1\r\nAuthorization: Basic YWRtaW46SGFyYm9yMTIzNDU=\r\nAccept: */*");
    assert.ok(!out.includes("YWRtaW46"), out);
    assert.match(out, /Authorization: \[REDACTED\]\r\nAccept/);
  });

  it("strips an authorization value inside JSON", () => {
    const out = redact(`{"authorization":"Bearer abc.def.ghi","accept":"json"}`);
    assert.equal(out, `{"authorization":"${REDACTED}","accept":"json"}`);
  });

  it("strips a bare Basic token", () => {
    assert.equal(redact("sent Basic cm9ib3QkY2k6c2VjcmV0 to harbor"), `sent Basic ${REDACTED} to harbor`);
  });

  it("strips a bare Bearer token", () => {
    assert.equal(redact("token Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig"), `token Bearer ${REDACTED}`);
  });

  it("keeps prose that merely contains the word Basic", () => {
    assert.equal(redact("Basic authentication is used"), "Basic authentication is used");
  });

  it("strips user-info from URLs", () => {
    assert.equal(redact("contacting https://admin:pw@harbor.local/api"), `contacting https://${REDACTED}@harbor.local/api`);
  });

  it("strips user-info whose password contains an @", () => {
    assert.equal(redact("http://u:p@ss@host:5000/v2/"), `http://${REDACTED}@host:5000/v2/`);
  });

  it("strips secret-named JSON fields but keeps Harbor's ***** mask", () => {
    assert.equal(redact(`{"access_secret":"topsecret"}`), `{"access_secret":"${REDACTED}"}`);
    assert.equal(redact(`{"access_secret":"*****"}`), `{"access_secret":"*****"}`);
  });

  it("strips secret-named query parameters", () => {
    assert.equal(redact("/x?password=hunter2&page=1"), `/x?password=${REDACTED}&page=1`);
  });
});

describe("redactUrl", () => {
  it("removes user-info and query values", () => {
    assert.equal(redactUrl("https://bob:pw@harbor.example.com/api?token=t&x=1"), `https://${REDACTED}@harbor.example.com/api?token=${REDACTED}&x=${REDACTED}`);
  });

  it("leaves a clean URL unchanged", () => {
    assert.equal(redactUrl("https://harbor.example.com/api/v2.0"), "https://harbor.example.com/api/v2.0");
  });

  it("falls back to text redaction for something that is not a URL", () => {
    assert.equal(redactUrl("not a url Basic YWRtaW46cGFzcw=="), `not a url Basic ${REDACTED}`);
  });
});

describe("redact under hostile input", () => {
  // Each of these made the previous, regular-expression redaction take quadratic time or throw.
  const MB = 1024 * 1024;
  const hostile: [string, string][] = [
    ["a run of letters", "a".repeat(MB)],
    ["a run of letters and digits", "a1".repeat(MB / 2)],
    ["scheme characters", "a+.-".repeat(MB / 4)],
    ["scheme separators without a host", "a://".repeat(MB / 4)],
    ["authorities without an @", `https://${"h".repeat(MB)}`],
    ["many @ in one authority", `https://${"u@".repeat(MB / 2)}`],
    ["Basic followed by white space", `Basic${" ".repeat(MB)}!`],
    ["authorization followed by white space", `authorization${" ".repeat(MB)}x`],
    ["unterminated secret fields", `"password":"${"\\".repeat(MB)}`],
  ];

  for (const [what, text] of hostile) {
    it(`takes linear time on 1 MB of ${what}`, function () {
      this.timeout(10_000);
      const started = Date.now();
      const out = redact(text, ["a1a1a1a1b", "zzz"]);
      // Quadratic scanning of 1 MB takes minutes; linear takes milliseconds. The bound leaves room for a loaded machine.
      assert.ok(Date.now() - started < 2_000, `${Date.now() - started} ms`);
      assert.equal(typeof out, "string");
    });
  }

  it("redacts a 1 MB secret from a text holding it, without building a regular expression from it", function () {
    this.timeout(10_000);
    const secret = `{"private_key":"${"k".repeat(MB)}"}`;
    const started = Date.now();
    const out = redact(`before ${secret} after ${encodeURIComponent(secret)} end`, [secret]);
    assert.ok(Date.now() - started < 2_000);
    assert.equal(out, `before ${REDACTED} after ${REDACTED} end`);
  });

  it("never throws, whatever the secret: 40 000 repeated characters, lone surrogates, regex syntax", () => {
    const secrets = ["x".repeat(40_000), "\ud800", "(((((", "[a-", "\\", "$&$1"];
    for (const s of secrets) {
      const out = redact(`text ${s} text`, [s]);
      assert.ok(!out.includes(s), JSON.stringify(s.slice(0, 10)));
    }
  });

  it("returns a fixed text instead of throwing when the text cannot even be turned into a string", () => {
    const hostileObject = { toString: () => { throw new Error("S3cr3t in toString"); } } as unknown as string;
    assert.equal(redact(hostileObject, ["S3cr3t"]), REDACTION_FAILED);
  });

  it("removes the JSON-escaped form of a secret that holds quotes, backslashes or newlines", () => {
    const secret = 'pa"ss\\wo\nrd';
    const body = JSON.stringify({ access_key: "u", other: secret });
    assert.ok(!redact(body, [secret]).includes(JSON.stringify(secret).slice(1, -1)));
  });

  it("removes every occurrence of overlapping and periodic secrets", () => {
    assert.equal(redact("aaaaa", ["aa"]), REDACTED);
    assert.equal(redact("xabababy", ["abab"]), `x${REDACTED}y`);
    assert.equal(redact("abc-abc", ["abc", "c-a"]), REDACTED);
  });

  it("property: no secret survives, wherever it is placed in arbitrary text", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), fc.array(fc.string({ maxLength: 30 }), { minLength: 1, maxLength: 5 }), (secret, pieces) => {
        const text = pieces.join(secret);
        const out = redact(`${secret}${text}${secret}`, [secret]);
        // What is left of the input lies between the masks; a secret spelled by the mask's own characters and the
        // text next to it (secret "]V": "[REDACTED]V") is no leak, so each remaining piece is checked on its own.
        for (const piece of out.split(REDACTED)) assert.ok(!piece.includes(secret), JSON.stringify({ secret, out }));
      }),
      { numRuns: 500, examples: [["]V", ["V", ""]]] },
    );
  });

  it("property: text without secrets or credentials comes back unchanged", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9 ,.]{0,200}$/), (text) => {
        assert.equal(redact(text, ["SECRET-NOT-IN-TEXT"]), text);
      }),
      { numRuns: 300 },
    );
  });
});
