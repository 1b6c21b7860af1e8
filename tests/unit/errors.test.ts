// Unit tests of provider/errors.ts: messages, redaction in constructors, brand guards.
import assert from "node:assert/strict";
import {
  ConnectionTestError,
  HarborApiError,
  HarborNetworkError,
  HarborResponseShapeError,
  HarborTimeoutError,
  isConnectionTestError,
  isHarborApiError,
  isHarborEndpointsError,
  isHarborNetworkError,
  isHarborResponseShapeError,
  isHarborTimeoutError,
} from "../../provider/errors";

describe("HarborApiError", () => {
  it("reads as one sentence with status, code, every message, a hint and the request id", () => {
    const e = new HarborApiError({ status: 409, code: "CONFLICT", messages: ["registry hub already exists", "second"], method: "post", path: "/api/v2.0/registries", requestId: "rid-1" });
    assert.equal(e.status, 409);
    assert.equal(e.code, "CONFLICT");
    assert.deepEqual(e.messages, ["registry hub already exists", "second"]);
    assert.equal(e.method, "POST");
    assert.match(e.message, /^POST \/api\/v2\.0\/registries failed: Harbor answered 409 CONFLICT: registry hub already exists; second\. .*already exists.* \(request id rid-1\)\.$/);
    assert.ok(!e.message.includes("\n"));
  });

  it("defaults the code to UNKNOWN when Harbor sent none", () => {
    const e = new HarborApiError({ status: 502, method: "GET", path: "/api/v2.0/registries" });
    assert.equal(e.code, "UNKNOWN");
    assert.match(e.message, /Harbor answered 502 UNKNOWN\. .*core log/);
  });

  it("hints at harbor:username/harbor:password on 401", () => {
    assert.match(new HarborApiError({ status: 401, code: "UNAUTHORIZED", messages: ["unauthorized"], method: "GET", path: "/p" }).message, /harbor:username and harbor:password/);
  });

  it("hints at robot-account system permissions on 403", () => {
    assert.match(new HarborApiError({ status: 403, code: "FORBIDDEN", messages: ["robot$ci"], method: "GET", path: "/p" }).message, /robot accounts need system-level `registry` permissions/);
  });

  it("hints at read-only mode on 403 DENIED", () => {
    assert.match(new HarborApiError({ status: 403, code: "DENIED", messages: ["The system is in read only mode. Any modification is prohibited."], method: "PUT", path: "/p" }).message, /read-only mode/);
  });

  it("hints at references on 412 and at deletion outside Pulumi on 404", () => {
    assert.match(new HarborApiError({ status: 412, code: "PRECONDITION", method: "DELETE", path: "/p" }).message, /replication policies or proxy-cache projects/);
    assert.match(new HarborApiError({ status: 404, code: "NOT_FOUND", method: "GET", path: "/p" }).message, /deleted outside Pulumi/);
  });

  it("uses a caller's hint instead of the default", () => {
    assert.match(new HarborApiError({ status: 412, method: "DELETE", path: "/p", hint: "Remove policy p1 first.", requestId: "r" }).message, /Remove policy p1 first \(request/);
  });

  it("drops the query string from the path", () => {
    const e = new HarborApiError({ status: 400, method: "GET", path: "/api/v2.0/registries?q=name=secretish&page=1" });
    assert.equal(e.path, "/api/v2.0/registries");
    assert.ok(!e.message.includes("secretish"));
  });

  it("redacts secrets from messages and stored strings", () => {
    const e = new HarborApiError({ status: 400, messages: ["bad secret pa55word in body"], method: "POST", path: "/api/v2.0/registries", secrets: ["pa55word"] });
    assert.ok(!e.message.includes("pa55word"));
    assert.ok(!e.messages.join().includes("pa55word"));
    assert.ok(!JSON.stringify(e).includes("pa55word"));
  });

  it("flattens multi-line Harbor validation messages into one line", () => {
    const e = new HarborApiError({ status: 422, code: "UNPROCESSABLE_ENTITY", messages: ["validation failure list:\nregistry in body is required"], method: "POST", path: "/p" });
    assert.deepEqual(e.messages, ["validation failure list: registry in body is required"]);
  });
});

describe("other error classes", () => {
  it("HarborNetworkError keeps the cause and its code, and names the attempts", () => {
    const cause = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" });
    const e = new HarborNetworkError({ method: "GET", path: "/api/v2.0/systeminfo", code: "ECONNREFUSED", attempts: 5, cause, requestId: "r" });
    assert.equal(e.cause, cause);
    assert.equal(e.code, "ECONNREFUSED");
    assert.match(e.message, /GET \/api\/v2\.0\/systeminfo failed after 5 attempts: no response from Harbor \(ECONNREFUSED: connect ECONNREFUSED 127\.0\.0\.1:1\)\. Check harbor:url.*\(request id r\)\.$/);
  });

  it("HarborNetworkError suggests harbor:caCertificate for an untrusted certificate", () => {
    assert.match(new HarborNetworkError({ method: "GET", path: "/p", code: "DEPTH_ZERO_SELF_SIGNED_CERT" }).message, /harbor:caCertificate/);
  });

  it("HarborNetworkError redacts user-info that a cause message carries", () => {
    const e = new HarborNetworkError({ method: "GET", path: "/p", cause: new Error("cannot reach https://admin:pw@harbor") });
    assert.ok(!e.message.includes("admin:pw"), e.message);
  });

  it("HarborTimeoutError states the timeout", () => {
    const e = new HarborTimeoutError({ method: "GET", path: "/p", timeoutMs: 1500, requestId: "x" });
    assert.equal(e.timeoutMs, 1500);
    assert.match(e.message, /timed out after 1500 ms/);
  });

  it("HarborResponseShapeError names operation and field, never a value", () => {
    const e = new HarborResponseShapeError({ operation: "getRegistry", method: "GET", path: "/api/v2.0/registries/1", status: 200, issuePath: "credential.access_key", problem: "Invalid input: expected string, received number" });
    assert.match(e.message, /^getRegistry \(GET \/api\/v2\.0\/registries\/1\) got a 200 answer whose credential\.access_key is invalid/);
  });

  it("ConnectionTestError names the field and redacts the reason", () => {
    const e = new ConnectionTestError({ field: "accessSecret", reason: "the registry refused key AKIA/xyz secret s3cr3t", secrets: ["s3cr3t"] });
    assert.equal(e.field, "accessSecret");
    assert.ok(!e.reason.includes("s3cr3t") && !e.message.includes("s3cr3t"));
    assert.match(e.message, /^Connection test failed at accessSecret: /);
  });
});

describe("error guards", () => {
  const samples = {
    HarborApiError: new HarborApiError({ status: 500, method: "GET", path: "/" }),
    HarborNetworkError: new HarborNetworkError({ method: "GET", path: "/" }),
    HarborTimeoutError: new HarborTimeoutError({ method: "GET", path: "/", timeoutMs: 1 }),
    HarborResponseShapeError: new HarborResponseShapeError({ operation: "o", method: "GET", path: "/", status: 200, issuePath: "", problem: "p" }),
    ConnectionTestError: new ConnectionTestError({ field: "f", reason: "r" }),
  };
  const guards = {
    HarborApiError: isHarborApiError,
    HarborNetworkError: isHarborNetworkError,
    HarborTimeoutError: isHarborTimeoutError,
    HarborResponseShapeError: isHarborResponseShapeError,
    ConnectionTestError: isConnectionTestError,
  };

  it("each guard accepts exactly its own class, and errorKind equals the class name", () => {
    for (const [kind, error] of Object.entries(samples)) {
      assert.equal(error.errorKind, kind);
      assert.equal(error.name, kind);
      for (const [guardKind, guard] of Object.entries(guards)) assert.equal(guard(error), guardKind === kind, `${guardKind}(${kind})`);
      assert.ok(isHarborEndpointsError(error));
    }
  });

  it("guards check the brand, so a copy from another module instance is recognised", () => {
    const foreign = { errorKind: "HarborApiError", status: 404, message: "x" };
    assert.ok(isHarborApiError(foreign));
    assert.ok(isHarborEndpointsError(foreign));
  });

  it("guards reject plain errors and non-objects", () => {
    for (const v of [new Error("x"), null, undefined, "HarborApiError", { errorKind: "Other" }]) {
      assert.ok(!isHarborEndpointsError(v));
      assert.ok(!isHarborApiError(v));
    }
  });
});
