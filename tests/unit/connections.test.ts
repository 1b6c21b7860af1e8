// Unit tests of named Harbor connections: parsing harbor:connections / HARBOR_CONNECTIONS, the default connection, messages.
import * as assert from "node:assert/strict";
import {
  HarborConnectionPool,
  inConnection,
  missingConnectionSettings,
  readHarborConnections,
  sameHarbor,
  unknownConnectionReason,
} from "../../provider/connections";

const CANARY = "ConnCanary-9f1e-password";

/** A ConfigSource over plain stack config values (object values are what `--path` config looks like as JSON). */
function source(values: Record<string, unknown>) {
  return { get: (k: string) => (typeof values[k] === "object" ? JSON.stringify(values[k]) : (values[k] as string | undefined)) };
}

function throwsNaming(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (e: Error) => {
    assert.match(e.message, pattern);
    assert.ok(!e.message.includes(CANARY), "the error carries the password");
    return true;
  });
}

describe("connections: reading harbor:connections", () => {
  const eu = { url: "https://harbor-eu.example.com/", username: "admin", password: CANARY };

  it("reads harbor:url … as the connection named default and harbor:connections as named ones", () => {
    const set = readHarborConnections(
      source({ "harbor:url": "https://central.example.com", "harbor:username": "u", "harbor:password": "p", "harbor:connections": { eu } }),
      {},
    );
    assert.deepEqual(set.names, ["default", "eu"]);
    const d = set.connections.get("default")!;
    assert.deepEqual([d.url, d.username, d.password, d.insecure, d.keys.config.password], ["https://central.example.com/api/v2.0", "u", "p", false, "harbor:password"]);
    const e = set.connections.get("eu")!;
    assert.deepEqual([e.url, e.username, e.password, e.insecure], ["https://harbor-eu.example.com/api/v2.0", "admin", CANARY, false]);
    assert.equal(e.keys.config.password, "harbor:connections.eu.password");
  });

  it("takes HARBOR_CONNECTIONS (JSON) when harbor:connections is not set, and ignores it when it is", () => {
    const env = { HARBOR_CONNECTIONS: JSON.stringify({ us: { ...eu, insecure: "true" } }) };
    const fromEnv = readHarborConnections(source({}), env);
    assert.deepEqual(fromEnv.names, ["us"]);
    assert.equal(fromEnv.connections.get("us")!.insecure, true);
    assert.deepEqual(readHarborConnections(source({ "harbor:connections": { eu } }), env).names, ["eu"]);
  });

  it("accepts a parsed object as the dynamic-provider host may pass it, and insecure as a boolean or text", () => {
    const set = readHarborConnections({ get: (k: string) => (k === "harbor:connections" ? ({ a: { ...eu, insecure: true }, b: { ...eu, insecure: "no" } } as unknown as string) : undefined) }, {});
    assert.deepEqual([set.connections.get("a")!.insecure, set.connections.get("b")!.insecure], [true, false]);
  });

  it("reads a user name that `pulumi config set --path` stored as a YAML number as text", () => {
    const set = readHarborConnections(source({ "harbor:connections": { eu: { ...eu, username: 12345 } } }), {});
    assert.equal(set.connections.get("eu")!.username, "12345");
  });

  it("lists default only when one of its settings is set, but always resolves it", () => {
    const set = readHarborConnections(source({ "harbor:connections": { eu } }), {});
    assert.deepEqual(set.names, ["eu"]);
    assert.match(missingConnectionSettings(set.connections.get("default")!)!, /harbor:url \(or HARBOR_URL\), harbor:username \(or HARBOR_USERNAME\), harbor:password/);
  });

  it("lets harbor:connections define default when the harbor:url family is unset, and refuses two definitions", () => {
    assert.deepEqual(readHarborConnections(source({ "harbor:connections": { default: eu } }), {}).names, ["default"]);
    throwsNaming(() => readHarborConnections(source({ "harbor:url": "https://x.example.com", "harbor:connections": { default: eu } }), {}), /harbor:connections\.default defines the default connection.*keep one/);
    throwsNaming(() => readHarborConnections(source({ "harbor:connections": { default: eu } }), { HARBOR_PASSWORD: "p" }), /keep one/);
  });

  const bad: [string, unknown, RegExp][] = [
    ["not JSON", "{eu: " + CANARY, /harbor:connections must be a JSON object/],
    ["an array", [eu], /harbor:connections must be an object of connection name/],
    ["a bad name", { "eu west": eu }, /connection named "eu west": names are 1-63 letters/],
    ["a bad URL", { eu: { ...eu, url: "ftp://x" } }, /harbor:connections\.eu\.url must be an http:\/\/ or https:\/\/ URL/],
    ["user-info in the URL", { eu: { ...eu, url: `https://admin:${CANARY}@x` } }, /harbor:connections\.eu\.url must not contain credentials/],
    ["an unknown setting", { eu: { ...eu, passwd: CANARY } }, /harbor:connections\.eu has unknown settings "passwd"; the settings are url, username, password, insecure, caCertificate/],
    ["a non-boolean insecure", { eu: { ...eu, insecure: "maybe" } }, /harbor:connections\.eu\.insecure must be true or false/],
    ["a number as password", { eu: { ...eu, password: 1234 } }, /harbor:connections\.eu\.password must be a string/],
    ["an entry that is not an object", { eu: CANARY }, /harbor:connections\.eu must be an object/],
  ];
  for (const [what, value, pattern] of bad) {
    it(`fails configuration naming the key, never the value, for ${what}`, () => {
      throwsNaming(() => readHarborConnections(source({ "harbor:connections": value }), {}), pattern);
    });
  }
  it("names HARBOR_CONNECTIONS and the connection when the environment holds the mistake", () => {
    throwsNaming(() => readHarborConnections(source({}), { HARBOR_CONNECTIONS: JSON.stringify({ eu: { ...eu, url: "x" } }) }), /HARBOR_CONNECTIONS \(connection eu, url\) must be/);
  });
  it("reports a missing url, username or password of a named connection by its keys", () => {
    const set = readHarborConnections(source({ "harbor:connections": { eu: { url: eu.url } } }), {});
    assert.equal(
      missingConnectionSettings(set.connections.get("eu")!),
      'the Harbor connection "eu" is not configured: set harbor:connections.eu.username, harbor:connections.eu.password',
    );
  });
});

