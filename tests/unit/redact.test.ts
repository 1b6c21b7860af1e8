// Unit tests of provider/redact.ts: one test per redaction rule.
import assert from "node:assert/strict";
import { REDACTED, redact, redactUrl } from "../../provider/redact";

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
