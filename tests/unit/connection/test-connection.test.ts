// testConnection and its Harbor verdicts with a fake Harbor client: no sockets, so any probe attempt would be visible.
import assert from "node:assert/strict";
import { HarborApiError, HarborNetworkError, HarborTimeoutError } from "../../../provider/errors";
import { testConnection, type ConnectionContext, type ConnectionTarget } from "../../../provider/connection";
import { HARBOR_SIDE, pingBody, pingHarbor } from "../../../provider/connection/harbor-ping";
import type { HarborRegistryPing } from "../../../provider/harbor/models";

const SECRET = "S3cret-Canary-Value-0042";

function fakeHarbor(answer: () => Promise<void>): { ctx: ConnectionContext; calls: HarborRegistryPing[] } {
  const calls: HarborRegistryPing[] = [];
  return {
    calls,
    ctx: {
      harbor: {
        pingRegistry: async (body: HarborRegistryPing) => {
          calls.push(body);
          await answer();
        },
      },
      // Any local probe would fail fast against this closed port rather than reach anything.
      ecrEndpoint: "http://127.0.0.1:9",
      probeTimeoutMs: 500,
    },
  };
}

function apiError(status: number, code: string, message: string): HarborApiError {
  return new HarborApiError({ method: "POST", path: "/api/v2.0/registries/ping", status, code, messages: [message], requestId: "req-77" });
}

const target = (over: Partial<ConnectionTarget> = {}): ConnectionTarget => ({
  name: "mirror",
  providerName: "docker-registry",
  endpointUrl: "https://registry.example.com",
  accessId: "puller",
  accessSecret: SECRET,
  insecure: false,
  ...over,
});

describe("connection: Harbor ping body", () => {
  it("sends the credential only when an access id or secret is given", () => {
    assert.deepEqual(pingBody(target({ accessId: undefined, accessSecret: undefined })), {
      type: "docker-registry",
      url: "https://registry.example.com",
      insecure: false,
    });
    assert.deepEqual(pingBody(target({ caCertificate: "PEM" })), {
      type: "docker-registry",
      url: "https://registry.example.com",
      insecure: false,
      ca_certificate: "PEM",
      credential_type: "basic",
      access_key: "puller",
      access_secret: SECRET,
    });
  });

  it("always sends a credential object for aws-ecr, whose factory dereferences it", () => {
    const body = pingBody(target({ providerName: "aws-ecr", endpointUrl: "https://api.ecr.eu-west-1.amazonaws.com", accessId: "", accessSecret: "" }));
    assert.equal(body.credential_type, "basic");
    assert.equal(body.access_key, "");
  });
});

describe("connection: Harbor verdicts", () => {
  const verdictOf = async (error: unknown) => pingHarbor(target(), fakeHarbor(() => Promise.reject(error)).ctx);

  it("reads 400 'the registry is unhealthy' as unhealthy, keeping the request id", async () => {
    assert.deepEqual(await verdictOf(apiError(400, "BAD_REQUEST", "the registry is unhealthy")), { kind: "unhealthy", requestId: "req-77" });
  });

  it("reads a 500 as a failed adapter construction", async () => {
    assert.deepEqual(await verdictOf(apiError(500, "UNKNOWN", "internal server error")), { kind: "adapter-error", requestId: "req-77" });
  });

  it("reads a client timeout as a timeout verdict, so the endpoint is still diagnosed", async () => {
    const e = new HarborTimeoutError({ method: "POST", path: "/api/v2.0/registries/ping", timeoutMs: 30000, requestId: "req-9" });
    assert.deepEqual(await verdictOf(e), { kind: "timeout", timeoutMs: 30000, requestId: "req-9" });
  });

  it("blames the Harbor login on 401 under no property (HARBOR_SIDE), naming harbor:* settings and the request id", async () => {
    const v = await verdictOf(apiError(401, "UNAUTHORIZED", "unauthorized"));
    assert.equal(v.kind, "failure");
    if (v.kind !== "failure") return;
    assert.equal(v.failure.property, HARBOR_SIDE);
    assert.match(v.failure.reason, /connectionTest: "never"/);
    assert.match(v.failure.reason, /harbor:username and harbor:password/);
    assert.match(v.failure.reason, /request id req-77/);
  });

  it("names the missing system permission on 403 and read-only mode on 403 DENIED", async () => {
    const forbidden = await verdictOf(apiError(403, "FORBIDDEN", "admin2"));
    const readOnly = await verdictOf(apiError(403, "DENIED", "The system is in read only mode. Any modification is prohibited."));
    assert.ok(forbidden.kind === "failure" && /robot accounts need system-level "registry" permissions/.test(forbidden.failure.reason));
    assert.ok(readOnly.kind === "failure" && /read-only mode/.test(readOnly.failure.reason));
    assert.equal(forbidden.failure.property, HARBOR_SIDE);
    assert.match(forbidden.failure.reason, /harbor:username/);
    assert.equal(readOnly.failure.property, HARBOR_SIDE);
    assert.match(readOnly.failure.reason, /connectionTest: "never"/);
  });

  it("reports any other Harbor answer to the ping at connectionTest, pointing at harbor:url", async () => {
    const v = await verdictOf(apiError(404, "UNKNOWN", ""));
    assert.ok(v.kind === "failure");
    assert.equal(v.failure.property, HARBOR_SIDE);
    assert.match(v.failure.reason, /harbor:url/);
    assert.match(v.failure.reason, /connectionTest: "never"/);
  });

  it("maps Harbor's 400 about the CA certificate to caCertificate and about the URL to endpointUrl", async () => {
    const ca = await verdictOf(apiError(400, "BAD_REQUEST", "invalid CA certificate: no PEM data"));
    const url = await verdictOf(apiError(400, "BAD_REQUEST", "invalid HTTP scheme: ftp"));
    assert.ok(ca.kind === "failure" && ca.failure.property === "caCertificate");
    assert.ok(url.kind === "failure" && url.failure.property === "endpointUrl");
  });

  it("reports an unreachable Harbor under no property (HARBOR_SIDE), pointing at harbor:url", async () => {
    const v = await verdictOf(new HarborNetworkError({ method: "POST", path: "/api/v2.0/registries/ping", code: "ECONNREFUSED" }));
    assert.ok(v.kind === "failure" && v.failure.property === HARBOR_SIDE && /ECONNREFUSED/.test(v.failure.reason));
    assert.match(v.failure.reason, /harbor:url/);
  });

  it("rethrows errors that are not Harbor's", async () => {
    await assert.rejects(verdictOf(new RangeError("bug")), RangeError);
  });
});

