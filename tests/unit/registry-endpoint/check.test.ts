// Unit tests of check(): every failure path with its exact property, normalisation, unknowns and the connection-test decision.
import * as assert from "node:assert/strict";
import type { ConnectionTarget } from "../../../provider/connection";
import { createEngineLogger, type EngineLogRecord, setEngineLog } from "../../../provider/engine-log";
import { type CheckContext, checkRegistryEndpoint, decideConnectionTest, normaliseInputs } from "../../../provider/registry-endpoint/check";
import { UNKNOWN } from "../../../provider/registry-endpoint/schema";
import { CANARY, GCR_KEY, TEST_CA_PEM } from "./fixtures";

const base = { providerName: "docker-registry", name: "reg", endpointUrl: "https://registry.example.com" };

function ctx(overrides: Partial<CheckContext> = {}): CheckContext & { calls: ConnectionTarget[] } {
  const calls: ConnectionTarget[] = [];
  return {
    defaultConnectionTest: "never",
    testConnection: async (t) => {
      calls.push(t);
      return [];
    },
    calls,
    ...overrides,
  };
}

async function failuresOf(news: Record<string, unknown>, c = ctx()) {
  const r = await checkRegistryEndpoint({}, news, c);
  return r.failures;
}

async function expectFailure(news: Record<string, unknown>, property: string, pattern?: RegExp) {
  const failures = await failuresOf(news);
  const f = failures.find((x) => x.property === property);
  assert.ok(f, `expected a failure at ${property}, got ${JSON.stringify(failures)}`);
  if (pattern) assert.match(f.reason, pattern);
  for (const x of failures) assert.ok(!x.reason.includes(CANARY), `secret echoed in ${x.property}`);
}

