// RegistryEndpoint under the real Pulumi CLI against a Harbor (the simulator, or HARBOR_TEST_URL): preview, up, refresh,
// update, replace, adopt, get, destroy, secret scan.
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { Stack } from "@pulumi/pulumi/automation";
import { assertNoCanary, canary } from "../support/canary";
import { requireDockerRegistry, startDockerRegistry, type DockerRegistry } from "../support/docker-registry";
import { createProject, E2eProject, requireEngine, tearDownSuite } from "../support/engine";
import type { HarborRest } from "../support/harbor-rest";
import { harborListenHost, startHarborTarget, type HarborTarget } from "../support/harbor-target";
import type { EndpointSpec, LookupSpec } from "./programs/endpoints";

// Canary secrets: none of these may ever appear in plain text in state, engine output or provider stderr.
const HARBOR_PASSWORD = canary("harbor-password");
const REGISTRY_SECRET = canary("registry-secret");
const SWR_SECRET = canary("swr-secret");
const SWR_SECRET_ROTATED = canary("swr-secret-rotated");
const WRONG_SECRET = canary("wrong-secret");
// Against an external Harbor its admin password is the Harbor canary.
let CANARIES: string[] = [];

type Summary = Record<string, number | undefined>;

/** Only the counted operations other than "same". */
function changes(summary: Summary | undefined): Summary {
    return Object.fromEntries(Object.entries(summary ?? {}).filter(([op, n]) => op !== "same" && (n ?? 0) > 0));
}

