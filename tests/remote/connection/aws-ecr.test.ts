// ECR connection tests against moto (IAM auth enforced), with the simulator as Harbor.
import assert from "node:assert/strict";
import { checkEcrKeys } from "../../../provider/connection/aws-ecr";
import { testConnection, type ConnectionTarget } from "../../../provider/connection";
import { HarborClient } from "../../../provider/harbor/client";
import { startHarborSimulator } from "../../../simulator";
import type { HarborSimulator } from "../../../simulator/types";
import { requireMoto, startMoto, type MotoServer } from "../../support/moto";

const ECR_URL = "https://api.ecr.us-east-1.amazonaws.com";

describe("aws-ecr connection tests against moto", function () {
  this.timeout(60000);
  let moto: MotoServer;
  let keys: { accessKeyId: string; secretAccessKey: string };
  // Harbor without egress to AWS (no remoteOverrides), and Harbor whose ECR API is moto.
  let offlineSim: HarborSimulator;
  let onlineSim: HarborSimulator;
  let offline: HarborClient;
  let online: HarborClient;
  const target = (over: Partial<ConnectionTarget>): ConnectionTarget => ({
    name: "ecr",
    providerName: "aws-ecr",
    endpointUrl: ECR_URL,
    accessId: keys.accessKeyId,
    accessSecret: keys.secretAccessKey,
    insecure: false,
    ...over,
  });

  before(async function () {
    requireMoto(this);
    moto = await startMoto();
    keys = await moto.createUserWithKey("harbor-replicator");
    await moto.enableAuth();
    [offlineSim, onlineSim] = await Promise.all([
      startHarborSimulator({ healthCheckTimeoutMs: 5000 }),
      startHarborSimulator({ healthCheckTimeoutMs: 5000, remoteOverrides: { [ECR_URL]: moto.url } }),
    ]);
    offline = new HarborClient({ url: offlineSim.url, username: offlineSim.username, password: offlineSim.password, retry: { retries: 0 } });
    online = new HarborClient({ url: onlineSim.url, username: onlineSim.username, password: onlineSim.password, retry: { retries: 0 } });
  });
  after(async () => {
    await Promise.all([offline?.close(), online?.close()]);
    await Promise.all([offlineSim?.close(), onlineSim?.close(), moto?.close()]);
  });

  it("accepts good keys in a direct GetAuthorizationToken call", async () => {
    assert.deepEqual(await checkEcrKeys(target({}), "us-east-1", { endpoint: moto.url, timeoutMs: 5000 }), { kind: "accepted" });
  });

  it("passes when Harbor reaches the ECR API and the keys are good", async () => {
    assert.deepEqual(await testConnection(target({}), { harbor: online, ecrEndpoint: moto.url }), []);
  });

  it("blames Harbor's egress when Harbor reports unhealthy but AWS accepts the keys from here", async () => {
    const failures = await testConnection(target({}), { harbor: offline, ecrEndpoint: moto.url });
    assert.deepEqual(failures.map((f) => f.property), ["endpointUrl"]);
    assert.match(failures[0]!.reason, /from this machine AWS accepted the key/);
    assert.match(failures[0]!.reason, /Harbor cannot reach AWS/);
  });

  it("fails at accessId with AWS's reason when the access key id is unknown", async () => {
    const failures = await testConnection(target({ accessId: "AKIAZZZZZZZZZZZZZZZZ" }), { harbor: online, ecrEndpoint: moto.url });
    assert.deepEqual(failures.map((f) => f.property), ["accessId"]);
    assert.match(failures[0]!.reason, /AWS rejected the key in us-east-1 \(InvalidClientTokenId: The security token included in the request is invalid\)/);
  });

  it("fails at accessSecret with AWS's reason when the secret does not match, never echoing it", async () => {
    const wrong = "Wr0ngSecretCanary/abcdefghijklmnopqrstuvwx";
    const failures = await testConnection(target({ accessSecret: wrong }), { harbor: online, ecrEndpoint: moto.url });
    assert.deepEqual(failures.map((f) => f.property), ["accessSecret"]);
    assert.match(failures[0]!.reason, /SignatureDoesNotMatch/);
    assert.ok(!failures[0]!.reason.includes(wrong));
    assert.ok(!failures[0]!.reason.includes(keys.secretAccessKey));
  });

  it("explains Harbor's IAM role when accessId and accessSecret are empty, without calling AWS", async () => {
    const failures = await testConnection(target({ accessId: "", accessSecret: "" }), { harbor: offline, ecrEndpoint: "http://127.0.0.1:1" });
    assert.deepEqual(failures.map((f) => f.property), ["accessId"]);
    assert.match(failures[0]!.reason, /IAM role/);
  });

  it("rejects a URL outside Harbor's ECR pattern and a malformed key id before any request", async () => {
    offlineSim.resetRequests();
    const failures = await testConnection(
      target({ endpointUrl: "https://ecr.example.com", accessId: "harbor-user" }),
      { harbor: offline, ecrEndpoint: moto.url },
    );
    assert.deepEqual(failures.map((f) => f.property).sort(), ["accessId", "endpointUrl"]);
    assert.equal(offlineSim.requests.length, 0);
  });
});
