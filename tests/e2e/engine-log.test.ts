// The provider's engine log under the real Pulumi CLI: preview says why a connection test was skipped, refresh warns of credential drift.
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { Stack } from "@pulumi/pulumi/automation";
import { createProject, E2eProject, requireEngine, tearDownSuite } from "../support/engine";
import { startHarborTarget, type HarborTarget } from "../support/harbor-target";

const run = Date.now().toString(36);
const HARBOR_PASSWORD = `LogHarborCanary-${run}-pw`;
const SECRET = `LogSecretCanary-${run}-s1`;
const OUT_OF_BAND_SECRET = `LogOobCanary-${run}-s2`;

/** Engine output lines that mention `needle`. */
function linesWith(output: string, needle: string): string[] {
    return output.split("\n").filter((l) => l.includes(needle));
}

describe("e2e: provider messages in the Pulumi engine output", function () {
    this.timeout(180_000);
    let project: E2eProject;
    let stack: Stack;
    let target: HarborTarget;
    // Against an external Harbor its admin password is the Harbor canary.
    let canaries: string[] = [];
    const first = () => `"${target.name("log-first")}"`;
    const second = () => `"${target.name("log-second")}"`;

    before(async function () {
        const engine = requireEngine(this);
        target = await startHarborTarget({ simulator: { adminPassword: HARBOR_PASSWORD } });
        canaries = [target.password, SECRET, OUT_OF_BAND_SECRET];
        project = await createProject(engine, { name: "engine-log", program: path.join(__dirname, "programs", "engine-log.js") });
        stack = await project.stack("log");
        await stack.setAllConfig({
            "harbor:url": { value: target.url },
            "harbor:username": { value: target.username },
            "harbor:password": { value: target.password, secret: true },
            "e2e:secret": { value: SECRET, secret: true },
            "e2e:prefix": { value: target.name("") },
        });
    });

    after(() => tearDownSuite(stack, project, [target]));

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
        target.sim?.resetRequests();
        const text = await outputOf((onOutput) => stack.preview({ onOutput }));
        const skipped = linesWith(text, `RegistryEndpoint ${second()}: connection test skipped: accessSecret is not known during preview`);
        assert.ok(skipped.length > 0, `no skip message in the preview output:\n${text}`);
        assert.match(skipped[0]!, /`pulumi up` checks the endpoint again once it is known\./);
        // log-first has connectionTest "never": not worth a message.
        assert.deepEqual(linesWith(text, first()), []);
        if (target.sim) assert.ok(!target.sim.requests.some((r) => r.path.endsWith("/registries/ping")), "a skipped connection test still pinged Harbor");
    });

    it("refresh after an out-of-band secret change warns, and the next up re-sends the secret", async () => {
        const up = await stack.up();
        assert.equal(up.summary.result, "succeeded");
        const ids = up.outputs.ids.value as { first: number; second: number };
        const desired = `${SECRET}-after-${ids.first}`;
        if (target.sim) assert.equal(target.sim.storedRegistry(ids.second)?.accessSecret, desired);

        // Harbor's update_time has millisecond resolution; keep the edit clearly after Pulumi's last write.
        await new Promise((r) => setTimeout(r, 50));
        await target.rest.update(ids.second, { access_secret: OUT_OF_BAND_SECRET });
        const refreshText = await outputOf((onOutput) => stack.refresh({ onOutput }));
        const warnings = linesWith(refreshText, `warning: RegistryEndpoint ${second()} (Harbor id ${ids.second}) was modified in Harbor at `);
        assert.ok(warnings.length > 0, `no drift warning in the refresh output:\n${refreshText}`);
        assert.match(warnings[0]!, /its credentials may have been changed outside Pulumi; the next `pulumi up` will re-send accessSecret to re-assert them\.$/);
        assert.deepEqual(linesWith(refreshText, first()), [], "the untouched endpoint was reported");

        const reassert = await stack.up();
        assert.deepEqual(reassert.summary.resourceChanges?.update, 1);
        if (target.sim) assert.equal(target.sim.storedRegistry(ids.second)?.accessSecret, desired, "the next up did not re-send the secret");

        const quiet = await outputOf((onOutput) => stack.refresh({ onOutput }));
        assert.deepEqual(linesWith(quiet, "may have been changed outside Pulumi"), [], "the warning outlived the up that re-asserted the secret");
    });

    it("no canary secret appears in any engine output, provider stderr or state", function () {
        const everything = [project.output.join("\n"), project.exportStack("log").text, project.providerStderr(this)].join("\n");
        for (const canary of canaries) {
            assert.ok(!everything.includes(canary), "a canary secret leaked");
        }
    });
});
