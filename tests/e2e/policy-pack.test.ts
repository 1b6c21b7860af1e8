// examples/policy-pack under the real Pulumi CLI: mandatory violations, re-levelling by config, CA expiry, unknowns, secret scan.
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { createProject, type E2eProject, type EngineLocation, requireEngine, tearDownSuite } from "../support/engine";
import { startHarborTarget, type HarborTarget } from "../support/harbor-target";
import { type InstalledPolicyPack, installPolicyPack } from "../support/policy-pack";
import { createCaCertificate } from "../support/tls";

const run = Date.now().toString(36);
// Canary secrets: the policies see accessSecret and the Harbor password unwrapped; neither may appear in any output.
// Against an external Harbor (HARBOR_TEST_URL) its password takes the simulator password's place as a canary.
const SIM_PASSWORD = `HarborCanary-${run}-policy`;
const CANARY = `PolicyCanary-${run}-secret`;

/** The engine's line for one policy violation: "[<level>]  <rule>  (<type>: <logical name>)". */
function violationLine(output: string, level: "mandatory" | "advisory", rule: string, logical: string): boolean {
    return new RegExp(`\\[${level}\\]\\s+${rule}\\s+\\(pulumi-nodejs:dynamic/harbor:RegistryEndpoint: ${logical}\\)`).test(output);
}

