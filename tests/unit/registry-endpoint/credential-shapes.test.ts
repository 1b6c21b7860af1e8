// Unit tests of the provider-specific credential shapes (pure, offline, never echoing the secret).
import * as assert from "node:assert/strict";
import { checkCredentialShape } from "../../../provider/registry-endpoint/credential-shapes";
import { CANARY, GCR_KEY } from "./fixtures";

const ECR = "https://api.ecr.eu-west-1.amazonaws.com";
const props = (input: Parameters<typeof checkCredentialShape>[0]) => {
  const failures = checkCredentialShape(input);
  for (const f of failures) assert.ok(!f.reason.includes(CANARY) && !f.reason.includes("CANARYKEY"));
  return failures.map((f) => f.property);
};

describe("credential shapes", () => {
  it("accepts a GCR _json_key with a service-account JSON key", () => assert.deepEqual(props({ providerName: "google-gcr", accessId: "_json_key", accessSecret: GCR_KEY }), []));
  it("requires both GCR fields (Harbor reports GCR without them unhealthy)", () => assert.deepEqual(props({ providerName: "google-gcr" }), ["accessId", "accessSecret"]));
  it("rejects GCR JSON that is not a service-account key", () =>
    assert.deepEqual(props({ providerName: "google-gcr", accessId: "_json_key", accessSecret: JSON.stringify({ type: "authorized_user", token: CANARY }) }), ["accessSecret"]));
  it("accepts anonymous quay", () => assert.deepEqual(props({ providerName: "quay" }), []));
  it("accepts quay json_file with account_name and docker_cli_password", () =>
    assert.deepEqual(props({ providerName: "quay", accessId: "json_file", accessSecret: JSON.stringify({ account_name: "a", docker_cli_password: CANARY }) }), []));
  it("rejects quay with another access id", () =>
    assert.deepEqual(props({ providerName: "quay", accessId: "me", accessSecret: JSON.stringify({ account_name: "a", docker_cli_password: "p" }) }), ["accessId"]));
  it("rejects quay JSON missing docker_cli_password", () =>
    assert.deepEqual(props({ providerName: "quay", accessId: "json_file", accessSecret: JSON.stringify({ account_name: CANARY }) }), ["accessSecret"]));
  it("rejects quay json_file without a secret", () => assert.deepEqual(props({ providerName: "quay", accessId: "json_file" }), ["accessSecret"]));
  it("accepts ECR with no keys (Harbor's IAM role)", () => assert.deepEqual(props({ providerName: "aws-ecr", endpointUrl: ECR }), []));
  it("accepts ECR with an AKIA key id and secret", () => assert.deepEqual(props({ providerName: "aws-ecr", accessId: "AKIAIOSFODNN7EXAMPLE", accessSecret: CANARY, endpointUrl: ECR }), []));
  it("rejects an ECR key id that is a user name", () => assert.deepEqual(props({ providerName: "aws-ecr", accessId: "admin", accessSecret: CANARY, endpointUrl: ECR }), ["accessId"]));
  it("rejects an ECR key id without a secret", () => assert.deepEqual(props({ providerName: "aws-ecr", accessId: "AKIAIOSFODNN7EXAMPLE", endpointUrl: ECR }), ["accessSecret"]));
  it("rejects an ECR secret without a key id", () => assert.deepEqual(props({ providerName: "aws-ecr", accessSecret: CANARY, endpointUrl: ECR }), ["accessId"]));
  it("accepts ECR account (dkr) URLs", () => assert.deepEqual(props({ providerName: "aws-ecr", endpointUrl: "https://123456789012.dkr.ecr.us-east-1.amazonaws.com" }), []));
  it("rejects ECR URLs Harbor calls a bad aws url", () => assert.deepEqual(props({ providerName: "aws-ecr", endpointUrl: "https://ecr.example.com" }), ["endpointUrl"]));
  it("rejects a Tencent SecretId without AKID/IKID", () => assert.deepEqual(props({ providerName: "tencent-tcr", accessId: "X", accessSecret: "s" }), ["accessId"]));
  it("rejects a secret without an id for any other type (Harbor would drop it)", () => assert.deepEqual(props({ providerName: "harbor", accessSecret: CANARY }), ["accessId"]));
  it("accepts an id without a secret for basic types", () => assert.deepEqual(props({ providerName: "docker-registry", accessId: "u" }), []));
});
