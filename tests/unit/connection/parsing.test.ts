// Pure helpers of the connection diagnosis: challenges, ECR URLs, AWS error bodies, network error codes, overrides, redaction.
import assert from "node:assert/strict";
import { awsErrorFromBody, parseEcrUrl } from "../../../provider/connection/aws-ecr";
import { connectionFailure } from "../../../provider/connection/failure";
import { gcrNamespace, parseServiceAccountKey, precheckGoogleGcr } from "../../../provider/connection/google-gcr";
import { applyRemoteOverride, classifyNetworkError } from "../../../provider/connection/http-probe";
import { parseChallenge } from "../../../provider/connection/native-probe";
import { quayProbeCredentials } from "../../../provider/connection/quay";
import type { ConnectionTarget } from "../../../provider/connection";
import { generateKeyPairSync } from "node:crypto";

const PRIVATE_KEY = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const gcrKey = (over: Record<string, unknown> = {}) =>
  JSON.stringify({ type: "service_account", project_id: "proj-a", client_email: "sa@proj-a.iam.gserviceaccount.com", private_key: PRIVATE_KEY, token_uri: "https://oauth2.googleapis.com/token", ...over });
const gcrTarget = (over: Partial<ConnectionTarget> = {}): ConnectionTarget => ({
  name: "gcr", providerName: "google-gcr", endpointUrl: "https://gcr.io", accessId: "_json_key", accessSecret: gcrKey(), insecure: false, ...over,
});

describe("connection: WWW-Authenticate parsing", () => {
  it("reads a Bearer challenge with quoted realm, service and scope", () => {
    assert.deepEqual(parseChallenge('Bearer realm="https://r.example/service/token",service="harbor-registry",scope="registry:catalog:*"'), {
      scheme: "bearer",
      params: { realm: "https://r.example/service/token", service: "harbor-registry", scope: "registry:catalog:*" },
    });
  });
  it("reads a Basic challenge and lower-cases the scheme", () => {
    assert.deepEqual(parseChallenge('Basic realm="test-registry"'), { scheme: "basic", params: { realm: "test-registry" } });
  });
  it("returns undefined without a header", () => {
    assert.equal(parseChallenge(undefined), undefined);
  });
});

describe("connection: ECR URLs as Harbor parses them", () => {
  for (const [url, region, account] of [
    ["https://api.ecr.us-east-1.amazonaws.com", "us-east-1", undefined],
    ["https://api.ecr.cn-north-1.amazonaws.com.cn", "cn-north-1", undefined],
    ["https://123456789012.dkr.ecr.eu-west-1.amazonaws.com", "eu-west-1", "123456789012"],
    ["https://123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com", "us-gov-west-1", "123456789012"],
    ["https://api.ecr-public.us-east-1.amazonaws.com", "us-east-1", undefined],
  ] as const) {
    it(`parses ${url} to region ${region}`, () => {
      assert.deepEqual(parseEcrUrl(url), { region, accountId: account });
    });
  }
  it("rejects a URL Harbor answers with 'bad aws url'", () => {
    assert.equal(parseEcrUrl("https://ecr.example.com"), undefined);
  });
});

describe("connection: AWS error bodies", () => {
  it("reads AWS's JSON error (__type with a namespace)", () => {
    assert.deepEqual(awsErrorFromBody('{"__type":"com.amazonaws#UnrecognizedClientException","message":"The security token included in the request is invalid."}'), {
      name: "UnrecognizedClientException",
      message: "The security token included in the request is invalid.",
    });
  });
  it("reads an XML error such as moto sends", () => {
    assert.deepEqual(awsErrorFromBody("<ErrorResponse><Error><Code>InvalidClientTokenId</Code><Message>bad token</Message></Error></ErrorResponse>"), {
      name: "InvalidClientTokenId",
      message: "bad token",
    });
  });
  it("returns undefined for an empty or unrelated body", () => {
    assert.equal(awsErrorFromBody(""), undefined);
    assert.equal(awsErrorFromBody("<html>oops</html>"), undefined);
  });
});

