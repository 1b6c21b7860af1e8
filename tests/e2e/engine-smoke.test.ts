// Proves the e2e harness: the real CLI runs a Node program and a dynamic provider, secrets stay ciphertext.
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { createProject, E2eProject, requireEngine } from "../support/engine";

describe("e2e: the Pulumi engine on this machine", function () {
    this.timeout(120_000);
    let project: E2eProject;

    before(async function () {
        const engine = requireEngine(this);
        project = await createProject(engine, { name: "smoke", program: path.join(__dirname, "programs", "smoke.js") });
    });
    after(() => project?.dispose());

    it("runs up and destroy of a program with a dynamic provider and stores its secret input encrypted", async () => {
        const stack = await project.stack("dev");
        await stack.setConfig("smoke:label", { value: "hello" });
        await stack.setConfig("smoke:token", { value: "smoke-canary-7f3a", secret: true });
        const up = await stack.up({ onOutput: project.onOutput });
        assert.equal(up.summary.result, "succeeded");
        assert.equal(up.outputs.created.value, true);
        assert.equal(up.outputs.label.value, "hello");
        const state = project.exportStack("dev").text.replace(/\s+/g, "");
        assert.ok(!state.includes("smoke-canary-7f3a"), "the secret appears in plain text in the state");
        assert.match(state, /"token":\{"4dabf18193072939515e22adb298388d":"1b47061264138c4ac30d75fd1eb44270","ciphertext":/);
        for (const f of project.backendFiles()) {
            assert.ok(!f.text.includes("smoke-canary-7f3a"), `${f.file} holds the secret in plain text`);
        }
        const destroy = await stack.destroy({ onOutput: project.onOutput });
        assert.equal(destroy.summary.result, "succeeded");
        assert.ok(!project.output.join("\n").includes("smoke-canary-7f3a"));
    });
});
