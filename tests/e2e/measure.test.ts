// Measures, under the real CLI: state bytes per endpoint, the __provider size, and wall time of `up` for 50 endpoints.
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { startHarborSimulator, HarborSimulator } from "../../simulator";
import { createProject, E2eProject, requireEngine } from "../support/engine";
import type { EndpointSpec } from "./programs/endpoints";

const COUNT = 50;

describe("e2e: state size and up time for 50 endpoints", function () {
    this.timeout(300_000);
    let project: E2eProject;
    let sim: HarborSimulator;

    before(async function () {
        const engine = requireEngine(this);
        sim = await startHarborSimulator();
        project = await createProject(engine, { name: "harbor-measure", program: path.join(__dirname, "programs", "endpoints.js") });
    });
    after(async () => {
        project?.dispose();
        await sim?.close();
    });

    it(`creates ${COUNT} endpoints with a small __provider and reports the figures`, async () => {
        const stack = await project.stack("measure");
        // huawei-SWR is always healthy in Harbor without network traffic, so the figures measure our code and the engine.
        const specs: EndpointSpec[] = Array.from({ length: COUNT }, (_, i) => ({
            logical: `m-${String(i).padStart(2, "0")}`,
            args: { providerName: "huawei-SWR", endpointUrl: `https://swr-${i}.example.com`, accessId: "cn-north-4@AK", description: `endpoint ${i}` },
        }));
        const secrets = Object.fromEntries(specs.map((s) => [s.logical, `measure-secret-${s.logical}`]));
        await stack.setAllConfig({
            "harbor:url": { value: sim.url },
            "harbor:username": { value: sim.username },
            "harbor:password": { value: sim.password, secret: true },
            "e2e:endpoints": { value: JSON.stringify(specs) },
            "e2e:secrets": { value: JSON.stringify(secrets), secret: true },
        });
        const started = Date.now();
        const up = await stack.up({ onOutput: project.onOutput });
        const upMs = Date.now() - started;
        assert.equal(up.summary.resourceChanges?.create, COUNT + 1);

        const exported = project.exportStack("measure");
        const resources = (exported.deployment as { deployment: { resources: { type: string; inputs?: Record<string, unknown> }[] } }).deployment.resources;
        const endpoints = resources.filter((r) => r.type === "pulumi-nodejs:dynamic/harbor:RegistryEndpoint");
        assert.equal(endpoints.length, COUNT);
        const perEndpoint = endpoints.map((r) => JSON.stringify(r).length);
        const providerSizes = endpoints.map((r) => String(r.inputs?.__provider ?? "").length);
        const avg = (xs: number[]): number => Math.round(xs.reduce((a, b) => a + b, 0) / xs.length);
        const figures = {
            endpoints: COUNT,
            upWallMs: upMs,
            stateBytesTotal: Buffer.byteLength(exported.text),
            stateBytesPerEndpoint: avg(perEndpoint),
            providerBytesPerEndpoint: avg(providerSizes),
        };
        // Printed for the closing note of the e2e issue.
        console.log(`      figures: ${JSON.stringify(figures)}`);
        assert.ok(figures.providerBytesPerEndpoint > 0 && figures.providerBytesPerEndpoint < 16 * 1024, "the __provider closure is over 16 KB");

        const destroyStarted = Date.now();
        await stack.destroy({ onOutput: project.onOutput });
        console.log(`      destroy of ${COUNT}: ${Date.now() - destroyStarted} ms`);
        assert.equal(sim.storedRegistries().length, 0);
    });
});
