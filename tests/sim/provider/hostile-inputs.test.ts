// The hostile-input corpus: wrong types, lengths, control and bidi characters, broken Unicode, URL tricks, malformed
// JSON secrets, prototype keys and unknown values. Each case must fail check naming the field, without a crash, a
// network call or a secret in the reason, within 1 s; the slowest check is reported.
import * as assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { createRegistryEndpointProvider, type RegistryEndpointProviderImplementation } from "../../../provider/provider";
import { INPUT_KEYS, UNKNOWN } from "../../../provider/registry-endpoint/schema";
import { assertNoCanary, canary } from "../../support/canary";
import { GCR_KEY, TEST_CA_PEM } from "../../unit/registry-endpoint/fixtures";

type Case = [label: string, news: Record<string, unknown>, property: string];

const SECRET = canary("hostile-secret");
const base = { providerName: "docker-registry", name: "hostile", endpointUrl: "https://registry.example.com", accessId: "u", accessSecret: SECRET };
const MB = 1 << 20;

function corpus(): Case[] {
  const cases: Case[] = [];
  const add = (label: string, change: Record<string, unknown>, property: string, from: Record<string, unknown> = base) =>
    cases.push([label, { ...from, ...change }, property]);

  // Types: what a program (or a hand-edited state) can send instead of a string, boolean or enum.
  const notStrings: [string, unknown][] = [["0", 0], ["42", 42], ["-1.5", -1.5], ["true", true], ["false", false], ["{}", {}], ["[]", []], ['["a"]', ["a"]], ['{"toString":"x"}', { toString: "x" }]];
  for (const key of ["providerName", "name", "description", "endpointUrl", "accessId", "accessSecret", "caCertificate"]) {
    for (const [label, value] of notStrings) add(`${key} = ${label}`, { [key]: value }, key);
  }
  for (const key of ["insecure", "adopt"]) {
    for (const value of ["true", "false", "yes", 1, 0, {}, [], ["true"]]) add(`${key} = ${JSON.stringify(value)}`, { [key]: value }, key);
  }
  for (const value of ["sometimes", "ALWAYS", "on-change", "", 1, true, {}, ["never"]]) add(`connectionTest = ${JSON.stringify(value)}`, { connectionTest: value }, "connectionTest");
  for (const value of ["", "Harbor", "docker_registry", "docker-registry ", "DOCKER-REGISTRY", "artifact-hub", "constructor", "__proto__", "toString", "hasOwnProperty", "valueOf", "aws-ecr\u0000"]) {
    add(`providerName = ${JSON.stringify(value)}`, { providerName: value }, "providerName");
  }
  add("no providerName", { providerName: undefined }, "providerName");
  add("no name", { name: undefined }, "name");
  add("no endpointUrl for docker-registry", { endpointUrl: undefined }, "endpointUrl");

  // Lengths.
  add("name of 65 bytes", { name: "n".repeat(65) }, "name");
  add("name of 17 emoji (68 bytes)", { name: "\u{1F600}".repeat(17) }, "name");
  add("name of 1 MB", { name: "n".repeat(MB) }, "name");
  add("empty name", { name: "" }, "name");
  add("accessId of 256 characters", { accessId: "a".repeat(256) }, "accessId");
  add("accessId of 1 MB", { accessId: "a".repeat(MB) }, "accessId");
  add("accessSecret of 3051 bytes", { accessSecret: "s".repeat(3051) }, "accessSecret");
  add("accessSecret of 1 MB", { accessSecret: `${SECRET}${"s".repeat(MB)}` }, "accessSecret");
  add("accessSecret of 40 000 repeated characters", { accessSecret: "x".repeat(40_000) }, "accessSecret");
  add("endpointUrl of 257 characters", { endpointUrl: `https://registry.example.com/${"p".repeat(228)}` }, "endpointUrl");
  add("endpointUrl of 1 MB", { endpointUrl: `https://registry.example.com/${"p".repeat(MB)}` }, "endpointUrl");
  add("caCertificate of 1 MB of junk", { caCertificate: "A".repeat(MB) }, "caCertificate");
  const gcr = { providerName: "google-gcr", name: "g", endpointUrl: "https://gcr.io", accessId: "_json_key" };
  add("a 1 MB Google service-account key", { accessSecret: JSON.stringify({ ...JSON.parse(GCR_KEY), private_key: `-----BEGIN PRIVATE KEY-----\n${"A".repeat(MB)}\n-----END PRIVATE KEY-----\n`, canary: SECRET }) }, "accessSecret", gcr);
  const quay = { providerName: "quay", name: "q", endpointUrl: "https://quay.io", accessId: "json_file" };
  add("a 1 MB Quay JSON secret", { accessSecret: JSON.stringify({ account_name: "a", docker_cli_password: `${SECRET}${"p".repeat(MB)}` }) }, "accessSecret", quay);

  // Control characters.
  const controls = ["\u0000", "\u0001", "\u0007", "\b", "\t", "\n", "\r", "\u001b", "\u007f", "\u0085", "\u009b"];
  for (const c of controls) {
    const code = `U+${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
    add(`${code} in name`, { name: `a${c}b` }, "name");
    add(`${code} in accessId`, { accessId: `u${c}` }, "accessId");
    add(`${code} in the endpointUrl host`, { endpointUrl: `https://regi${c}stry.example.com` }, "endpointUrl");
  }
  for (const c of ["\u0000", "\u0001", "\u001b", "\u007f", "\u009b"]) add(`U+${c.charCodeAt(0).toString(16)} in description`, { description: `d${c}` }, "description");
  for (const c of ["\n", "\t", "\u0000"]) add(`U+${c.charCodeAt(0).toString(16)} in the endpointUrl path`, { endpointUrl: `https://registry.example.com/a${c}b` }, "endpointUrl");
  add("a NUL in caCertificate", { caCertificate: `${TEST_CA_PEM}\u0000` }, "caCertificate");

  // Bidirectional controls.
  for (const c of ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f", "\u061c"]) {
    const code = `U+${c.charCodeAt(0).toString(16)}`;
    add(`${code} in name`, { name: `evil${c}gpj.exe` }, "name");
    add(`${code} in accessId`, { accessId: `adm${c}in` }, "accessId");
    add(`${code} in the endpointUrl path`, { endpointUrl: `https://registry.example.com/${c}x` }, "endpointUrl");
  }

  // Unicode that is not text: unpaired surrogates.
  for (const s of ["\ud800", "\udfff", "\udc00x", "x\ud83d"]) {
    for (const key of ["name", "description", "accessId", "accessSecret"]) add(`unpaired surrogate ${JSON.stringify(s)} in ${key}`, { [key]: s }, key);
    add(`unpaired surrogate ${JSON.stringify(s)} in the endpointUrl`, { endpointUrl: `https://registry.example.com/${s}` }, "endpointUrl");
    add(`unpaired surrogate ${JSON.stringify(s)} in caCertificate`, { caCertificate: `${TEST_CA_PEM}${s}` }, "caCertificate");
  }

  // URL tricks.
  for (const url of [
    "https://r.example.invalid\\@evil.invalid", "https://a b@evil.invalid", 'https://a"b@evil.invalid', "https://a|b@evil.invalid", "https://a%zz@evil.invalid",
    "https://user:pass@registry.example.com", "https://@registry.example.com", "https://a@b@registry.example.com", "https://\u00e9@evil.invalid", "https://u:p%4@evil.invalid",
    "ftp://registry.example.com", "javascript:alert(1)", "file:///etc/passwd", "data:text/plain,x", "//registry.example.com", "registry.example.com",
    "http:/registry.example.com", "https:registry.example.com", "https://", "https://:443", "https://[::1", "https://registry.example.com:99999",
    "https://registry.example.com:abc", "https://reg istry.example.com", "https://reg%zzistry.example.com", "https://%00", "https://registry.example.com/%zz",
    "https://registry.example.com/%0a", "https://registry.example.com#%zz", "https://registry.example.com/#%", "HTTPS://", "https://a\\b.example.com",
    " ", "", "/", "https://registry.example.com/%ED%A0%80", "gopher://registry.example.com", "https://<registry>.example.com", "https://registry.example.com\u00a0x",
  ]) {
    add(`endpointUrl ${JSON.stringify(url.slice(0, 60))}`, { endpointUrl: url }, "endpointUrl");
  }
  add("docker-hub with another URL", { providerName: "docker-hub", endpointUrl: "https://evil.example.com" }, "endpointUrl");
  add("github-ghcr with another URL", { providerName: "github-ghcr", endpointUrl: "https://ghcr.evil.example.com" }, "endpointUrl");
  add("aws-ecr with a URL Harbor rejects", { providerName: "aws-ecr", endpointUrl: "https://ecr.example.com", accessId: "AKIAIOSFODNN7EXAMPLE" }, "endpointUrl");
  add("aws-ecr with a user name as key id", { providerName: "aws-ecr", endpointUrl: "https://api.ecr.us-east-1.amazonaws.com", accessId: "admin" }, "accessId");
  add("a secret without an access id", { accessId: undefined }, "accessId");
  add("Harbor's ***** mask as the secret", { accessSecret: "*****" }, "accessSecret");
  add("a caCertificate holding a private key", { caCertificate: `${TEST_CA_PEM}-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n` }, "caCertificate");
  add("a caCertificate that is not PEM", { caCertificate: "not a certificate" }, "caCertificate");

  // Malformed JSON secrets.
  for (const secret of ["{", "[]", "null", '"str"', "{}", '{"type":"service_account"}', '{"type":"authorized_user","client_id":"x"}', '{"__proto__":{"type":"service_account"}}',
    `${"[".repeat(5000)}${"]".repeat(5000)}`, '{"type":"service_account","client_email":"","private_key":"x"}', `{"type":"service_account","client_email":"a@b","private_key":"${SECRET}"}`]) {
    add(`google-gcr secret ${secret.includes(SECRET) ? "(a key whose private_key is not PEM)" : JSON.stringify(secret.slice(0, 40))}`, { accessSecret: secret }, "accessSecret", gcr);
  }
  for (const secret of ["{", "[]", "null", "{}", '{"account_name":"a"}', '{"docker_cli_password":"p"}', '{"account_name":1,"docker_cli_password":2}', '{"__proto__":{"account_name":"a","docker_cli_password":"p"}}', SECRET]) {
    // The label never shows the secret itself: the run's output is audited for canaries.
    add(`quay secret ${secret === SECRET ? "(plain text, not JSON)" : JSON.stringify(secret.slice(0, 40))}`, { accessSecret: secret }, "accessSecret", quay);
  }
  add("google-gcr without _json_key", { accessId: "sa" }, "accessId", { ...gcr, accessSecret: GCR_KEY });

  // Prototype keys: own properties named after Object.prototype members never act as inputs.
  cases.push(["inputs only under __proto__", JSON.parse('{"__proto__":{"providerName":"harbor","name":"x"}}') as Record<string, unknown>, "providerName"]);
  cases.push(["inputs only under constructor", { constructor: { providerName: "harbor" }, name: "x" }, "providerName"]);
  cases.push(["a __proto__ input next to an invalid name", { ...JSON.parse('{"__proto__":{"name":"ok"}}'), providerName: "harbor", name: "" }, "name"]);

  // Unknown values (preview): they pass unvalidated, but an invalid known field still fails, and nothing is contacted.
  for (const key of INPUT_KEYS) {
    if (key === "name") add(`unknown ${key} next to an invalid endpointUrl`, { [key]: UNKNOWN, endpointUrl: "ftp://x" }, "endpointUrl");
    else add(`unknown ${key} next to a NUL in name`, { [key]: UNKNOWN, name: "a\u0000" }, "name");
  }
  add("every field unknown but a 1 MB accessId", { providerName: UNKNOWN, name: UNKNOWN, endpointUrl: UNKNOWN, accessSecret: UNKNOWN, accessId: "a".repeat(MB) }, "accessId");
  add("the unknown sentinel inside a URL", { endpointUrl: `ftp://${UNKNOWN}` }, "endpointUrl");
  return cases;
}

