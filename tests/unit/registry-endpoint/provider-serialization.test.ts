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
    const d = await provider.diff!("1", { providerName: "harbor", name: "a", endpointUrl: "https://a" }, { providerName: "docker-registry", name: "a", endpointUrl: "https://a" });
    assert.deepEqual(d, { changes: true, replaces: ["providerName"], deleteBeforeReplace: true });
  });

  it("runs check through the serialized provider without any Harbor setting when nothing needs the network", async () => {
    const provider = requireFromString(text).handler();
    const r = await provider.check!({}, { providerName: "harbor", name: "a", endpointUrl: UNKNOWN });
    assert.deepEqual(r.failures ?? [], []);
  });
});
