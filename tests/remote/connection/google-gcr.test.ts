// GCR connection tests against a local OAuth2 token endpoint that verifies the signed JWT, with the simulator as Harbor.
import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { requestGcrToken, parseServiceAccountKey } from "../../../provider/connection/google-gcr";
import { testConnection, type ConnectionTarget } from "../../../provider/connection";
import { HarborClient } from "../../../provider/harbor/client";
import { startHarborSimulator } from "../../../simulator";
import type { HarborSimulator } from "../../../simulator/types";
import { createServiceAccountKey, startGcrTokenServer, type GcrTokenServer, type TestServiceAccount } from "../../support/gcr-token-server";

describe("google-gcr connection tests against a local token endpoint", function () {
  this.timeout(30000);
  let tokens: GcrTokenServer;
  let sim: HarborSimulator;
  let harbor: HarborClient;
  let good: TestServiceAccount;
  let forged: TestServiceAccount;
  const target = (over: Partial<ConnectionTarget>): ConnectionTarget => ({
    name: "gcr",
    providerName: "google-gcr",
    endpointUrl: "https://gcr.io/my-project",
    accessId: "_json_key",
    accessSecret: good.keyText,
    insecure: false,
    ...over,
  });

  before(async () => {
    tokens = await startGcrTokenServer();
    good = createServiceAccountKey({ projectId: "my-project", tokenUri: tokens.tokenUri });
    tokens.addServiceAccount(good.json["client_email"]!, good.publicKeyPem);
    // Same account, but signed by a private key Google never saw.
    const other = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    forged = createServiceAccountKey({ projectId: "my-project", tokenUri: tokens.tokenUri, clientEmail: good.json["client_email"], signWith: other });
    sim = await startHarborSimulator({ healthCheckTimeoutMs: 3000 });
    harbor = new HarborClient({ url: sim.url, username: sim.username, password: sim.password, retry: { retries: 0 } });
  });
  after(async () => {
    await harbor?.close();
    await Promise.all([sim?.close(), tokens?.close()]);
  });
  beforeEach(() => {
    tokens.requests = 0;
    sim.resetRequests();
  });

  it("obtains a token with a valid key", async () => {
    const parsed = parseServiceAccountKey(good.keyText);
    assert.ok(parsed.ok);
    assert.deepEqual(await requestGcrToken(parsed.key, 3000), { kind: "accepted" });
    assert.equal(tokens.requests, 1);
  });

  it("with a valid key blames Harbor's network when Harbor cannot reach gcr.io", async () => {
    const failures = await testConnection(target({}), { harbor });
    assert.deepEqual(failures.map((f) => f.property), ["endpointUrl"]);
    assert.match(failures[0]!.reason, /Google issued a token for service account harbor@my-project/);
    assert.equal(tokens.requests, 1);
  });

  it("fails at accessSecret when the key is signed by another private key, with Google's reason", async () => {
    const failures = await testConnection(target({ accessSecret: forged.keyText }), { harbor });
    assert.deepEqual(failures.map((f) => f.property), ["accessSecret"]);
    assert.match(failures[0]!.reason, /Google rejected the key .*invalid_grant: Invalid JWT Signature/);
    assert.ok(!failures[0]!.reason.includes("PRIVATE KEY"));
    assert.equal(tokens.requests, 1, "no retries");
  });

  it("fails on malformed JSON before any network call", async () => {
    const failures = await testConnection(target({ accessSecret: good.keyText.slice(0, -5) }), { harbor });
    assert.deepEqual(failures.map((f) => f.property), ["accessSecret"]);
    assert.equal(tokens.requests, 0);
    assert.equal(sim.requests.length, 0);
  });

  it("fails at accessId before any network call when it is not _json_key", async () => {
    const failures = await testConnection(target({ accessId: "harbor" }), { harbor });
    assert.deepEqual(failures.map((f) => f.property), ["accessId"]);
    assert.equal(tokens.requests + sim.requests.length, 0);
  });

  it("fails at endpointUrl before any network call when the URL names another project than the key", async () => {
    const failures = await testConnection(target({ endpointUrl: "https://gcr.io/other-project" }), { harbor });
    assert.deepEqual(failures.map((f) => f.property), ["endpointUrl"]);
    assert.match(failures[0]!.reason, /"other-project".*"my-project"/);
    assert.equal(tokens.requests + sim.requests.length, 0);
  });
});
