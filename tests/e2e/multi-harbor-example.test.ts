// examples/multi-harbor under the real Pulumi CLI against two simulators, configured with the README's commands.
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { Stack } from "@pulumi/pulumi/automation";
import { startHarborSimulator, HarborSimulator } from "../../simulator";
import { createProject, E2eProject, repoRoot, requireEngine, tearDownSuite } from "../support/engine";
import { skipAgainstExternalHarbor } from "../support/harbor-target";
import { HarborRest } from "../support/harbor-rest";

const run = Date.now().toString(36);
const CENTRAL_PASSWORD = `ExampleCentral-${run}-pw`;
const REPLICA_PASSWORD = `ExampleReplica-${run}-pw`;

describe("e2e: examples/multi-harbor on two Harbor simulators", function () {
    this.timeout(180_000);
    let project: E2eProject;
    let stack: Stack;
    let central: HarborSimulator;
    let replica: HarborSimulator;
    let mirrorId: number;

    before(async function () {
        skipAgainstExternalHarbor(this, "two Harbor simulators");
        const engine = requireEngine(this);
        central = await startHarborSimulator({ adminPassword: CENTRAL_PASSWORD });
        replica = await startHarborSimulator({ adminPassword: REPLICA_PASSWORD });
        mirrorId = await new HarborRest(replica).create({ name: "docker-hub mirror", type: "huawei-SWR", url: "https://swr.cn-east-3.myhuaweicloud.com" });
        project = await createProject(engine, { name: "multi-harbor-example", program: path.join(repoRoot, "dist", "examples", "multi-harbor", "index.js") });
        stack = await project.stack("example");
        const set = (...args: string[]) => {
            const r = project.cli(["config", "set", "--stack", "example", ...args]);
            assert.equal(r.code, 0, r.stderr);
        };
        // The commands of examples/multi-harbor/README.md.
        set("harbor:url", central.url);
        set("harbor:username", "admin");
        set("--secret", "harbor:password", CENTRAL_PASSWORD);
        set("--path", "harbor:connections.replica.url", replica.url);
        set("--path", "harbor:connections.replica.username", "admin");
        set("--secret", "--path", "harbor:connections.replica.password", REPLICA_PASSWORD);
        set("multi-harbor:replicaRobot", "admin");
        set("--secret", "multi-harbor:replicaRobotSecret", REPLICA_PASSWORD);
        set("multi-harbor:centralRobot", "admin");
        set("--secret", "multi-harbor:centralRobotSecret", CENTRAL_PASSWORD);
    });
    after(() => tearDownSuite(stack, project, [central, replica]));

    it("previews (testing both endpoints' connections, each through its own Harbor) and creates each on its Harbor", async () => {
        const preview = await stack.preview();
        assert.deepEqual(preview.changeSummary, { create: 3 });
        assert.equal(central.requests.filter((r) => r.path.endsWith("/registries/ping")).length, 1);
        assert.equal(replica.requests.filter((r) => r.path.endsWith("/registries/ping")).length, 1);
        const up = await stack.up();
        assert.equal(up.summary.result, "succeeded");
        const onCentral = central.storedRegistries();
        const onReplica = replica.storedRegistries();
        assert.deepEqual(onCentral.map((r) => [r.name, r.url]), [["replica", replica.url]]);
        assert.deepEqual(onReplica.map((r) => [r.name, r.url]).sort(), [["central", central.url], ["docker-hub mirror", "https://swr.cn-east-3.myhuaweicloud.com"]]);
        assert.deepEqual(up.outputs.registryIds.value, { replicaOnCentral: onCentral[0]!.id, centralOnReplica: onReplica.find((r) => r.name === "central")!.id });
        assert.deepEqual(up.outputs.connections.value, { replicaOnCentral: "default", centralOnReplica: "replica" });
        assert.deepEqual(up.outputs.mirrorEndpoint.value, { registryId: mirrorId, providerName: "huawei-SWR", endpointUrl: "https://swr.cn-east-3.myhuaweicloud.com" });
    });

    it("keeps both Harbor passwords out of state and output, and destroys only what it created", async () => {
        const texts = [project.exportStack("example").text, ...project.backendFiles().map((f) => f.text), project.output.join("\n")];
        for (const text of texts) {
            for (const canary of [CENTRAL_PASSWORD, REPLICA_PASSWORD]) assert.ok(!text.includes(canary), "a Harbor password is in plain text");
        }
        await stack.destroy();
        assert.deepEqual(central.storedRegistries(), []);
        assert.deepEqual(replica.storedRegistries().map((r) => r.name), ["docker-hub mirror"]);
    });
});
