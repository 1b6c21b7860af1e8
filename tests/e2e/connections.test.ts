// Two Harbors in one program under the real Pulumi CLI: named connections, moves between Harbors, refresh, get and lookups.
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { Stack } from "@pulumi/pulumi/automation";
import { startHarborSimulator, HarborSimulator } from "../../simulator";
import { createProject, E2eProject, requireEngine, tearDownSuite } from "../support/engine";
import { skipAgainstExternalHarbor } from "../support/harbor-target";
import { HarborRest } from "../support/harbor-rest";
import type { ByNameSpec, EndpointSpec, LookupSpec } from "./programs/endpoints";

const run = Date.now().toString(36);
// Canary secrets: none may ever appear in plain text in state, engine output or provider stderr.
const CENTRAL_PASSWORD = `CentralCanary-${run}-pw`;
const REPLICA_PASSWORD = `ReplicaCanary-${run}-pw`;
const WRONG_PASSWORD = `WrongReplicaCanary-${run}-pw`;
const CANARIES = [CENTRAL_PASSWORD, REPLICA_PASSWORD, WRONG_PASSWORD];
// Created in the replica's "UI": a name Harbor's fuzzy search and a naive q would both get wrong.
const UI_NAME = "made in the UI, 100% by hand";

type Summary = Record<string, number | undefined>;
const changes = (summary: Summary | undefined): Summary =>
    Object.fromEntries(Object.entries(summary ?? {}).filter(([op, n]) => op !== "same" && (n ?? 0) > 0));