describe("e2e: the policy pack (examples/policy-pack) under the Pulumi CLI", function () {
    this.timeout(240_000);
    let engine: EngineLocation;
    let harbor: HarborTarget;
    let canaries: string[];
    let pack: InstalledPolicyPack;
    const projects: E2eProject[] = [];
    let configFile: string;

    /** A stack of `program` against the simulator, with the canary as secret config and `extra` config. */
    async function stackOf(name: string, program: string, extra: Record<string, string> = {}): Promise<{ project: E2eProject; stack: Stack }> {
        const project = await createProject(engine, { name, program });
        projects.push(project);
        const stack = await project.stack("policy");
        await stack.setAllConfig({
            "harbor:url": { value: harbor.url },
            "harbor:username": { value: harbor.username },
            "harbor:password": { value: harbor.password, secret: true },
            "e2e:canary": { value: CANARY, secret: true },
            ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, { value: v }])),
        });
        return { project, stack };
    }

    before(async function () {
        engine = requireEngine(this);
        // Only previews run, so nothing is created in Harbor (the programs' names need no run prefix).
        harbor = await startHarborTarget({ simulator: { adminPassword: SIM_PASSWORD } });
        canaries = [harbor.password, CANARY];
        pack = installPolicyPack();
        console.log(`      examples/policy-pack packed and installed in ${pack.installMs} ms`);
        configFile = path.join(pack.dir, "..", "both-mandatory-as-advisory.json");
        fs.writeFileSync(configFile, JSON.stringify({ "harbor-endpoint-tls-verified": "advisory", "harbor-endpoint-https": { enforcementLevel: "advisory" } }));
    });

    after(async () => {
        // Only previews ran: nothing exists in Harbor or in state to destroy.
        for (const project of projects) {
            await tearDownSuite(undefined, project, []);
        }
        pack?.cleanup();
        await harbor?.close();
    });

    let violations: { project: E2eProject; stack: Stack };

    it("fails the preview of an insecure plain-http endpoint with both mandatory violations, by rule name", async () => {
        violations = await stackOf("policy-violations", path.join(__dirname, "programs", "policy-pack.js"), { "e2e:scenario": "violations" });
        await assert.rejects(violations.stack.preview({ policyPacks: [pack.dir] }));
        const out = violations.project.output.join("\n");
        assert.ok(violationLine(out, "mandatory", "harbor-endpoint-tls-verified", "insecure-http"), out);
        assert.ok(violationLine(out, "mandatory", "harbor-endpoint-https", "insecure-http"), out);
        assert.match(out, /registry endpoint "insecure-http" \(resource "insecure-http"\): insecure is true/);
        assert.match(out, /endpointUrl http:\/\/registry\.internal\.example\.com:5000 uses plain http:\/\//);
    });

    it("notes a URL unknown during preview as 'cannot be checked until known', never as a violation", () => {
        const out = violations.project.output.join("\n");
        assert.ok(!violationLine(out, "mandatory", "harbor-endpoint-https", "mirror-of-insecure"), "a mandatory violation for a URL not yet known");
        assert.ok(violationLine(out, "advisory", "harbor-endpoint-https", "mirror-of-insecure"), out);
        assert.match(out, /registry endpoint "mirror-of-insecure" \(resource "mirror-of-insecure"\): endpointUrl cannot be checked until known/);
        assert.match(out, /the target of registry endpoint "mirror-of-insecure" \(resource "mirror-of-insecure"\) \(endpointUrl\) cannot be checked until known/);
    });

    it("passes the same preview with warnings when --policy-pack-config sets both mandatory rules to advisory", async () => {
        const before = violations.project.output.length;
        await violations.stack.preview({ policyPacks: [pack.dir], policyPackConfigs: [configFile] });
        const out = violations.project.output.slice(before).join("\n");
        assert.ok(violationLine(out, "advisory", "harbor-endpoint-tls-verified", "insecure-http"), out);
        assert.ok(violationLine(out, "advisory", "harbor-endpoint-https", "insecure-http"), out);
        assert.doesNotMatch(out, /\[mandatory\]/);
    });

    it("passes the quickstart, with the advisory for its endpoint that never tests its connection", async () => {
        const quickstart = await stackOf("policy-quickstart", path.join(__dirname, "..", "..", "examples", "quickstart", "index.js"));
        await quickstart.stack.preview({ policyPacks: [pack.dir] });
        const out = quickstart.project.output.join("\n");
        assert.doesNotMatch(out, /\[mandatory\]/);
        assert.ok(violationLine(out, "advisory", "harbor-endpoint-connection-test-enabled", "huawei-swr"), out);
    });

    it("gives the CA-validity advisory for a CA bundle expiring in 10 days", async () => {
        const ca = await stackOf("policy-ca", path.join(__dirname, "programs", "policy-pack.js"), {
            "e2e:scenario": "ca",
            "e2e:caCertificate": createCaCertificate("expiring-ca", 10),
        });
        await ca.stack.preview({ policyPacks: [pack.dir] });
        const out = ca.project.output.join("\n");
        assert.ok(violationLine(out, "advisory", "harbor-endpoint-ca-certificate-valid", "swr-private-ca"), out);
        assert.match(out, /caCertificate block 1 of 1 \("CN=expiring-ca"\) expires on \d{4}-\d\d-\d\d, in (9|10) days, less than the required 30/);
        assert.doesNotMatch(out, /\[mandatory\]/);
    });

    it("compiles the ./policy declarations as a user's project does: strict, no skipLibCheck, no esModuleInterop", () => {
        // Pulumi's TypeScript template settings (moduleResolution "node": typesVersions maps the subpath). The previews
        // above already type-check the pack's index.ts, but ts-node reports nothing inside .d.ts files; tsc does. Only
        // our entry is imported: @pulumi/policy's own index.d.ts needs skipLibCheck (see the example's tsconfig).
        const dir = path.join(pack.dir, "declarations-check");
        fs.mkdirSync(dir);
        fs.writeFileSync(
            path.join(dir, "check.ts"),
            [
                'import { registryEndpointPolicies, harborEndpointHttps, type HttpsConfig, REGISTRY_ENDPOINT_TYPE } from "pulumi-harbor-endpoints/policy";',
                'const config: HttpsConfig = { exemptHosts: ["*.lab.example.com"] };',
                'export const pack = [...registryEndpointPolicies, { ...harborEndpointHttps, enforcementLevel: "advisory" as const }];',
                "export const used = [config, REGISTRY_ENDPOINT_TYPE];",
                "",
            ].join("\n"),
        );
        const tsc = path.join(pack.dir, "node_modules", "typescript", "bin", "tsc");
        const compilerOptions = { strict: true, noEmit: true, target: "es2020", module: "commonjs", moduleResolution: "node", noImplicitReturns: true, forceConsistentCasingInFileNames: true };
        fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, files: ["check.ts"] }));
        const r = spawnSync(process.execPath, [tsc, "-p", dir], { encoding: "utf8" });
        assert.equal(r.status, 0, `tsc: ${r.stdout}${r.stderr}`);
    });

    it("secret scan: no canary in any engine output, policy message or provider stderr", function () {
        assert.ok(projects.length === 3, "every preview above ran");
        for (const project of projects) {
            const text = project.output.join("\n");
            assert.ok(text.includes("Policies:") || text.includes("harbor-endpoints@v0.1.0"), "the scan reads the policy output");
            for (const canary of canaries) {
                assert.ok(!text.includes(canary), "engine output holds a canary secret in plain text");
            }
        }
        for (const project of projects) {
            const providerStderr = project.providerStderr(this);
            for (const canary of canaries) {
                assert.ok(!providerStderr.includes(canary), "provider stderr holds a canary secret in plain text");
            }
        }
    });
});