describe("hostile-input corpus through the provider's check", function () {
  this.timeout(300_000);
  let server: http.Server;
  let requests = 0;
  let provider: RegistryEndpointProviderImplementation;
  const cases = corpus();
  let slowest = { ms: 0, label: "" };

  before(async () => {
    // Any request here means check reached the network for an input it should have refused.
    server = http.createServer((_req, res) => {
      requests++;
      res.writeHead(200);
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    provider = createRegistryEndpointProvider({
      env: { HARBOR_URL: url, HARBOR_USERNAME: "admin", HARBOR_PASSWORD: canary("hostile-harbor-password"), HARBOR_CONNECTION_TEST: "always" },
      // The stub counts requests and is no Harbor: the control below must reach it through the ping, not be stopped
      // by the connection verification (which the refused inputs above must not trigger either, see check.ts).
      verifyConnection: false,
    });
  });
  after(async () => {
    await provider.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    console.log(`      hostile inputs: ${cases.length} cases, slowest check ${slowest.ms.toFixed(1)} ms (${slowest.label})`);
  });

  it(`holds at least 300 cases (${cases.length})`, () => assert.ok(cases.length >= 300));

  for (const [label, news, property] of cases) {
    it(`fails check at ${property}: ${label}`, async () => {
      const started = process.hrtime.bigint();
      const result = await provider.check({}, news);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (ms > slowest.ms) slowest = { ms, label };
      assert.ok(ms < 1000, `check took ${ms.toFixed(0)} ms`);
      const failures = result.failures ?? [];
      assert.ok(failures.some((f) => f.property === property), `expected a failure at ${property}, got ${JSON.stringify(failures.map((f) => f.property))}`);
      for (const f of failures) assert.ok((INPUT_KEYS as readonly string[]).includes(f.property), `failure at unknown property ${f.property}`);
      assertNoCanary(`the failures of "${label}"`, failures.map((f) => f.reason));
      assert.equal(requests, 0, "check contacted the network");
    });
  }

  it("control: the same check does reach Harbor for a valid input, so the zero counts above are real", async () => {
    const result = await provider.check({}, base);
    assert.deepEqual(result.failures ?? [], []);
    assert.ok(requests > 0);
  });
});