describe("e2e: RegistryEndpoints on two Harbors (named connections) under the Pulumi CLI", function () {
    this.timeout(240_000);
    let project: E2eProject;
    let stack: Stack;
    let central: HarborSimulator;
    let replica: HarborSimulator;
    let centralRest: HarborRest;
    let replicaRest: HarborRest;
    /** Every request either Harbor answered, in the order they answered. */
    const log: string[] = [];
    let specs: EndpointSpec[];
    let byName: ByNameSpec[];
    let uiId: number;

    async function configure(lookups: LookupSpec[] = []): Promise<void> {
        await stack.setAllConfig({
            "e2e:endpoints": { value: JSON.stringify(specs) },
            "e2e:secrets": { value: JSON.stringify({ "central-to-replica": REPLICA_PASSWORD, "replica-to-central": CENTRAL_PASSWORD }), secret: true },
            "e2e:lookups": { value: JSON.stringify(lookups) },
            "e2e:byName": { value: JSON.stringify(byName) },
        });
    }
    /** `pulumi config set` exactly as the README tells users to, failing loudly. */
    function configSet(args: string[]): void {
        const r = project.cli(["config", "set", "--stack", "multi", ...args]);
        assert.equal(r.code, 0, r.stderr);
    }
    const spec = (logical: string) => specs.find((s) => s.logical === logical)!;

    before(async function () {
        skipAgainstExternalHarbor(this, "two Harbor simulators");
        const engine = requireEngine(this);
        central = await startHarborSimulator({ adminPassword: CENTRAL_PASSWORD, onResponse: (r) => log.push(`central ${r.method} ${r.path}`) });
        replica = await startHarborSimulator({ adminPassword: REPLICA_PASSWORD, onResponse: (r) => log.push(`replica ${r.method} ${r.path}`) });
        centralRest = new HarborRest(central);
        replicaRest = new HarborRest(replica);
        project = await createProject(engine, { name: "harbor-multi", program: path.join(__dirname, "programs", "endpoints.js") });
        stack = await project.stack("multi");
        configSet(["harbor:url", central.url]);
        configSet(["harbor:username", central.username]);
        configSet(["--secret", "harbor:password", CENTRAL_PASSWORD]);
        configSet(["--path", "harbor:connections.replica.url", replica.url]);
        configSet(["--path", "harbor:connections.replica.username", replica.username]);
        configSet(["--secret", "--path", "harbor:connections.replica.password", REPLICA_PASSWORD]);
        uiId = await replicaRest.create({ name: UI_NAME, type: "huawei-SWR", url: "https://swr.ap-southeast-1.myhuaweicloud.com", description: "not managed by Pulumi" });
        specs = [
            // Each Harbor gets an endpoint pointing at the other one, as replication between them needs.
            { logical: "central-to-replica", args: { providerName: "harbor", endpointUrl: replica.url, accessId: replica.username, description: "on central" } },
            {
                logical: "replica-to-central",
                args: { providerName: "harbor", endpointUrl: central.url, accessId: central.username, description: "on replica", connection: "replica" },
            },
            { logical: "mover", args: { providerName: "huawei-SWR", endpointUrl: "https://swr.cn-north-4.myhuaweicloud.com", description: "moves later" } },
        ];
        byName = [{ key: "ui", name: UI_NAME, connection: "replica" }];
        await configure();
    });

    after(() => tearDownSuite(stack, project, [central, replica]));

    it("1. preview runs the lookup on the replica and plans the creates; nothing is written anywhere", async () => {
        log.length = 0;
        const preview = await stack.preview();
        assert.deepEqual(changes(preview.changeSummary), { create: 4 }); // 3 endpoints + the stack
        assert.deepEqual((await centralRest.list()).map((r) => r.name), []);
        assert.deepEqual((await replicaRest.list()).map((r) => r.name), [UI_NAME]);
        assert.ok(log.some((l) => l.startsWith("replica GET /api/v2.0/registries")), "the lookup did not ask the replica during preview");
        assert.ok(!log.some((l) => / (POST|PUT|DELETE) \/api\/v2\.0\/registries(\/\d+)?$/.test(l)), "preview wrote to a Harbor");
    });

    it("2. up lands every endpoint on the Harbor its connection names, and the lookup finds the UI-made endpoint", async () => {
        const up = await stack.up();
        assert.equal(up.summary.result, "succeeded");
        assert.deepEqual((await centralRest.list()).map((r) => [r.name, r.url]), [["central-to-replica", replica.url], ["mover", "https://swr.cn-north-4.myhuaweicloud.com"]]);
        assert.deepEqual((await replicaRest.list()).map((r) => [r.name, r.url]), [[UI_NAME, "https://swr.ap-southeast-1.myhuaweicloud.com"], ["replica-to-central", central.url]]);
        assert.equal(replica.storedRegistry((await replicaRest.byName("replica-to-central"))!.id)?.accessSecret, CENTRAL_PASSWORD);
        const outputs = up.outputs.endpoints.value as Record<string, { id: string; registryId: number }>;
        assert.equal(outputs["replica-to-central"].registryId, (await replicaRest.byName("replica-to-central"))!.id);
        assert.equal(outputs["central-to-replica"].registryId, (await centralRest.byName("central-to-replica"))!.id);
        assert.deepEqual(up.outputs.endpointConnections.value, { "central-to-replica": "default", "replica-to-central": "replica", mover: "default" });
        const ui = (up.outputs.foundByName.value as Record<string, Record<string, unknown>>).ui;
        assert.deepEqual(
            { registryId: ui.registryId, name: ui.name, providerName: ui.providerName, endpointUrl: ui.endpointUrl, description: ui.description, insecure: ui.insecure },
            { registryId: uiId, name: UI_NAME, providerName: "huawei-SWR", endpointUrl: "https://swr.ap-southeast-1.myhuaweicloud.com", description: "not managed by Pulumi", insecure: false },
        );
        const preview = await stack.preview();
        assert.deepEqual(changes(preview.changeSummary), {});
    });

    it("3. refresh reads each endpoint from its own Harbor, though the two Harbors reuse the same ids", async () => {
        const onReplica = (await replicaRest.byName("replica-to-central"))!;
        assert.ok((await centralRest.list()).some((r) => r.id === onReplica.id), "the simulators should share ids for this test to mean something");
        await replicaRest.update(onReplica.id, { description: "edited in the replica's UI" });
        const refresh = await stack.refresh();
        assert.deepEqual(changes(refresh.summary.resourceChanges), { update: 1 });
        assert.match(project.exportStack("multi").text, /edited in the replica's UI/);
        const up = await stack.up();
        assert.deepEqual(changes(up.summary.resourceChanges), { update: 1 });
        assert.equal((await replicaRest.byName("replica-to-central"))?.description, "on replica");
    });

    it("4. RegistryEndpoint.get reads by id from the Harbor its connection names", async () => {
        const id = String((await replicaRest.byName("replica-to-central"))!.id);
        await configure([{ logical: "got-from-replica", id, connection: "replica" }]);
        try {
            const up = await stack.up();
            const got = (up.outputs.lookedUp.value as Record<string, Record<string, unknown>>)["got-from-replica"];
            assert.deepEqual([got.name, got.endpointUrl, got.description], ["replica-to-central", central.url, "on replica"]);
        } finally {
            await configure();
            await stack.up();
        }
    });

    it("5. changing connection moves the endpoint: created on the new Harbor first, then deleted from the old one", async () => {
        const oldId = (await centralRest.byName("mover"))!.id;
        spec("mover").args.connection = "replica";
        await configure();
        log.length = 0;
        const up = await stack.up();
        assert.equal(up.summary.result, "succeeded");
        assert.equal(up.summary.resourceChanges?.replace, 1);
        const moved = await replicaRest.byName("mover");
        assert.ok(moved, "mover is not on the replica");
        assert.equal(await centralRest.byName("mover"), undefined);
        assert.equal((up.outputs.endpoints.value as Record<string, { registryId: number }>).mover.registryId, moved.id);
        const post = log.indexOf("replica POST /api/v2.0/registries");
        const del = log.indexOf(`central DELETE /api/v2.0/registries/${oldId}`);
        assert.ok(post >= 0 && del > post, `expected the POST on the replica before the DELETE on central, got ${log.join(", ")}`);
    });

    it("6. a lookup of a name that does not exist fails the preview naming the name, the Harbor and the closest names", async () => {
        byName = [...byName, { key: "missing", name: "made in the ui, 100% by hand", connection: "replica" }];
        await configure();
        try {
            await assert.rejects(stack.preview(), (e: Error) => {
                assert.match(e.message, /no registry endpoint is named "made in the ui, 100% by hand" in Harbor connection "replica" \(http:\/\/127\.0\.0\.1:\d+\)/);
                assert.match(e.message, /the closest existing names are "made in the UI, 100% by hand"/);
                return true;
            });
        } finally {
            byName = byName.slice(0, 1);
            await configure();
        }
    });

    it("7. a wrong password on one connection fails the preview naming that connection; the right one passes again", async () => {
        configSet(["--secret", "--path", "harbor:connections.replica.password", WRONG_PASSWORD]);
        spec("replica-to-central").args.connectionTest = "always";
        await configure();
        try {
            await assert.rejects(stack.preview(), (e: Error) => {
                assert.match(e.message, /Harbor connection "replica"/);
                assert.match(e.message, /harbor:connections\.replica\.(username|password)/);
                assert.doesNotMatch(e.message, /check the provider settings harbor:username/);
                for (const canary of CANARIES) assert.ok(!e.message.includes(canary), "the preview error leaks a secret");
                return true;
            });
        } finally {
            configSet(["--secret", "--path", "harbor:connections.replica.password", REPLICA_PASSWORD]);
            delete spec("replica-to-central").args.connectionTest;
            await configure();
        }
        assert.deepEqual(changes((await stack.preview()).changeSummary), {});
    });

    it("7b. a connection removed from config fails the up that would delete its endpoints; restored, up deletes them", async () => {
        const onReplica = (await replicaRest.list()).map((r) => r.name).sort();
        assert.deepEqual(onReplica, [UI_NAME, "mover", "replica-to-central"]);
        const kept = specs;
        specs = specs.filter((s) => s.args.connection !== "replica");
        byName = [];
        await configure();
        const rm = project.cli(["config", "rm", "--stack", "multi", "--path", "harbor:connections.replica"]);
        assert.equal(rm.code, 0, rm.stderr);
        try {
            await assert.rejects(stack.up(), (e: Error) => {
                assert.match(e.message, /cannot delete RegistryEndpoint "(mover|replica-to-central)" \(Harbor id \d+\): its Harbor connection "replica" is not configured \(configured connections: "default"\); restore harbor:connections\.replica/);
                return true;
            });
            assert.deepEqual((await replicaRest.list()).map((r) => r.name).sort(), onReplica, "an endpoint was deleted or lost");
            const state = project.exportStack("multi").text;
            assert.match(state, /::mover"/);
            assert.match(state, /::replica-to-central"/);
        } finally {
            configSet(["--path", "harbor:connections.replica.url", replica.url]);
            configSet(["--path", "harbor:connections.replica.username", replica.username]);
            configSet(["--secret", "--path", "harbor:connections.replica.password", REPLICA_PASSWORD]);
        }
        const up = await stack.up();
        assert.equal(up.summary.result, "succeeded");
        assert.deepEqual((await replicaRest.list()).map((r) => r.name), [UI_NAME]);
        specs = kept;
        await configure();
    });

    it("secret scan: no Harbor password in state, engine output or provider stderr; state holds only connection names", function () {
        const exported = project.exportStack("multi");
        const places: [string, string][] = [
            ["exported state", exported.text],
            ...project.backendFiles().map((f): [string, string] => [f.file, f.text]),
            ["engine output", project.output.join("\n")],
        ];
        for (const [where, text] of places) {
            for (const canary of CANARIES) assert.ok(!text.includes(canary), `${where} holds a canary secret in plain text`);
        }
        type Exported = { type: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> };
        const endpoints = (exported.deployment as { deployment: { resources: Exported[] } }).deployment.resources.filter(
            (r) => r.type === "pulumi-nodejs:dynamic/harbor:RegistryEndpoint",
        );
        for (const r of endpoints) {
            assert.ok(r.outputs?.connection === "default" || r.outputs?.connection === "replica");
            assert.ok(!JSON.stringify(r.inputs).includes(replica.username + ":"), "credentials in inputs");
        }
        const providerStderr = project.providerStderr(this);
        for (const canary of CANARIES) assert.ok(!providerStderr.includes(canary), "provider stderr holds a canary secret in plain text");
    });

    it("8. destroy removes every managed endpoint from both Harbors and leaves the UI-made one", async () => {
        const destroy = await stack.destroy();
        assert.equal(destroy.summary.result, "succeeded");
        assert.deepEqual((await centralRest.list()).map((r) => r.name), []);
        assert.deepEqual((await replicaRest.list()).map((r) => r.name), [UI_NAME]);
    });
});
