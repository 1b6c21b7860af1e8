// Unit: how the real-Harbor mode reads HARBOR_TEST_* and names things (tests/support/harbor-target).
import * as assert from "node:assert/strict";
import { RUN_PREFIX, externalHarbor, skipAgainstExternalHarbor, skippedTitle } from "../../support/harbor-target";

describe("real-Harbor mode settings (HARBOR_TEST_*)", () => {
  it("is off without HARBOR_TEST_URL", () => {
    assert.equal(externalHarbor({}), undefined);
    assert.equal(externalHarbor({ HARBOR_TEST_URL: "", HARBOR_TEST_PASSWORD: "x" }), undefined);
  });

  it("reads URL (trailing slashes trimmed), username (default admin), password and remote host (default 127.0.0.1)", () => {
    assert.deepEqual(externalHarbor({ HARBOR_TEST_URL: "https://harbor.example.com//", HARBOR_TEST_PASSWORD: "pw" }), {
      url: "https://harbor.example.com", username: "admin", password: "pw", remoteHost: "127.0.0.1",
    });
    assert.deepEqual(
      externalHarbor({ HARBOR_TEST_URL: "https://h", HARBOR_TEST_USERNAME: "robot$ci", HARBOR_TEST_PASSWORD: "pw", HARBOR_TEST_REMOTE_HOST: "10.0.0.5" }),
      { url: "https://h", username: "robot$ci", password: "pw", remoteHost: "10.0.0.5" },
    );
  });

  it("refuses a URL without a password, naming the variable and not echoing anything secret", () => {
    assert.throws(() => externalHarbor({ HARBOR_TEST_URL: "https://h" }), /HARBOR_TEST_PASSWORD is not/);
  });

  it("prefixes names with a lower-case run prefix that Harbor accepts in project names", () => {
    assert.match(RUN_PREFIX, /^[a-z0-9]+-$/);
    assert.match(`${RUN_PREFIX}cache`, /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/);
  });
});

describe("real-Harbor mode skips (skipAgainstExternalHarbor)", () => {
  const VARS = ["HARBOR_TEST_URL", "HARBOR_TEST_PASSWORD"] as const;
  let saved: Record<string, string | undefined>;
  beforeEach(() => {
    saved = Object.fromEntries(VARS.map((v) => [v, process.env[v]]));
  });
  afterEach(() => {
    for (const v of VARS) {
      if (saved[v] === undefined) delete process.env[v];
      else process.env[v] = saved[v];
    }
  });
  /** A context whose skip() only records the call. */
  const fakeContext = (test: unknown) => {
    const ctx = { test, skipped: false, skip: () => void (ctx.skipped = true) };
    return ctx;
  };

  it("does nothing without HARBOR_TEST_URL", function () {
    delete process.env.HARBOR_TEST_URL;
    const ctx = fakeContext(this.test);
    skipAgainstExternalHarbor(ctx as unknown as Mocha.Context, "two Harbor simulators");
    assert.equal(ctx.skipped, false);
  });

  it("skips with HARBOR_TEST_URL set, saying on stderr against which Harbor and what the test needs", function () {
    process.env.HARBOR_TEST_URL = "http://127.0.0.1:1";
    process.env.HARBOR_TEST_PASSWORD = "unit-only";
    const ctx = fakeContext({ type: "test", title: "moves between Harbors" });
    const written: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((chunk: string) => written.push(chunk) > 0) as typeof process.stderr.write;
    try {
      skipAgainstExternalHarbor(ctx as unknown as Mocha.Context, "two Harbor simulators");
    } finally {
      process.stderr.write = write;
    }
    assert.equal(ctx.skipped, true);
    assert.deepEqual(written, ['      skipped against http://127.0.0.1:1: "moves between Harbors" needs two Harbor simulators\n']);
  });

  it("names the suite from a before-all hook and the test from a test or a before-each hook", () => {
    const parent = { fullTitle: () => "e2e: two Harbors" };
    const hook = (title: string) => ({ type: "hook", title, parent });
    const first = { title: "1. preview" };
    assert.equal(skippedTitle({ test: hook('"before all" hook in "e2e: two Harbors"'), currentTest: first } as never), "e2e: two Harbors");
    assert.equal(skippedTitle({ test: hook('"before each" hook for "1. preview"'), currentTest: first } as never), "1. preview");
    assert.equal(skippedTitle({ test: { type: "test", title: "2. up" } } as never), "2. up");
  });
});
