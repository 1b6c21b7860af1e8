// Property: any inputs check accepts survive the trip to Harbor and back unchanged: create stores exactly the checked
// values, the outputs read back equal them, and the next diff finds nothing to change.
import * as assert from "node:assert/strict";
import fc from "fast-check";
import { createRegistryEndpointProvider, type RegistryEndpointProviderImplementation } from "../../../provider/provider";
import type { HarborSimulator } from "../../../simulator";
import { canary } from "../../support/canary";
import { startTestSimulator } from "../../support/sim";
import { skipAgainstExternalHarbor } from "../../support/harbor-target";

const text = (maxLength: number) => fc.string({ unit: "grapheme", maxLength });
const inputs = fc.record({
  name: fc.string({ unit: "grapheme", minLength: 1, maxLength: 20 }),
  description: fc.option(text(60), { nil: undefined }),
  host: fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?(\.[a-z0-9]{1,8}){0,2}$/),
  port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
  path: fc.array(fc.stringMatching(/^[A-Za-z0-9._~-]{1,8}$/), { maxLength: 3 }),
  accessId: fc.option(fc.stringMatching(/^[A-Za-z0-9@._$+-]{1,40}$/), { nil: undefined }),
  accessSecret: fc.option(text(80), { nil: undefined }),
  insecure: fc.boolean(),
});

describe("input ↔ Harbor round trip (property-based, against the simulator)", function () {
  this.timeout(120_000);
  let sim: HarborSimulator;
  let provider: RegistryEndpointProviderImplementation;
  const password = canary("round-trip-password");
  before(async function () {
    skipAgainstExternalHarbor(this, "the simulator's store, to compare what Harbor holds");
    sim = await startTestSimulator({ adminPassword: password });
    provider = createRegistryEndpointProvider({ env: { HARBOR_URL: sim.url, HARBOR_USERNAME: "admin", HARBOR_PASSWORD: password, HARBOR_CONNECTION_TEST: "never" } });
  });
  after(async () => {
    await provider?.close();
    await sim?.close();
  });

  it("stores exactly what check accepted and reads it back with no diff", async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(inputs, async (i) => {
        const news: Record<string, unknown> = {
          providerName: "huawei-SWR",
          name: i.name,
          description: i.description,
          endpointUrl: `https://${i.host}${i.port ? `:${i.port}` : ""}${i.path.map((p) => `/${p}`).join("")}/`,
          accessId: i.accessId ?? (i.accessSecret ? "id" : undefined),
          accessSecret: i.accessSecret,
          insecure: i.insecure,
        };
        const checked = await provider.check({}, news);
        // Inputs check refuses are the corpus's business; here only accepted ones matter.
        if ((checked.failures ?? []).length > 0) return;
        accepted++;
        const c = checked.inputs as Record<string, unknown>;
        const { id, outs } = await provider.create(c);
        try {
          const o = outs as Record<string, unknown>;
          for (const key of ["providerName", "name", "description", "endpointUrl", "accessId", "accessSecret", "insecure"]) {
            assert.deepEqual(o[key], c[key], key);
          }
          const stored = sim.storedRegistry(Number(id))!;
          assert.equal(stored.name, c.name);
          assert.equal(stored.url, c.endpointUrl);
          assert.equal(stored.description, c.description ?? "");
          assert.equal(stored.accessKey, c.accessId ?? "");
          assert.equal(stored.accessSecret, c.accessId ? (c.accessSecret ?? "") : "");
          const diff = await provider.diff(id, o, c);
          assert.ok(!diff.changes, `diff after create: ${JSON.stringify(diff)}`);
          const read = await provider.read(id, o);
          assert.ok(!(await provider.diff(id, read.props as Record<string, unknown>, c)).changes, "diff after refresh");
        } finally {
          await provider.delete(id, outs as Record<string, unknown>);
        }
      }),
      { numRuns: 80 },
    );
    assert.ok(accepted >= 40, `only ${accepted} of 80 generated inputs passed check`);
  });
});