describe("connections: messages and identity", () => {
  const set = readHarborConnections(source({ "harbor:url": "https://a.example.com", "harbor:connections": { eu: { url: "https://A.example.com/" }, us: { url: "https://us.example.com" } } }), {});
  const eu = set.connections.get("eu")!;

  it("lists the configured names for an unknown one", () => {
    assert.match(unknownConnectionReason("ue", set), /"ue", which is not configured \(configured connections: "default", "eu" and "us"\)/);
  });
  it("rewrites a default-connection message for a named connection: its keys, its variable, its name", () => {
    assert.equal(
      inConnection("Check harbor:username and harbor:password (or HARBOR_USERNAME/HARBOR_PASSWORD); see harbor:url and harbor:connectionTest.", eu),
      'Harbor connection "eu": Check harbor:connections.eu.username and harbor:connections.eu.password (or HARBOR_CONNECTIONS); see harbor:connections.eu.url and harbor:connectionTest.',
    );
    assert.equal(inConnection("Check harbor:url.", set.connections.get("default")!), "Check harbor:url.");
  });
  it("sees two names with the same Harbor URL as the same Harbor", () => {
    assert.equal(sameHarbor(set.connections.get("default"), eu), true);
    assert.equal(sameHarbor(eu, set.connections.get("us")), false);
    assert.equal(sameHarbor(undefined, eu), false);
  });
  it("builds one client per connection and refuses an unknown or incomplete one", async () => {
    const pool = new HarborConnectionPool(readHarborConnections(source({ "harbor:connections": { eu: { url: "https://eu.example.com", username: "u", password: CANARY }, half: { url: "https://h.example.com" } } }), {}));
    try {
      assert.equal(pool.client("eu"), pool.client("eu"));
      assert.equal(pool.client("eu").apiBaseUrl, "https://eu.example.com/api/v2.0");
      throwsNaming(() => pool.client("nope"), /Harbor connection "nope" is not configured \(configured connections: "eu" and "half"\)/);
      throwsNaming(() => pool.client("half"), /"half" is not configured: set harbor:connections\.half\.username/);
      assert.deepEqual(pool.secrets(), [CANARY]);
    } finally {
      await pool.close();
    }
  });
});