describe("connection: testConnection without sockets", () => {
  it("returns [] when Harbor reports the endpoint healthy", async () => {
    const { ctx, calls } = fakeHarbor(() => Promise.resolve());
    assert.deepEqual(await testConnection(target(), ctx), []);
    assert.equal(calls.length, 1);
  });

  for (const [label, over, property] of [
    ["a quay secret that is not JSON", { providerName: "quay", accessId: "json_file", accessSecret: "nope" }, "accessSecret"],
    ["a quay access id other than json_file", { providerName: "quay", accessId: "robot", accessSecret: JSON.stringify({ account_name: "a", docker_cli_password: SECRET }) }, "accessId"],
    ["a GCR access id other than _json_key", { providerName: "google-gcr", accessId: "me", accessSecret: "{}" }, "accessId"],
    ["an ECR user name instead of an access key id", { providerName: "aws-ecr", endpointUrl: "https://api.ecr.us-east-1.amazonaws.com", accessId: "harbor" }, "accessId"],
    ["an ECR URL Harbor rejects", { providerName: "aws-ecr", endpointUrl: "https://ecr.example.com", accessId: "AKIAABCDEFGHIJKLMNOP" }, "endpointUrl"],
    ["a secret without an access id", { providerName: "docker-registry", accessId: "" }, "accessId"],
  ] as const) {
    it(`fails at ${property} for ${label} without asking Harbor`, async () => {
      const { ctx, calls } = fakeHarbor(() => Promise.reject(new Error("must not be called")));
      const failures = await testConnection(target(over), ctx);
      assert.ok(failures.some((f) => f.property === property), JSON.stringify(failures));
      assert.equal(calls.length, 0);
      for (const f of failures) {
        assert.match(f.reason, /endpoint "mirror"/);
        assert.ok(!f.reason.includes(SECRET));
      }
    });
  }

  it("says nothing can be checked for huawei-SWR, which Harbor never health-checks", async () => {
    const { ctx } = fakeHarbor(() => Promise.reject(apiError(400, "BAD_REQUEST", "the registry is unhealthy")));
    const failures = await testConnection(target({ providerName: "huawei-SWR" }), ctx);
    assert.deepEqual(failures.map((f) => f.property), ["endpointUrl"]);
    assert.match(failures[0]!.reason, /never contacts the remote/);
  });

  it("names providerName when Harbor has no adapter for a removed type", async () => {
    const { ctx } = fakeHarbor(() => Promise.reject(apiError(500, "UNKNOWN", "internal server error")));
    const failures = await testConnection(target({ providerName: "helm-hub", endpointUrl: "https://hub.helm.sh" }), ctx);
    assert.deepEqual(failures.map((f) => f.property), ["providerName"]);
    assert.match(failures[0]!.reason, /removed in Harbor v2\.8\.0/);
  });

  it("explains Harbor's IAM role for an ECR endpoint without keys, without calling AWS", async () => {
    const { ctx } = fakeHarbor(() => Promise.reject(apiError(400, "BAD_REQUEST", "the registry is unhealthy")));
    const failures = await testConnection(target({ providerName: "aws-ecr", endpointUrl: "https://123456789012.dkr.ecr.eu-central-1.amazonaws.com", accessId: "", accessSecret: "" }), ctx);
    assert.deepEqual(failures.map((f) => f.property), ["accessId"]);
    assert.match(failures[0]!.reason, /IAM role/);
    assert.match(failures[0]!.reason, /eu-central-1/);
    assert.match(failures[0]!.reason, /request id req-77/);
  });

  it("reports Harbor's verdict without contacting the remote when localDiagnosis is false", async () => {
    const { ctx } = fakeHarbor(() => Promise.reject(apiError(400, "BAD_REQUEST", "the registry is unhealthy")));
    const failures = await testConnection(target({ providerName: "docker-hub", endpointUrl: "https://hub.docker.com" }), { ...ctx, localDiagnosis: false });
    assert.deepEqual(failures.map((f) => f.property), ["endpointUrl"]);
    assert.match(failures[0]!.reason, /Harbor's connection test failed for endpoint "mirror" and the local diagnosis is turned off/);
  });
});
