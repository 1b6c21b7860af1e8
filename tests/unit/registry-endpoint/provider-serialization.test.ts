// Unit tests of the serialized provider (`__provider`): its size, what it must not contain, and that it loads lazily.
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { registryEndpointProvider } from "../../../provider";
import { UNKNOWN } from "../../../provider/registry-endpoint/schema";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const requireFromString: (code: string) => { handler(): pulumi.dynamic.ResourceProvider } = require("require-from-string");

/** Serializes the provider exactly as pulumi.dynamic.Resource does for every resource. */
async function serializeProvider(): Promise<string> {
  const sf = await pulumi.runtime.serializeFunction(() => registryEndpointProvider, { allowSecrets: true });
  return sf.text;
}

describe("serialized provider (__provider)", () => {
  let text: string;
  before(async function () {
    this.timeout(60000);
    text = await serializeProvider();
  });

  it("stays under 16 KB per resource", () => {
    const size = Buffer.byteLength(text, "utf8");
    process.stdout.write(`      __provider size: ${size} bytes\n`);
    assert.ok(size < 16 * 1024, `__provider is ${size} bytes`);
  });

  it("captures no implementation, client or Harbor setting, only the loader", () => {
    for (const absent of ["HarborClient", "checkRegistryEndpoint", "zod", "undici", "HARBOR_PASSWORD", "harbor:password"]) {
      assert.ok(!text.includes(absent), `serialized provider mentions ${absent}`);
    }
    assert.match(text, /pulumi-harbor-endpoints\/provider/);
  });

  it("loads from the serialized text the way the dynamic-provider host does and runs a method", async () => {
    const provider = requireFromString(text).handler();
    const d = await provider.diff!("1", { providerName: "harbor", name: "a", endpointUrl: "https://a" }, { providerName: "docker-registry", name: "a", endpointUrl: "https://a", connectionTest: "never" });
    // connectionTest "never": a changed providerName would otherwise be tested from diff, which needs a Harbor.
    assert.deepEqual(d, {
      changes: true, replaces: ["providerName"], deleteBeforeReplace: true,
      detailedDiff: { providerName: { kind: "update-replace", inputDiff: true }, connectionTest: { kind: "update", inputDiff: true } },
    });
  });

  it("runs check through the serialized provider: without any Harbor setting it fails once, naming the keys to set", async () => {
    const provider = requireFromString(text).handler();
    const r = await provider.check!({}, { providerName: "harbor", name: "a", endpointUrl: UNKNOWN });
    assert.equal(r.failures?.length, 1);
    assert.equal(r.failures![0]!.property, "");
    assert.match(r.failures![0]!.reason, /^the Harbor connection is not configured: set harbor:url \(or HARBOR_URL\), harbor:username/);
  });
});

/**
 * The package as npm lays it out in a user's project: node_modules/pulumi-harbor-endpoints with its package.json (the
 * `exports` map) and compiled files, serialized by a program running in that project in a fresh process (the
 * serializer resolves module paths against the process cwd and the require cache), then loaded from the text the way
 * the dynamic-provider host does. `preserveSymlinks`: @pulumi/pulumi (linked from this checkout) resolves this package
 * from the project, as a real install does; without it, it finds this checkout instead and the serializer falls back
 * to the file's path inside the package, which the `exports` map must make requirable too (pnpm-like layouts).
 */
function serializeInstalled(preserveSymlinks: boolean): { text: string; same: boolean; diff: unknown } {
  const fs = require("node:fs") as typeof import("node:fs");
  const os = require("node:os") as typeof import("node:os");
  const path = require("node:path") as typeof import("node:path");
  const { spawnSync } = require("node:child_process") as typeof import("node:child_process");
  const repo = path.resolve(__dirname, "..", "..", "..", "..");
  const project = fs.mkdtempSync(path.join(os.tmpdir(), "installed-provider-"));
  try {
    const pkg = path.join(project, "node_modules", "pulumi-harbor-endpoints");
    fs.mkdirSync(path.join(pkg, "dist"), { recursive: true });
    fs.copyFileSync(path.join(repo, "package.json"), path.join(pkg, "package.json"));
    for (const dir of ["provider", "sdk"]) fs.cpSync(path.join(repo, "dist", dir), path.join(pkg, "dist", dir), { recursive: true });
    fs.symlinkSync(path.join(repo, "node_modules", "@pulumi"), path.join(project, "node_modules", "@pulumi"), "dir");
    fs.writeFileSync(
      path.join(project, "program.js"),
      `const pulumi = require("@pulumi/pulumi");
const { registryEndpointProvider } = require("pulumi-harbor-endpoints/provider");
pulumi.runtime.serializeFunction(() => registryEndpointProvider, { allowSecrets: true }).then(async (sf) => {
  const loaded = require(${JSON.stringify(path.join(repo, "node_modules", "require-from-string"))})(sf.text, require("path").join(process.cwd(), "provider.js")).handler();
  const diff = await loaded.diff("1", { providerName: "harbor", name: "a", endpointUrl: "https://a" }, { providerName: "docker-registry", name: "a", endpointUrl: "https://a", connectionTest: "never" });
  process.stdout.write(JSON.stringify({ text: sf.text, same: loaded === require("pulumi-harbor-endpoints/provider/dynamic"), diff }));
});
`,
    );
    // The implementation's own dependencies (zod, undici) come from this checkout, as NODE_PATH does in the e2e projects.
    const args = preserveSymlinks ? ["--preserve-symlinks", "program.js"] : ["program.js"];
    const r = spawnSync(process.execPath, args, { cwd: project, encoding: "utf8", env: { ...process.env, NODE_PATH: path.join(repo, "node_modules") } });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout) as { text: string; same: boolean; diff: unknown };
  } finally {
    fs.rmSync(project, { recursive: true, force: true });
  }
}

for (const [label, preserveSymlinks, modulePath] of [
  ["as npm installs it", true, "pulumi-harbor-endpoints/provider/dynamic"],
  ["when @pulumi/pulumi cannot resolve the package by name", false, "pulumi-harbor-endpoints/dist/provider/dynamic.js"],
] as const) {
  describe(`serialized provider (__provider) of an installed package, ${label}`, () => {
    let result: { text: string; same: boolean; diff: unknown };
    before(function () {
      this.timeout(60000);
      result = serializeInstalled(preserveSymlinks);
    });

    it(`is a require() of ${modulePath}, at most 512 bytes, with no code of the provider`, () => {
      const size = Buffer.byteLength(result.text, "utf8");
      assert.ok(size <= 512, `__provider is ${size} bytes:\n${result.text}`);
      assert.ok(result.text.includes(`require(${JSON.stringify(modulePath)})`), result.text);
      assert.doesNotMatch(result.text, /loadRegistryEndpointProvider|async check/);
    });

    it("loads from the text as the installed module itself and runs a method", () => {
      assert.equal(result.same, true);
      const { detailedDiff, ...diff } = result.diff as Record<string, unknown>;
      assert.deepEqual(diff, { changes: true, replaces: ["providerName"], deleteBeforeReplace: true });
      assert.deepEqual((detailedDiff as Record<string, { kind: string }>).providerName, { kind: "update-replace", inputDiff: true });
    });
  });
}