describe("e2e: RegistryEndpoint lifecycle under the Pulumi CLI", function () {
    this.timeout(180_000);
    let project: E2eProject;
    let stack: Stack;
    let target: HarborTarget;
    let registry: DockerRegistry;
    // A second registry with the same user: the target of the in-place URL change.
    let registry2: DockerRegistry;
    let registryUrl: string;
    let rest: HarborRest;
    let specs: EndpointSpec[];
    let secrets: Record<string, string>;
    const ids: Record<string, number> = {};
    /** The Harbor (and logical) name of an endpoint of this suite: the run's prefix + `base`. */
    const N = (base: string): string => target.name(base);

    /** The secret Harbor stores is readable only in the simulator; a real Harbor never returns it. */
    function assertStoredSecret(id: number, expected: string): void {
        if (target.sim) assert.equal(target.sim.storedRegistry(id)?.accessSecret, expected);
    }

    async function configure(lookups: LookupSpec[] = []): Promise<void> {
        await stack.setAllConfig({
            "e2e:endpoints": { value: JSON.stringify(specs) },
            "e2e:secrets": { value: JSON.stringify(secrets), secret: true },
            "e2e:lookups": { value: JSON.stringify(lookups) },
        });
    }

    function spec(base: string): EndpointSpec {
        const s = specs.find((x) => x.logical === N(base));
        assert.ok(s, `no spec ${base}`);
        return s;
    }

    before(async function () {
        const engine = requireEngine(this);
        requireDockerRegistry(this);
        // Registries listen where the Harbor can reach them (another machine in real-Harbor mode).
        const users = [{ username: "puller", password: REGISTRY_SECRET }];
        registry = await startDockerRegistry({ users, listenHost: harborListenHost() });
        registry2 = await startDockerRegistry({ users, listenHost: harborListenHost() });
        target = await startHarborTarget({
            simulator: { adminPassword: HARBOR_PASSWORD, remoteOverrides: { "https://registry-1.docker.io": registry.url } },
        });
        registryUrl = target.remoteUrl(registry.port);
        CANARIES = [target.password, REGISTRY_SECRET, SWR_SECRET, SWR_SECRET_ROTATED, WRONG_SECRET];
        rest = target.rest;
        project = await createProject(engine, {
            name: "harbor-e2e",
            program: path.join(__dirname, "programs", "endpoints.js"),
        });
        stack = await project.stack("e2e");
        await stack.setAllConfig({
            "harbor:url": { value: target.url },
            "harbor:username": { value: target.username },
            "harbor:password": { value: target.password, secret: true },
        });
        specs = [
            {
                logical: N("e2e-harbor"),
                args: { providerName: "harbor", endpointUrl: target.url, description: "the Harbor itself", connectionTest: "never" },
            },
            {
                logical: N("e2e-registry"),
                // The trailing slash must not cause a permanent diff.
                args: { providerName: "docker-registry", endpointUrl: `${registryUrl}/`, accessId: "puller", description: "local docker-registry" },
            },
            { logical: N("e2e-hub"), args: { providerName: "docker-hub", description: "Docker Hub, fixed URL" } },
            {
                logical: N("e2e-swr"),
                args: { providerName: "huawei-SWR", endpointUrl: "https://swr.cn-north-4.myhuaweicloud.com", accessId: "cn-north-4@AKEXAMPLE", connectionTest: "never" },
            },
        ];
        secrets = { [N("e2e-registry")]: REGISTRY_SECRET, [N("e2e-swr")]: SWR_SECRET };
        await configure();
    });

    after(() => tearDownSuite(stack, project, [target, registry, registry2]));

    it("1. preview of a fresh stack shows the creates and changes nothing in Harbor", async () => {
        target.sim?.resetRequests();
        const preview = await stack.preview();
        assert.deepEqual(changes(preview.changeSummary), { create: 5 }); // 4 endpoints + the stack
        assert.deepEqual(await rest.list(), []);
        if (target.sim) {
            const writes = target.sim.requests.filter((r) => r.method !== "GET" && !r.path.endsWith("/registries/ping"));
            assert.deepEqual(writes.map((r) => `${r.method} ${r.path}`), []);
        }
    });

    it("2. up creates endpoints of four types, docker-hub with its fixed URL", async () => {
        const up = await stack.up();
        assert.equal(up.summary.result, "succeeded");
        assert.deepEqual(changes(up.summary.resourceChanges), { create: 5 });
        const harbor = await rest.list();
        assert.deepEqual(
            harbor.map((r) => [r.name, r.type, r.url]),
            [
                [N("e2e-harbor"), "harbor", target.url],
                [N("e2e-hub"), "docker-hub", "https://hub.docker.com"],
                [N("e2e-registry"), "docker-registry", registryUrl],
                [N("e2e-swr"), "huawei-SWR", "https://swr.cn-north-4.myhuaweicloud.com"],
            ],
        );
        const outputs = up.outputs.endpoints.value as Record<string, { id: string; registryId: number; endpointUrl: string }>;
        for (const r of harbor) {
            ids[r.name] = r.id;
            assert.equal(outputs[r.name].id, String(r.id));
            assert.equal(outputs[r.name].registryId, r.id);
        }
        assert.equal(outputs[N("e2e-registry")].endpointUrl, registryUrl);
        // Harbor's Test Connection of the stored endpoint uses the secret Harbor stores: the registry accepts only the right one.
        assert.equal(await rest.pingById(ids[N("e2e-registry")]), true);
        assertStoredSecret(ids[N("e2e-registry")], REGISTRY_SECRET);
        assertStoredSecret(ids[N("e2e-swr")], SWR_SECRET);
        // Outputs exist for inputs the program left out too (docker-hub's URL is filled in by check).
        assert.equal(outputs[N("e2e-hub")].endpointUrl, "https://hub.docker.com");
    });

    it("3. a second preview reports no changes, trailing-slash URL included", async () => {
        const before = await rest.list();
        assert.equal(before.length, 4);
        target.sim?.resetRequests();
        const preview = await stack.preview({ diff: true });
        assert.deepEqual(changes(preview.changeSummary), {});
        assert.equal(preview.changeSummary.same, 5);
        if (target.sim) assert.ok(!target.sim.requests.some((r) => r.method !== "GET" && !r.path.endsWith("/registries/ping")));
        // Harbor's own view: every field of every endpoint (update_time included) is untouched by the preview.
        assert.deepEqual(await rest.list(), before);
    });

    it("RegistryEndpoint.get reads an existing endpoint by id", async () => {
        await configure([{ logical: N("looked-up-hub"), id: String(ids[N("e2e-hub")]) }]);
        try {
            const up = await stack.up();
            const lookedUp = up.outputs.lookedUp.value as Record<string, Record<string, unknown>>;
            assert.deepEqual(lookedUp[N("looked-up-hub")], {
                id: String(ids[N("e2e-hub")]),
                registryId: ids[N("e2e-hub")],
                name: N("e2e-hub"),
                providerName: "docker-hub",
                endpointUrl: "https://hub.docker.com",
                description: "Docker Hub, fixed URL",
            });
            assert.equal((await rest.list()).length, 4, "a get must not create anything");
        } finally {
            await configure();
            await stack.up();
        }
    });

    it("4. refresh shows an out-of-band edit as drift and drops an out-of-band delete; up restores both", async () => {
        await rest.update(ids[N("e2e-registry")], { description: "edited in the Harbor UI" });
        await rest.delete(ids[N("e2e-swr")]);
        const refresh = await stack.refresh();
        assert.deepEqual(changes(refresh.summary.resourceChanges), { update: 1, delete: 1 });
        const state = project.exportStack("e2e").text;
        assert.match(state, /edited in the Harbor UI/);
        assert.ok(!new RegExp(`"urn":"[^"]*::${N("e2e-swr")}"`).test(state.replace(/\s+/g, "")), "the deleted endpoint is still in state");

        const up = await stack.up();
        assert.deepEqual(changes(up.summary.resourceChanges), { create: 1, update: 1 });
        const registryNow = await rest.byName(N("e2e-registry"));
        assert.equal(registryNow?.description, "local docker-registry");
        assert.equal(registryNow?.id, ids[N("e2e-registry")]);
        const swr = await rest.byName(N("e2e-swr"));
        assert.ok(swr, "e2e-swr was not recreated");
        assertStoredSecret(swr.id, SWR_SECRET);
        ids[N("e2e-swr")] = swr.id;
    });

    it("5a. updates description, secret and URL in place, keeping the Harbor ids", async () => {
        const movedUrl = target.remoteUrl(registry2.port);
        spec("e2e-registry").args.description = "updated description";
        spec("e2e-registry").args.endpointUrl = movedUrl;
        secrets[N("e2e-swr")] = SWR_SECRET_ROTATED;
        await configure();
        const up = await stack.up();
        assert.deepEqual(changes(up.summary.resourceChanges), { update: 2 });
        const reg = await rest.byName(N("e2e-registry"));
        assert.equal(reg?.id, ids[N("e2e-registry")]);
        assert.equal(reg?.description, "updated description");
        assert.equal(reg?.url, movedUrl);
        // Harbor clears or keeps the secret on a URL change depending on its version: it must still be ours.
        assert.equal(await rest.pingById(ids[N("e2e-registry")]), true, "Harbor's stored secret no longer logs in to the moved registry");
        assertStoredSecret(ids[N("e2e-registry")], REGISTRY_SECRET);
        assertStoredSecret(ids[N("e2e-swr")], SWR_SECRET_ROTATED);
        assert.equal((await rest.byName(N("e2e-swr")))?.id, ids[N("e2e-swr")]);
    });

    it("5b. a providerName change replaces the endpoint, deleting before creating under the same name", async () => {
        const oldId = ids[N("e2e-swr")];
        spec("e2e-swr").args.providerName = "docker-registry";
        spec("e2e-swr").args.endpointUrl = registryUrl;
        spec("e2e-swr").args.accessId = "puller";
        secrets[N("e2e-swr")] = REGISTRY_SECRET;
        await configure();
        target.sim?.resetRequests();
        const up = await stack.up();
        assert.equal(up.summary.result, "succeeded");
        assert.equal(up.summary.resourceChanges?.replace, 1);
        const now = await rest.byName(N("e2e-swr"));
        assert.equal(now?.type, "docker-registry");
        assert.notEqual(now?.id, oldId);
        assert.equal((await rest.list()).filter((r) => r.name === N("e2e-swr")).length, 1);
        if (target.sim) {
            const requests = target.sim.requests;
            const del = requests.findIndex((r) => r.method === "DELETE" && r.path.endsWith(`/registries/${oldId}`));
            const post = requests.findIndex((r) => r.method === "POST" && r.path.endsWith("/registries"));
            assert.ok(del >= 0 && post > del, `expected DELETE before POST, got ${requests.map((r) => `${r.method} ${r.path}`).join(", ")}`);
        }
        ids[N("e2e-swr")] = now!.id;
    });

    it("6. adopt: true takes over an endpoint created through the REST API", async () => {
        const id = await rest.create({ name: N("e2e-adopted"), type: "docker-registry", url: registryUrl, description: "made by hand" });
        specs.push({
            logical: N("e2e-adopted"),
            args: { providerName: "docker-registry", endpointUrl: registryUrl, description: "now managed", adopt: true, connectionTest: "never" },
        });
        await configure();
        const up = await stack.up();
        assert.deepEqual(changes(up.summary.resourceChanges), { create: 1 });
        const all = (await rest.list()).filter((r) => r.name === N("e2e-adopted"));
        assert.equal(all.length, 1);
        assert.equal(all[0].id, id);
        assert.equal(all[0].description, "now managed");
        assert.equal((up.outputs.endpoints.value as Record<string, { id: string }>)[N("e2e-adopted")].id, String(id));
    });

    it("7. a bad input (ftp:// URL) fails preview with a message naming the field", async () => {
        specs.push({ logical: N("e2e-bad"), args: { providerName: "docker-registry", endpointUrl: "ftp://files.example" } });
        await configure();
        const before = await rest.list();
        const rejectionsBefore = project.rejections.length;
        let message = "";
        await assert.rejects(stack.preview(), (e: Error) => {
            message = e.message;
            assert.match(e.message, /endpointUrl/);
            return true;
        });
        assert.deepEqual(await rest.list(), before);
        // The harness put the failed preview's message into the output the secret scan reads.
        assert.deepEqual(project.rejections.slice(rejectionsBefore), [message]);
        assert.ok(project.output.join("\n").includes(message), "the rejected preview's message is not in the scanned output");
        specs.pop();
        await configure();
    });

    it("issue 5: preview with a wrong password against a docker-registry fails naming the endpoint and reason; the right one passes", async () => {
        secrets[N("e2e-registry")] = WRONG_SECRET;
        await configure();
        const failedPreview = async (): Promise<string> => {
            let message = "";
            await assert.rejects(stack.preview(), (e: Error) => {
                message = e.message;
                return true;
            });
            assertNoCanary("the preview error", message, CANARIES);
            return message;
        };
        // The harness default (HARBOR_CONNECTION_DIAGNOSIS=harbor-only): Harbor's verdict only, nothing else contacted.
        const harborOnly = await failedPreview();
        assert.ok(harborOnly.includes(`Harbor's connection test failed for endpoint "${N("e2e-registry")}" and the local diagnosis is turned off`), harborOnly);
        // The registry is on loopback, so this test opts in to the local diagnosis, which names the reason.
        await stack.setConfig("harbor:connectionDiagnosis", { value: "local" });
        try {
            const local = await failedPreview();
            assert.ok(local.includes(`endpoint "${N("e2e-registry")}"`), local);
            assert.match(local, /rejected the credentials \(401\); check accessId and accessSecret/);
        } finally {
            await stack.removeConfig("harbor:connectionDiagnosis");
        }
        secrets[N("e2e-registry")] = REGISTRY_SECRET;
        await configure();
        const preview = await stack.preview();
        assert.deepEqual(changes(preview.changeSummary), {});
    });

    it("secret scan: exactly the endpoints given a secret hold accessSecret, as ciphertext; no canary in state, engine output or provider stderr", function () {
        const exported = project.exportStack("e2e");
        type Exported = { urn: string; type: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> };
        const resources = (exported.deployment as { deployment: { resources: Exported[] } }).deployment.resources;
        const endpoints = resources.filter((r) => r.type === "pulumi-nodejs:dynamic/harbor:RegistryEndpoint");
        const logical = (r: Exported): string => r.urn.slice(r.urn.lastIndexOf("::") + 2);
        assert.deepEqual(endpoints.map(logical).sort(), ["e2e-adopted", "e2e-harbor", "e2e-hub", "e2e-registry", "e2e-swr"].map(N));
        const withSecret = Object.keys(secrets).sort();
        assert.deepEqual(withSecret, ["e2e-registry", "e2e-swr"].map(N));
        for (const r of endpoints) {
            for (const [where, props] of [["inputs", r.inputs], ["outputs", r.outputs]] as const) {
                const secret = props?.accessSecret;
                if (withSecret.includes(logical(r))) {
                    assert.ok(secret !== null && typeof secret === "object", `${logical(r)} ${where}.accessSecret is not a secret object`);
                    const s = secret as Record<string, unknown>;
                    assert.deepEqual(Object.keys(s).sort(), ["4dabf18193072939515e22adb298388d", "ciphertext"], `${logical(r)} ${where}.accessSecret`);
                    assert.equal(s["4dabf18193072939515e22adb298388d"], "1b47061264138c4ac30d75fd1eb44270");
                    assert.equal(typeof s.ciphertext, "string");
                    assert.ok((s.ciphertext as string).length > 0);
                } else {
                    assert.equal(secret, undefined, `${logical(r)} was given no secret, yet ${where}.accessSecret is set`);
                }
            }
        }
        const places: [string, string][] = [
            ["exported state", exported.text],
            ...project.backendFiles().map((f): [string, string] => [f.file, f.text]),
            ["engine output", project.output.join("\n")],
        ];
        for (const [where, text] of places) {
            assertNoCanary(where, text, CANARIES);
        }
        // Last: skips (outside CI) when another dynamic-provider host runs, after the scans above have passed.
        assertNoCanary("provider stderr", project.providerStderr(this), CANARIES);
    });

    it("8. destroy leaves Harbor with no endpoints of the stack", async () => {
        const destroy = await stack.destroy();
        assert.equal(destroy.summary.result, "succeeded");
        assert.deepEqual(await rest.list(), []);
        assertNoCanary("engine output", project.output, CANARIES);
    });
});
