// Issue 8 item 1 under the real Pulumi CLI: two RegistryEndpoints of one program on one Harbor name fail preview
// naming both logical names, and a logical rename adopted by the new name does not delete the endpoint in Harbor.
import * as assert from "node:assert/strict";
import * as path from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { assertNoCanary, canary } from "../support/canary";
import { createProject, type E2eProject, requireEngine, tearDownSuite } from "../support/engine";
import { startHarborTarget, type HarborTarget } from "../support/harbor-target";
import type { EndpointSpec } from "./programs/endpoints";

const HARBOR_PASSWORD = canary("dup-harbor-password");
const SWR_SECRET = canary("dup-swr-secret");

describe("e2e: one Harbor name, one owner (duplicate-name guard, adopt on a logical rename)", function () {
    this.timeout(180_000);
    let project: E2eProject;
    let stack: Stack;
    let target: HarborTarget;
    const N = (base: string): string => target.name(base);
    // huawei-SWR: Harbor's adapter contacts nothing, so these endpoints need no network.
    const swr = (logical: string, args: Partial<EndpointSpec["args"]> = {}): EndpointSpec => ({
        logical,
        args: { providerName: "huawei-SWR", endpointUrl: "https://swr.cn-north-4.myhuaweicloud.com", accessId: "cn-north-4@AK", ...args },
    });

    async function configure(specs: EndpointSpec[]): Promise<void> {
        await stack.setAllConfig({
            "e2e:endpoints": { value: JSON.stringify(specs) },
            "e2e:secrets": { value: JSON.stringify(Object.fromEntries(specs.map((s) => [s.logical, SWR_SECRET]))), secret: true },
        });
    }

    async function rejection(run: () => Promise<unknown>): Promise<string> {
        let message = "";
        await assert.rejects(run(), (e: Error) => {
            message = e.message;
            return true;
        });
        assertNoCanary("the failed operation's message", message, [target.password, SWR_SECRET]);
        return message;
    }

    before(async function () {
        const engine = requireEngine(this);
        target = await startHarborTarget({ simulator: { adminPassword: HARBOR_PASSWORD } });
        project = await createProject(engine, { name: "dup-names", program: path.join(__dirname, "programs", "endpoints.js") });
        stack = await project.stack("dup");
        await stack.setAllConfig({
            "harbor:url": { value: target.url },
            "harbor:username": { value: target.username },
            "harbor:password": { value: target.password, secret: true },
        });
    });
    after(() => tearDownSuite(stack, project, [target]));

    it("two endpoints with one Harbor name fail preview naming both logical names; nothing reaches Harbor", async () => {
        const shared = N("shared");
        await configure([swr(N("dup-a"), { name: shared }), swr(N("dup-b"), { name: shared, adopt: true })]);
        const message = await rejection(() => stack.preview());
        assert.ok(message.includes(`RegistryEndpoint "${N("dup-b")}" and RegistryEndpoint "${N("dup-a")}"`) ||
            message.includes(`RegistryEndpoint "${N("dup-a")}" and RegistryEndpoint "${N("dup-b")}"`), message);
        assert.ok(message.includes(`both resolve to the Harbor name "${shared}"`), message);
        assert.deepEqual(await target.rest.list(), []);
        // The Automation API's up skips the preview phase: the first endpoint is created before the second one's
        // check fails, but the second never reaches Harbor, so no endpoint gets two owners.
        const upMessage = await rejection(() => stack.up());
        assert.match(upMessage, /both resolve to the Harbor name/);
        const inHarbor = await target.rest.list();
        assert.equal(inHarbor.length, 1, JSON.stringify(inHarbor));
        const state = project.exportStack("dup").text;
        assert.equal((state.match(new RegExp(`"registryId":\\s*${inHarbor[0]!.id}\\b`, "g")) ?? []).length, 1, "one resource in state holds the endpoint");
    });

    it("a logical name's default Harbor name clashing with another's explicit name fails the same way", async () => {
        await configure([swr(N("plain")), swr(N("other"), { name: N("plain") })]);
        const message = await rejection(() => stack.preview());
        assert.match(message, /both resolve to the Harbor name/);
        assert.ok(message.includes(N("other")) && message.includes(N("plain")), message);
    });

    it("a logical rename adopted by the new name keeps the endpoint: the old resource leaves state, Harbor keeps id", async () => {
        await configure([swr(N("before-rename"), { name: N("renamed-ep") })]);
        await stack.up();
        const [created] = await target.rest.list();
        assert.ok(created, "nothing was created");
        // The program now declares it under another logical name, taking it over with adopt (no alias).
        await configure([swr(N("after-rename"), { name: N("renamed-ep"), adopt: true })]);
        const up = await stack.up();
        assert.equal(up.summary.result, "succeeded");
        assert.deepEqual(Object.fromEntries(Object.entries(up.summary.resourceChanges ?? {}).filter(([k]) => k !== "same")), { create: 1, delete: 1 });
        const after = await target.rest.list();
        assert.deepEqual(after.map((r) => r.id), [created.id], "the endpoint the new resource adopted was deleted");
        const outputs = up.outputs.endpoints.value as Record<string, { registryId: number }>;
        assert.equal(outputs[N("after-rename")]!.registryId, created.id);
        assert.match(project.output.join("\n"), /leaves the stack without being deleted in Harbor/);
        // And a later preview is clean: the state's only owner is the new resource.
        assert.deepEqual(Object.fromEntries(Object.entries((await stack.preview()).changeSummary).filter(([k]) => k !== "same")), {});
    });
});