describe("check: RegistryEndpoint inputs", () => {
  it("accepts a minimal docker-registry endpoint and applies defaults", async () => {
    const r = await checkRegistryEndpoint({}, base, ctx());
    assert.deepEqual(r.failures, []);
    assert.deepEqual(r.inputs, { ...base, insecure: false, adopt: false, connection: "default" });
  });

  it("drops the engine's __provider key and unknown keys from the checked inputs", async () => {
    const r = await checkRegistryEndpoint({}, { ...base, __provider: "exports.handler = …", bogus: 1 }, ctx());
    assert.equal("__provider" in r.inputs, false);
    assert.equal("bogus" in r.inputs, false);
  });

  describe("providerName", () => {
    it("fails check at providerName when it is missing", () => expectFailure({ name: "x", endpointUrl: "https://a" }, "providerName", /required/));
    it("fails check at providerName when the type is not one Harbor knows", () =>
      expectFailure({ ...base, providerName: "nexus" }, "providerName", /must be one of/));
    it("fails check at providerName when it is not a string", () => expectFailure({ ...base, providerName: 42 }, "providerName"));

    const aliases: [string, string][] = [
      ["aws", "aws-ecr"],
      ["azure", "azure-acr"],
      ["alibaba", "ali-acr"],
      ["google", "google-gcr"],
      ["huawei", "huawei-SWR"],
      ["helm", "helm-hub"],
      ["jfrog", "jfrog-artifactory"],
      ["github", "github-ghcr"],
      ["quay-io", "quay"],
    ];
    it("refuses Terraform's artifact-hub by name, saying Harbor v2.8.0 removed it and what to declare instead", () =>
      expectFailure({ providerName: "artifact-hub", name: "n", endpointUrl: "https://artifacthub.io" }, "providerName", /^is "artifact-hub", the Artifact Hub adapter that Harbor removed in v2\.8\.0 .*OCI artifacts/));
    for (const [alias, type] of aliases) {
      it(`maps the alias ${alias} to ${type}`, async () => {
        const r = await checkRegistryEndpoint({}, { providerName: alias, name: "n", endpointUrl: "https://x.example.com" }, ctx());
        assert.equal(r.inputs.providerName, type);
      });
    }
  });

  describe("name", () => {
    it("fails check at name when it is missing", () => expectFailure({ providerName: "harbor", endpointUrl: "https://a" }, "name", /required/));
    it("fails check at name when it is empty", () => expectFailure({ ...base, name: "" }, "name", /empty/));
    it("fails check at name when it is longer than 64 bytes", () => expectFailure({ ...base, name: "a".repeat(65) }, "name", /64 bytes/));
    it("counts name length in UTF-8 bytes as Harbor does", () => expectFailure({ ...base, name: "é".repeat(33) }, "name", /64 bytes/));
    it("says how many bytes and characters a too-long name has, and why bytes count", async () => {
      assert.deepEqual(await failuresOf({ ...base, name: "é".repeat(33) }), [
        { property: "name", reason: "is 66 bytes long in UTF-8 (33 characters: Harbor counts bytes, and a non-ASCII character takes 2 to 4); Harbor allows at most 64 bytes" },
      ]);
      assert.deepEqual(await failuresOf({ ...base, name: "a".repeat(70) }), [{ property: "name", reason: "is 70 bytes long in UTF-8; Harbor allows at most 64 bytes" }]);
      // 16 four-byte characters are exactly 64 bytes.
      assert.deepEqual(await failuresOf({ ...base, name: "😀".repeat(16) }), []);
    });
    it("accepts a name of exactly 64 bytes", async () => assert.deepEqual(await failuresOf({ ...base, name: "a".repeat(64) }), []));
    it("fails check at name when it is not a string", () => expectFailure({ ...base, name: 7 }, "name", /string/));
  });

  describe("description, insecure, adopt, connectionTest types", () => {
    it("fails check at description when it is not a string", () => expectFailure({ ...base, description: 1 }, "description"));
    it("fails check at insecure when it is not a boolean", () => expectFailure({ ...base, insecure: "yes" }, "insecure", /boolean/));
    it("fails check at adopt when it is not a boolean", () => expectFailure({ ...base, adopt: "true" }, "adopt", /boolean/));
    it("fails check at connectionTest when the mode is unknown", () =>
      expectFailure({ ...base, connectionTest: "sometimes" }, "connectionTest", /onChange, always, never/));
    it("fails check at accessId when it is not a string", () => expectFailure({ ...base, accessId: 5 }, "accessId"));
    it("fails check at accessSecret when it is not a string", () => expectFailure({ ...base, accessId: "u", accessSecret: 5 }, "accessSecret"));
    it("treats an empty description as not set", async () => {
      const r = await checkRegistryEndpoint({}, { ...base, description: "" }, ctx());
      assert.equal("description" in r.inputs, false);
    });
  });

  describe("endpointUrl", () => {
    it("fails check at endpointUrl when the scheme is ftp", () => expectFailure({ ...base, endpointUrl: "ftp://example.com" }, "endpointUrl", /http or https/));
    it("fails check at endpointUrl when there is no scheme", () => expectFailure({ ...base, endpointUrl: "example.com" }, "endpointUrl", /http:\/\/ or https:\/\//));
    it("fails check at endpointUrl when it is empty", () => expectFailure({ ...base, endpointUrl: " / " }, "endpointUrl", /empty/));
    it("fails check at endpointUrl when the host is missing", () => expectFailure({ ...base, endpointUrl: "https:///v2" }, "endpointUrl", /host/));
    it("fails check at endpointUrl when the host holds a percent-escape", () =>
      expectFailure({ ...base, endpointUrl: "http://127.0.0.%31/" }, "endpointUrl", /invalid host/));
    it("fails check at endpointUrl when the path has a bad escape", () => expectFailure({ ...base, endpointUrl: "http://a/%zz" }, "endpointUrl", /percent/));
    it("fails check at endpointUrl when it is required and missing", () =>
      expectFailure({ providerName: "harbor", name: "h" }, "endpointUrl", /required for harbor/));
    it("fails check at endpointUrl when a fixed-endpoint type is given another URL", () =>
      expectFailure({ providerName: "docker-hub", name: "d", endpointUrl: "https://example.com" }, "endpointUrl", /https:\/\/hub\.docker\.com/));
    for (const [label, url] of [
      ["a newline in the path", "https://registry.example.com/pa\nth"],
      ["a tab in the path", "https://registry.example.com/a\tb"],
      ["a NUL in the path", "https://registry.example.com/a\u0000b"],
      ["DEL in the path", "https://registry.example.com/a\u007fb"],
      ["a trailing newline", "https://registry.example.com\n"],
      ["a percent-escaped newline in the path", "https://registry.example.com/a%0Ab"],
    ] as const) {
      it(`fails check at endpointUrl when it holds a control character (${label})`, () =>
        expectFailure({ ...base, endpointUrl: url }, "endpointUrl", /control characters/));
    }
    it("never echoes user-info from the URL", async () => {
      const failures = await failuresOf({ ...base, endpointUrl: `ftp://u:${CANARY}@example.com` });
      assert.equal(failures.length, 1);
      assert.ok(!failures[0]!.reason.includes(CANARY));
    });

    for (const [label, url] of [
      ["a backslash before the @ (Harbor: invalid userinfo; WHATWG: another host)", "https://r.example.invalid\\@evil.invalid"],
      ["a space", "https://a b@evil.invalid"],
      ["a double quote", 'https://a"b@evil.invalid'],
      ["a pipe", "https://a|b@evil.invalid"],
      ["a bad percent-escape", "https://a%zz@evil.invalid"],
      ["a truncated percent-escape", "https://a%4@evil.invalid"],
      ["non-ASCII", "https://\u00e9@evil.invalid"],
    ] as const) {
      it(`fails check at endpointUrl for user-info Harbor rejects: ${label}, without contacting anything`, async () => {
        let calls = 0;
        const r = await checkRegistryEndpoint({}, { ...base, endpointUrl: url }, ctx({ defaultConnectionTest: "always", testConnection: async () => { calls++; return []; } }));
        assert.deepEqual(r.failures.map((f) => f.property), ["endpointUrl"]);
        assert.match(r.failures[0]!.reason, /invalid userinfo/);
        assert.ok(!r.failures[0]!.reason.includes("evil"), "the reason must not name the host after the @");
        assert.equal(calls, 0);
      });
    }
    it("fails check at endpointUrl for valid user-info too, which Harbor would silently drop, never echoing it", async () => {
      const failures = await failuresOf({ ...base, endpointUrl: `https://user:${CANARY}@example.com/path` });
      assert.deepEqual(failures.map((f) => f.property), ["endpointUrl"]);
      assert.match(failures[0]!.reason, /accessId.*accessSecret/);
      assert.ok(!failures[0]!.reason.includes(CANARY));
    });

    const cases: [string, string][] = [
      ["  https://Registry.Example.com:5000///  ", "https://Registry.Example.com:5000"],
      ["HTTPS://x.example.com/", "https://x.example.com"],
      ["http://example.com/redirect?key=value", "http://example.com/redirect"],
      ["http://10.0.0.1/test.txt#/api/version", "http://10.0.0.1/test.txt"],
      ["https://example.com/a%20b", "https://example.com/a b"],
      ["http://x/path/?q=1", "http://x/path/"],
    ];
    for (const [input, stored] of cases) {
      it(`normalises ${JSON.stringify(input)} to ${stored} as Harbor stores it`, async () => {
        const r = await checkRegistryEndpoint({}, { ...base, endpointUrl: input }, ctx());
        assert.deepEqual(r.failures, []);
        assert.equal(r.inputs.endpointUrl, stored);
      });
    }
    it("fills in docker-hub's fixed endpoint", async () => {
      const r = await checkRegistryEndpoint({}, { providerName: "docker-hub", name: "d" }, ctx());
      assert.equal(r.inputs.endpointUrl, "https://hub.docker.com");
    });
    it("fills in github-ghcr's fixed endpoint, also for the github alias", async () => {
      const r = await checkRegistryEndpoint({}, { providerName: "github", name: "g" }, ctx());
      assert.equal(r.inputs.endpointUrl, "https://ghcr.io");
    });
    it("accepts a fixed-endpoint type's own URL with a trailing slash", async () => {
      assert.deepEqual(await failuresOf({ providerName: "docker-hub", name: "d", endpointUrl: "https://hub.docker.com/" }), []);
    });
    it("predicts ali-acr's cr.<region> to registry.<region> rewrite", async () => {
      const r = await checkRegistryEndpoint({}, { providerName: "ali-acr", name: "a", endpointUrl: "https://cr.cn-hangzhou.aliyuncs.com" }, ctx());
      assert.equal(r.inputs.endpointUrl, "https://registry.cn-hangzhou.aliyuncs.com");
    });
  });

  describe("caCertificate", () => {
    it("accepts a valid PEM certificate", async () => assert.deepEqual(await failuresOf({ ...base, caCertificate: TEST_CA_PEM }), []));
    it("accepts a bundle of two valid certificates", async () =>
      assert.deepEqual(await failuresOf({ ...base, caCertificate: TEST_CA_PEM + TEST_CA_PEM }), []));
    it("fails check at caCertificate when there is no CERTIFICATE block", () =>
      expectFailure({ ...base, caCertificate: "not a pem" }, "caCertificate", /BEGIN CERTIFICATE/));
    it("fails check at caCertificate when a block does not parse", () =>
      expectFailure({ ...base, caCertificate: TEST_CA_PEM + "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n" }, "caCertificate", /block 2 of 2/));
    it("treats an empty caCertificate as not set", async () => {
      const r = await checkRegistryEndpoint({}, { ...base, caCertificate: "" }, ctx());
      assert.deepEqual(r.failures, []);
      assert.equal("caCertificate" in r.inputs, false);
    });
  });

  describe("credential shapes", () => {
    it("fails check at accessSecret when it is Harbor's mask *****, for create and update alike", async () => {
      for (const olds of [{}, { ...base, accessId: "u", accessSecret: "real", insecure: false, adopt: false }]) {
        const r = await checkRegistryEndpoint(olds, { ...base, accessId: "u", accessSecret: "*****" }, ctx());
        assert.deepEqual(r.failures.map((f) => f.property), ["accessSecret"]);
        assert.match(r.failures[0]!.reason, /Harbor's mask/);
      }
    });
    it("fails check at accessId when only a secret is given", () => expectFailure({ ...base, accessSecret: CANARY }, "accessId", /accessSecret/));
    it("fails check at accessId for google-gcr without _json_key", () =>
      expectFailure({ providerName: "google-gcr", name: "g", endpointUrl: "https://gcr.io", accessId: "me", accessSecret: GCR_KEY }, "accessId", /_json_key/));
    it("fails check at accessSecret for google-gcr with a non-JSON secret, without echoing it", () =>
      expectFailure({ providerName: "google-gcr", name: "g", endpointUrl: "https://gcr.io", accessId: "_json_key", accessSecret: CANARY }, "accessSecret", /service-account/));
    it("fails check at accessSecret for quay with a secret that is not its JSON", () =>
      expectFailure({ providerName: "quay", name: "q", endpointUrl: "https://quay.io", accessId: "json_file", accessSecret: CANARY }, "accessSecret", /account_name/));
    it("fails check at accessId for aws-ecr with a user name instead of a key id", () =>
      expectFailure({ providerName: "aws", name: "e", endpointUrl: "https://api.ecr.us-east-1.amazonaws.com", accessId: "admin", accessSecret: CANARY }, "accessId", /access key id/));
    it("fails check at endpointUrl for aws-ecr with a non-ECR URL", () =>
      expectFailure({ providerName: "aws-ecr", name: "e", endpointUrl: "https://example.com" }, "endpointUrl", /ECR/));
  });

  describe("unknown values (preview)", () => {
    for (const key of ["providerName", "name", "description", "endpointUrl", "accessId", "accessSecret", "insecure", "caCertificate", "adopt", "connectionTest"]) {
      it(`accepts the unknown sentinel in ${key} with no failure and no network`, async () => {
        const c = ctx({ defaultConnectionTest: "always" });
        const r = await checkRegistryEndpoint({}, { ...base, accessId: "u", accessSecret: "s", [key]: UNKNOWN }, c);
        assert.deepEqual(r.failures, []);
        assert.equal(r.inputs[key], UNKNOWN);
        assert.equal(c.calls.length, 0);
        assert.deepEqual(r.connectionTest, { run: false, reason: "unknown-values" });
      });
    }
    it("names a non-connection unknown field (description) in the skip message", async () => {
      const records: EngineLogRecord[] = [];
      const restore = setEngineLog(createEngineLogger({ transport: async (rec) => void records.push(rec) }));
      try {
        const c = ctx({ defaultConnectionTest: "onChange" });
        await checkRegistryEndpoint({}, { ...base, description: UNKNOWN }, c);
        assert.equal(c.calls.length, 0);
      } finally {
        restore();
      }
      assert.equal(records.length, 1);
      assert.match(records[0]!.message, /^RegistryEndpoint "reg": connection test skipped: description is not known during preview/);
    });
    it("accepts unknown values in every field at once", async () => {
      const all = Object.fromEntries(["providerName", "name", "endpointUrl", "accessId", "accessSecret"].map((k) => [k, UNKNOWN]));
      const c = ctx({ defaultConnectionTest: "always" });
      const r = await checkRegistryEndpoint({}, all, c);
      assert.deepEqual(r.failures, []);
      assert.equal(c.calls.length, 0);
    });
  });

  describe("connection test decision", () => {
    const checked = { ...base, insecure: false, adopt: false };
    it("tests a new endpoint under onChange", () => assert.deepEqual(decideConnectionTest({}, checked, "onChange"), { run: true, reason: "new" }));
    it("skips an unchanged endpoint under onChange", () =>
      assert.deepEqual(decideConnectionTest(checked, { ...checked, description: "new text" }, "onChange"), { run: false, reason: "unchanged" }));
    for (const field of ["providerName", "endpointUrl", "accessId", "accessSecret", "insecure", "caCertificate", "connection"]) {
      it(`tests again when ${field} changed`, () => {
        const news = { ...checked, [field]: field === "insecure" ? true : field === "providerName" ? "harbor" : field === "endpointUrl" ? "https://other" : "v" };
        assert.deepEqual(decideConnectionTest(checked, news, "onChange"), { run: true, reason: "changed" });
      });
    }
    it("compares olds after normalisation, so an alias or trailing slash in old inputs is not a change", () =>
      assert.deepEqual(
        decideConnectionTest({ ...base, providerName: "docker-registry", endpointUrl: "https://registry.example.com/" }, checked, "onChange"),
        { run: false, reason: "unchanged" },
      ));
    it("tests unchanged endpoints under always", () => assert.deepEqual(decideConnectionTest(checked, checked, "always"), { run: true, reason: "always" }));
    it("never tests under never", () => assert.deepEqual(decideConnectionTest({}, checked, "never"), { run: false, reason: "never" }));
    it("lets the resource's connectionTest override the provider default", () => {
      assert.deepEqual(decideConnectionTest({}, { ...checked, connectionTest: "never" }, "always"), { run: false, reason: "never" });
      assert.deepEqual(decideConnectionTest(checked, { ...checked, connectionTest: "always" }, "never"), { run: true, reason: "always" });
    });

    it("turns connection failures into check failures naming the input, redacting the secret", async () => {
      const c = ctx({
        defaultConnectionTest: "onChange",
        testConnection: async () => [{ property: "accessSecret", reason: `credentials rejected for ${CANARY}` }],
      });
      const r = await checkRegistryEndpoint({}, { ...base, accessId: "u", accessSecret: CANARY }, c);
      assert.equal(r.failures.length, 1);
      assert.equal(r.failures[0]!.property, "accessSecret");
      assert.ok(!r.failures[0]!.reason.includes(CANARY));
    });
    it("maps a connection failure on an unknown property to endpointUrl", async () => {
      const c = ctx({ defaultConnectionTest: "onChange", testConnection: async () => [{ property: "harbor", reason: "unreachable" }] });
      const r = await checkRegistryEndpoint({}, base, c);
      assert.deepEqual(r.failures, [{ property: "endpointUrl", reason: "unreachable" }]);
    });
    it("reports a connection test that throws as a failure at endpointUrl", async () => {
      const c = ctx({ defaultConnectionTest: "onChange", testConnection: async () => { throw new Error(`boom ${CANARY}`); } });
      const r = await checkRegistryEndpoint({}, { ...base, accessId: "u", accessSecret: CANARY }, c);
      assert.equal(r.failures[0]!.property, "endpointUrl");
      assert.ok(!r.failures[0]!.reason.includes(CANARY));
    });
    it("does not test the connection when local validation already failed", async () => {
      const c = ctx({ defaultConnectionTest: "always" });
      const r = await checkRegistryEndpoint({}, { ...base, name: "" }, c);
      assert.equal(c.calls.length, 0);
      assert.deepEqual(r.connectionTest, { run: false, reason: "invalid-inputs" });
    });
    it("fails check under no property (the reason names the key) when Harbor is not configured and a test is due", async () => {
      const r = await checkRegistryEndpoint({}, base, { defaultConnectionTest: "onChange", unavailableReason: "harbor:url is not set" });
      assert.equal(r.failures.length, 1);
      assert.equal(r.failures[0]!.property, "");
      assert.match(r.failures[0]!.reason, /harbor:url is not set.*"never"/);
    });
    it("hands the connection layer the normalised target", async () => {
      const c = ctx({ defaultConnectionTest: "onChange" });
      await checkRegistryEndpoint({}, { ...base, endpointUrl: "https://registry.example.com?x=1", accessId: "u", accessSecret: "s" }, c);
      assert.deepEqual(c.calls, [{ name: "reg", providerName: "docker-registry", endpointUrl: "https://registry.example.com", accessId: "u", accessSecret: "s", insecure: false, caCertificate: undefined }]);
    });
  });

  describe("connection (named Harbor connections)", () => {
    /** Two connections: "default" pings record "default:<name>", "replica" pings record "replica:<name>". */
    function twoHarbors(overrides: { verify?: Record<string, string | undefined> } = {}) {
      const pings: string[] = [];
      const verifications: string[] = [];
      const c: CheckContext = {
        defaultConnectionTest: "onChange",
        connection: (name) => {
          if (name !== "default" && name !== "replica") return { failure: `names the Harbor connection "${name}", which is not configured (configured connections: "default" and "replica")` };
          return {
            testConnection: async (t) => (pings.push(`${name}:${t.name}`), []),
            verify: async () => (verifications.push(name), overrides.verify?.[name]),
          };
        },
      };
      return { c, pings, verifications };
    }

    it("tests the endpoint through the connection it names, default when it names none", async () => {
      const { c, pings } = twoHarbors();
      await checkRegistryEndpoint({}, { ...base, name: "a" }, c);
      await checkRegistryEndpoint({}, { ...base, name: "b", connection: "replica" }, c);
      assert.deepEqual(pings, ["default:a", "replica:b"]);
    });
    it("fails check at connection for a name that is not configured, listing the configured names, without any ping", async () => {
      const { c, pings, verifications } = twoHarbors();
      const r = await checkRegistryEndpoint({}, { ...base, connection: "replcia" }, c);
      assert.deepEqual(r.failures.map((f) => f.property), ["connection"]);
      assert.match(r.failures[0]!.reason, /"replcia".*"default" and "replica"/);
      assert.deepEqual([pings, verifications], [[], []]);
    });
    it("fails check at connection when the name is not a connection name", async () => {
      for (const bad of ["", "eu west", "a.b", 7, "-x"]) {
        await expectFailure({ ...base, connection: bad }, "connection", /must be/);
      }
    });
    it("verifies the connection and reports its problem under no endpoint property, skipping the ping", async () => {
      const { c, pings, verifications } = twoHarbors({ verify: { replica: 'the login to Harbor connection "replica" was rejected (401)' } });
      const r = await checkRegistryEndpoint({}, { ...base, connection: "replica", connectionTest: "always" }, c);
      assert.deepEqual(r.failures, [{ property: "", reason: 'the login to Harbor connection "replica" was rejected (401)' }]);
      assert.deepEqual([pings, verifications], [[], ["replica"]]);
    });
    it("verifies the connection even when no connection test is due", async () => {
      const { c, verifications } = twoHarbors();
      await checkRegistryEndpoint({ ...base, connection: "replica" }, { ...base, connection: "replica", connectionTest: "never" }, c);
      assert.deepEqual(verifications, ["replica"]);
    });
    it("neither resolves nor verifies a connection that is not known yet, and skips the ping", async () => {
      const { c, pings, verifications } = twoHarbors();
      const r = await checkRegistryEndpoint({}, { ...base, connection: UNKNOWN }, c);
      assert.deepEqual(r.failures, []);
      assert.equal(r.inputs.connection, UNKNOWN);
      assert.deepEqual([pings, verifications, r.connectionTest], [[], [], { run: false, reason: "unknown-values" }]);
    });
    it("tests again when the connection changes, and not when old inputs simply predate connections", async () => {
      const { c, pings } = twoHarbors();
      await checkRegistryEndpoint({ ...base }, { ...base, connection: "default" }, c);
      assert.deepEqual(pings, []);
      await checkRegistryEndpoint({ ...base }, { ...base, connection: "replica" }, c);
      assert.deepEqual(pings, ["replica:reg"]);
    });
  });
});

describe("check: what Harbor's database cannot hold", () => {
  const base = { providerName: "docker-registry", name: "db", endpointUrl: "https://registry.example.com" };
  const cases: [string, Record<string, unknown>, string, RegExp][] = [
    ["a NUL in name", { name: "a\u0000b" }, "name", /NUL/],
    ["a NUL in description", { description: "a\u0000b" }, "description", /NUL/],
    ["a NUL in accessId", { accessId: "u\u0000", accessSecret: CANARY }, "accessId", /NUL/],
    ["a NUL in caCertificate", { caCertificate: `${TEST_CA_PEM}\u0000` }, "caCertificate", /NUL/],
    ["an accessId of 256 characters", { accessId: "u".repeat(256), accessSecret: CANARY }, "accessId", /256 characters.*at most 255/],
    ["an accessSecret of 3051 bytes", { accessId: "u", accessSecret: "s".repeat(3051) }, "accessSecret", /3051 bytes.*at most 3050/],
    ["an accessSecret of 1 MB", { accessId: "u", accessSecret: "s".repeat(1 << 20) }, "accessSecret", /at most 3050/],
    ["an endpointUrl of 257 characters once normalised", { endpointUrl: `https://r.example.com/${"p".repeat(235)}` }, "endpointUrl", /257 characters.*at most 256/],
    ["an escape sequence in name", { name: "a\u001b[31mb" }, "name", /control characters/],
    ["a right-to-left override in name", { name: "evil\u202egpj" }, "name", /bidirectional/],
    ["a right-to-left override in the host", { endpointUrl: "https://regi\u202estry.example.com" }, "endpointUrl", /invalid host/],
    ["a right-to-left override in the path", { endpointUrl: "https://registry.example.com/a\u202eb" }, "endpointUrl", /bidirectional/],
    ["an unpaired surrogate in description", { description: "x\ud800y" }, "description", /surrogate/],
    ["an unpaired surrogate in accessSecret", { accessId: "u", accessSecret: "\udc00" }, "accessSecret", /surrogate/],
    ["an escape sequence in description", { description: "a\u001bb" }, "description", /control characters/],
  ];
  for (const [label, change, property, reason] of cases) {
    it(`fails check at ${property} for ${label}, naming the limit`, () => expectFailure({ ...base, ...change }, property, reason));
  }

  it("accepts the largest values Harbor stores: 255-character accessId, 3050-byte secret, 256-character URL", async () => {
    const url = `https://r.example.com/${"p".repeat(256 - "https://r.example.com/".length)}`;
    assert.deepEqual(await failuresOf({ ...base, endpointUrl: url, accessId: "u".repeat(255), accessSecret: "s".repeat(3050) }), []);
  });

  it("counts multi-byte secrets in UTF-8 bytes: 1017 three-byte characters (3051 bytes) are too long", () =>
    expectFailure({ ...base, accessId: "u", accessSecret: "\u20ac".repeat(1017) }, "accessSecret", /3051 bytes/));

  it("keeps tabs and line breaks in a description", async () => {
    assert.deepEqual(await failuresOf({ ...base, description: "line one\n\tline two\r\n" }), []);
  });

  it("fails check at caCertificate for a bundle holding a private key, never echoing it", async () => {
    const key = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n";
    for (const pem of [`${TEST_CA_PEM}\n${key}`, key.replace(/PRIVATE KEY/g, "RSA PRIVATE KEY"), key.replace(/PRIVATE KEY/g, "EC PRIVATE KEY")]) {
      const failures = await failuresOf({ ...base, caCertificate: pem });
      assert.deepEqual(failures.map((f) => f.property), ["caCertificate"]);
      assert.match(failures[0]!.reason, /private key/);
      assert.ok(!failures[0]!.reason.includes("MIIEvQ"));
    }
  });

  it("does not resolve prototype members as provider aliases or fixed endpoints", async () => {
    for (const providerName of ["constructor", "toString", "__proto__", "hasOwnProperty"]) {
      const r = await checkRegistryEndpoint({}, { providerName, name: "p" }, ctx());
      assert.deepEqual(r.failures.map((f) => f.property), ["providerName"]);
      assert.ok(r.inputs.providerName === providerName, "the raw value is kept, never a function");
      assert.notEqual(typeof normaliseInputs({ providerName }).endpointUrl, "function");
    }
  });

  it("ignores inherited input values (a polluted prototype is not an input)", async () => {
    const news = Object.create({ accessSecret: CANARY, endpointUrl: "ftp://x" }) as Record<string, unknown>;
    Object.assign(news, base);
    const r = await checkRegistryEndpoint({}, news, ctx());
    assert.deepEqual(r.failures, []);
    assert.equal(r.inputs.accessSecret, undefined);
  });
});
