// Proves the e2e harness: the real CLI runs a Node program and a dynamic provider, secrets stay ciphertext.
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { createProject, E2eProject, EngineLocation, requireEngine } from "../support/engine";

describe("e2e: the Pulumi engine on this machine", function () {
    this.timeout(120_000);
    let project: E2eProject;
    let engine: EngineLocation;

    before(async function () {
        engine = requireEngine(this);
        project = await createProject(engine, { name: "smoke", program: path.join(__dirname, "programs", "smoke.js") });
    });
    after(() => project?.dispose());

    it("runs up and destroy of a program with a dynamic provider and stores its secret input encrypted", async function () {
        const stack = await project.stack("dev");
        await stack.setConfig("smoke:label", { value: "hello" });
        await stack.setConfig("smoke:token", { value: "smoke-canary-7f3a", secret: true });
        const up = await stack.up();
        assert.equal(up.summary.result, "succeeded");
        assert.equal(up.outputs.created.value, true);
        assert.equal(up.outputs.label.value, "hello");
        const state = project.exportStack("dev").text.replace(/\s+/g, "");
        assert.ok(!state.includes("smoke-canary-7f3a"), "the secret appears in plain text in the state");
        assert.match(state, /"token":\{"4dabf18193072939515e22adb298388d":"1b47061264138c4ac30d75fd1eb44270","ciphertext":/);
        for (const f of project.backendFiles()) {
            assert.ok(!f.text.includes("smoke-canary-7f3a"), `${f.file} holds the secret in plain text`);
        }
        const destroy = await stack.destroy();
        assert.equal(destroy.summary.result, "succeeded");
        assert.ok(!project.output.join("\n").includes("smoke-canary-7f3a"));
        assert.ok(!project.providerStderr(this).includes("smoke-canary-7f3a"), "provider stderr holds the secret");
    });

    it("finds its language and provider hosts next to the CLI: no \"using ... from $PATH\" warning", function () {
        if (engine.pathEntries.length > 1) {
            // An ambient pulumi without a Node.js host: scripts/language-host is appended to PATH and the CLI warns.
            this.skip();
        }
        const text = project.output.join("\n");
        assert.ok(project.output.length > 0, "no engine output was recorded");
        assert.doesNotMatch(text, /using pulumi-[a-z-]+ from \$PATH/);
    });
});