describe("connection: network error classes", () => {
  const withCause = (code: string) => Object.assign(new TypeError("fetch failed"), { cause: Object.assign(new Error("x"), { code }) });
  it("classifies refused connections and DNS failures as unreachable", () => {
    assert.deepEqual(classifyNetworkError(withCause("ECONNREFUSED")), { kind: "unreachable", code: "ECONNREFUSED" });
    assert.deepEqual(classifyNetworkError(withCause("ENOTFOUND")), { kind: "unreachable", code: "ENOTFOUND" });
  });
  it("classifies untrusted certificates as TLS trust failures", () => {
    assert.deepEqual(classifyNetworkError(withCause("SELF_SIGNED_CERT_IN_CHAIN")), { kind: "tls", code: "SELF_SIGNED_CERT_IN_CHAIN" });
  });
  it("classifies connect and header timeouts and aborts as timeouts", () => {
    assert.deepEqual(classifyNetworkError(withCause("UND_ERR_CONNECT_TIMEOUT")), { kind: "timeout" });
    assert.deepEqual(classifyNetworkError(Object.assign(new Error("t"), { name: "TimeoutError" })), { kind: "timeout" });
  });
  it("classifies OpenSSL protocol errors as a scheme mismatch", () => {
    assert.deepEqual(classifyNetworkError(withCause("ERR_SSL_WRONG_VERSION_NUMBER")), { kind: "protocol", code: "ERR_SSL_WRONG_VERSION_NUMBER" });
  });
});

describe("connection: remote overrides", () => {
  it("maps a fixed origin to the override, keeping path and query", () => {
    assert.equal(applyRemoteOverride("https://ghcr.io/v2/?x=1", { "https://ghcr.io": "http://127.0.0.1:5000" }), "http://127.0.0.1:5000/v2/?x=1");
  });
  it("leaves other origins alone", () => {
    assert.equal(applyRemoteOverride("https://quay.io/v2/", { "https://ghcr.io": "http://127.0.0.1:5000" }), "https://quay.io/v2/");
  });
});

describe("connection: GCR keys", () => {
  it("accepts a service-account key with a PEM private key", () => {
    assert.equal(parseServiceAccountKey(gcrKey()).ok, true);
    assert.deepEqual(precheckGoogleGcr(gcrTarget()), []);
  });
  it("rejects a private_key that is not a PEM key", () => {
    const parsed = parseServiceAccountKey(gcrKey({ private_key: "-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----\n" }));
    assert.deepEqual(parsed, { ok: false, problem: "has a private_key that is not a PEM private key" });
  });
  it("rejects a token_uri over plain HTTP to another host (the signed assertion would travel in clear)", () => {
    assert.equal(parseServiceAccountKey(gcrKey({ token_uri: "http://tokens.example.com/token" })).ok, false);
    assert.equal(parseServiceAccountKey(gcrKey({ token_uri: "http://127.0.0.1:8080/token" })).ok, true);
  });
  it("names the fields of a JSON object that is not a service-account key", () => {
    const parsed = parseServiceAccountKey(JSON.stringify({ type: "authorized_user" }));
    assert.ok(!parsed.ok && /type, client_email, private_key/.test(parsed.problem));
  });
  it("reads the namespace from the URL path", () => {
    assert.equal(gcrNamespace("https://gcr.io/proj-a"), "proj-a");
    assert.equal(gcrNamespace("https://eu.gcr.io"), undefined);
  });
  it("fails at endpointUrl when the namespace is another project than the key's", () => {
    const failures = precheckGoogleGcr(gcrTarget({ endpointUrl: "https://gcr.io/proj-b" }));
    assert.deepEqual(failures.map((f) => f.property), ["endpointUrl"]);
  });
  it("never quotes the private key in a reason", () => {
    const failures = precheckGoogleGcr(gcrTarget({ accessId: "nope", endpointUrl: "https://gcr.io/proj-b" }));
    for (const f of failures) assert.ok(!f.reason.includes("PRIVATE KEY") && !f.reason.includes(PRIVATE_KEY.slice(40, 80)));
  });
});

describe("connection: quay login", () => {
  it("uses account_name and docker_cli_password as the registry login", () => {
    const t = { ...gcrTarget(), providerName: "quay", accessId: "json_file", accessSecret: JSON.stringify({ account_name: "org+bot", docker_cli_password: "pw123" }) };
    assert.deepEqual(quayProbeCredentials(t), { username: "org+bot", password: "pw123" });
  });
  it("is anonymous without a secret", () => {
    assert.equal(quayProbeCredentials({ ...gcrTarget(), providerName: "quay", accessId: "", accessSecret: "" }), undefined);
  });
});

describe("connection: reasons never carry secrets", () => {
  it("scrubs the secret, the values inside a JSON secret, URL user-info and Basic tokens", () => {
    const t = { ...gcrTarget(), providerName: "quay", accessSecret: JSON.stringify({ account_name: "bot", docker_cli_password: "cliPw-998877", oauth2_token: "oauthTok-665544" }) };
    const f = connectionFailure(t, "accessSecret", "saw cliPw-998877 and oauthTok-665544 at https://bot:pw@host and Basic dXNlcjpwYXNzd29yZA==");
    assert.ok(!/cliPw-998877|oauthTok-665544|bot:pw|dXNlcjpwYXNzd29yZA/.test(f.reason), f.reason);
    assert.match(f.reason, /\[REDACTED\]/);
  });
});
