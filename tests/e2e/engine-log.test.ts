// The provider's engine log under the real Pulumi CLI: preview says why a connection test was skipped, refresh warns of credential drift.
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { Stack } from "@pulumi/pulumi/automation";
import { startHarborSimulator, HarborSimulator } from "../../simulator";
import { createProject, E2eProject, requireEngine, tearDownSuite } from "../support/engine";
import { HarborRest } from "./harbor-rest";

const run = Date.now().toString(36);
const HARBOR_PASSWORD = `LogHarborCanary-${run}-pw`;
const SECRET = `LogSecretCanary-${run}-s1`;
const OUT_OF_BAND_SECRET = `LogOobCanary-${run}-s2`;
const CANARIES = [HARBOR_PASSWORD, SECRET, OUT_OF_BAND_SECRET];

/** Engine output lines that mention `needle`. */
function linesWith(output: string, needle: string): string[] {
    return output.split("\n").filter((l) => l.includes(needle));
}

describe("e2e: provider messages in the Pulumi engine output", function () {
    this.timeout(180_000);
    let project: E2eProject;
    let stack: Stack;
    let sim: HarborSimulator;
    let rest: HarborRest;

    before(async function () {
        const engine = requireEngine(this);
        sim = await startHarborSimulator({ adminPassword: HARBOR_PASSWORD });
        rest = new HarborRest(sim);
        project = await createProject(engine, { name: "engine-log", program: path.join(__dirname, "programs", "engine-log.js") });
        stack = await project.stack("log");
        await stack.setAllConfig({
            "harbor:url": { value: sim.url },
            "harbor:username": { value: sim.username },
            "harbor:password": { value: HARBOR_PASSWORD, secret: true },
            "e2e:secret": { value: SECRET, secret: true },
        });
    });

    after(() => tearDownSuite(stack, project, [sim]));

    /** Runs one Automation API operation and returns the engine output it printed. */
    async function outputOf(op: (onOutput: (chunk: string) => void) => Promise<unknown>): Promise<string> {
        let text = "";
        // The harness records the chunks for the secret scan as well.
        await op((chunk) => {
            text += chunk;
        });
        return text;
    }

    it("preview of a fresh stack says the connection test of the endpoint with an unknown accessSecret was skipped", async () => {
        sim.resetRequests();
        const text = await outputOf((onOutput) => stack.preview({ onOutput }));
        const skipped = linesWith(text, 'RegistryEndpoint "log-second": connection test skipped: accessSecret is not known during preview');
        assert.ok(skipped.length > 0, `no skip message in the preview output:\n${text}`);
        assert.match(skipped[0]!, /`pulumi up` checks the endpoint again once it is known\./);
        // log-first has connectionTest "never": not worth a message.
        assert.deepEqual(linesWith(text, '"log-first"'), []);
        assert.ok(!sim.requests.some((r) => r.path.endsWith("/registries/ping")), "a skipped connection test still pinged Harbor");
    });

    it("refresh after an out-of-band secret change warns, and the next up re-sends the secret", async () => {
        const up = await stack.up();
        assert.equal(up.summary.result, "succeeded");
        const ids = up.outputs.ids.value as { first: number; second: number };
        const desired = `${SECRET}-after-${ids.first}`;
        assert.equal(sim.storedRegistry(ids.second)?.accessSecret, desired);

        // Harbor's update_time has millisecond resolution; keep the edit clearly after Pulumi's last write.
        await new Promise((r) => setTimeout(r, 50));
        await rest.update(ids.second, { access_secret: OUT_OF_BAND_SECRET });
        const refreshText = await outputOf((onOutput) => stack.refresh({ onOutput }));
        const warnings = linesWith(refreshText, `warning: RegistryEndpoint "log-second" (Harbor id ${ids.second}) was modified in Harbor at `);
        assert.ok(warnings.length > 0, `no drift warning in the refresh output:\n${refreshText}`);
        assert.match(warnings[0]!, /its credentials may have been changed outside Pulumi; the next `pulumi up` will re-send accessSecret to re-assert them\.$/);
        assert.deepEqual(linesWith(refreshText, '"log-first"'), [], "the untouched endpoint was reported");

        const reassert = await stack.up();
        assert.deepEqual(reassert.summary.resourceChanges?.update, 1);
        assert.equal(sim.storedRegistry(ids.second)?.accessSecret, desired, "the next up did not re-send the secret");

        const quiet = await outputOf((onOutput) => stack.refresh({ onOutput }));
        assert.deepEqual(linesWith(quiet, "may have been changed outside Pulumi"), [], "the warning outlived the up that re-asserted the secret");
    });

    it("no canary secret appears in any engine output, provider stderr or state", function () {
        const everything = [project.output.join("\n"), project.exportStack("log").text, project.providerStderr(this)].join("\n");
        for (const canary of CANARIES) {
            assert.ok(!everything.includes(canary), "a canary secret leaked");
        }
    });
});
