// Size guarantees in the exported state under the real CLI: a small __provider and accessSecret as ciphertext.
// The figures themselves (sizes, times, requests per operation) come from scripts/measure.sh, not from this test.
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { createProject, E2eProject, requireEngine } from "../support/engine";
import { startHarborTarget, type HarborTarget } from "../support/harbor-target";
import type { EndpointSpec } from "./programs/endpoints";

const COUNT = 3;
const SECRET_PREFIX = "measure-canary-secret";

interface ExportedResource {
    type: string;
    inputs?: Record<string, unknown>;
    outputs?: Record<string, unknown>;
}

describe("e2e: exported state of RegistryEndpoints", function () {
    this.timeout(120_000);
    let project: E2eProject;
    let target: HarborTarget;
    let endpoints: ExportedResource[];
    let exportedText: string;

    before(async function () {
        const engine = requireEngine(this);
        target = await startHarborTarget();
        project = await createProject(engine, { name: "harbor-measure", program: path.join(__dirname, "programs", "endpoints.js") });
        const stack = await project.stack("measure");
        // huawei-SWR is healthy in Harbor without network traffic.
        const specs: EndpointSpec[] = Array.from({ length: COUNT }, (_, i) => ({
            logical: target.name(`m-${i}`),
            args: { providerName: "huawei-SWR", endpointUrl: `https://swr-${i}.example.com`, accessId: "cn-north-4@AK", description: `endpoint ${i}` },
        }));
        await stack.setAllConfig({
            "harbor:url": { value: target.url },
            "harbor:username": { value: target.username },
            "harbor:password": { value: target.password, secret: true },
            "e2e:endpoints": { value: JSON.stringify(specs) },
            "e2e:secrets": { value: JSON.stringify(Object.fromEntries(specs.map((s) => [s.logical, `${SECRET_PREFIX}-${s.logical}`]))), secret: true },
        });
        const up = await stack.up();
        assert.equal(up.summary.resourceChanges?.create, COUNT + 1);
        const exported = project.exportStack("measure");
        exportedText = exported.text;
        endpoints = (exported.deployment as { deployment: { resources: ExportedResource[] } }).deployment.resources.filter(
            (r) => r.type === "pulumi-nodejs:dynamic/harbor:RegistryEndpoint",
        );
        await stack.destroy();
    });
    after(async () => {
        project?.dispose();
        await target?.close();
    });

    it("keeps the serialized __provider of every endpoint under 16 KB", () => {
        assert.equal(endpoints.length, COUNT);
        for (const r of endpoints) {
            const size = String(r.inputs?.__provider ?? "").length;
            assert.ok(size > 0, "no __provider in the resource's inputs");
            assert.ok(size < 16 * 1024, `__provider is ${size} bytes, over 16 KB`);
        }
    });

    it("stores accessSecret as ciphertext in inputs and outputs, never in plain text", () => {
        for (const r of endpoints) {
            for (const where of [r.inputs, r.outputs]) {
                const secret = where?.accessSecret as Record<string, unknown> | undefined;
                assert.equal(secret?.["4dabf18193072939515e22adb298388d"], "1b47061264138c4ac30d75fd1eb44270");
                assert.equal(typeof secret?.ciphertext, "string");
            }
        }
        assert.ok(!exportedText.includes(SECRET_PREFIX), "a plain-text accessSecret is in the exported state");
    });

    it("destroy leaves no endpoint in Harbor", async () => {
        assert.deepEqual(await target.rest.list(), []);
    });
});
