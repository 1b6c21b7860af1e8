// Load: one real `pulumi up` of 200 endpoints while Harbor's gateway rate-limits (429 + Retry-After). Every endpoint
// must be created once, the requests must stay within a stated budget and the concurrency against Harbor bounded.
import * as assert from "node:assert/strict";
import * as path from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { startHarborSimulator, type HarborSimulator } from "../../simulator";
import { assertNoCanary, canary } from "../support/canary";
import { createProject, type E2eProject, requireEngine, tearDownSuite } from "../support/engine";
import type { EndpointSpec } from "./programs/endpoints";
import { skipAgainstExternalHarbor } from "../support/harbor-target";

const ENDPOINTS = 200;
// Requests a clean run needs per endpoint: the connection test in check, the POST, and the GET that reads it back.
const REQUESTS_PER_ENDPOINT = 3;
// The budget: every 429 is a request too, so allow as many refused requests as needed ones, and no more.
const BUDGET = 2 * ENDPOINTS * REQUESTS_PER_ENDPOINT;
// The provider's connection pool (HarborClient `connections`, default 8) bounds what one provider process sends at once.
const MAX_CONCURRENT = 8;
// Below what the engine offers on a 2-core machine (about 11 requests a second here), so the limit is hit.
const RATE = { requestsPerSecond: 10, burst: 10 };

describe("e2e load: 200 endpoints in one up against a rate-limited Harbor", function () {
    this.timeout(600_000);
    let sim: HarborSimulator;
    let project: E2eProject;
    let stack: Stack;
    const password = canary("load-harbor-password");
    const secret = canary("load-access-secret");

    before(async function () {
        skipAgainstExternalHarbor(this, "the simulator's rate limit and its load figures");
        const engine = requireEngine(this);
        sim = await startHarborSimulator({ adminPassword: password, rateLimit: RATE });
        project = await createProject(engine, { name: "harbor-load", program: path.join(__dirname, "programs", "endpoints.js") });
        stack = await project.stack("load");
        const specs: EndpointSpec[] = Array.from({ length: ENDPOINTS }, (_, i) => ({
            logical: `load-${String(i).padStart(3, "0")}`,
            args: { providerName: "huawei-SWR", endpointUrl: "https://swr.cn-north-4.myhuaweicloud.com", accessId: `cn-north-4@AK${i}` },
        }));
        await stack.setAllConfig({
            "harbor:url": { value: sim.url },
            "harbor:username": { value: "admin" },
            "harbor:password": { value: password, secret: true },
            "e2e:endpoints": { value: JSON.stringify(specs) },
            "e2e:secrets": { value: JSON.stringify(Object.fromEntries(specs.map((s) => [s.logical, secret]))), secret: true },
        });
    });

    after(() => tearDownSuite(stack, project, [sim]));

    it(`creates every endpoint once, within ${BUDGET} requests and ${MAX_CONCURRENT} at a time`, async () => {
        sim.resetRequests();
        const started = Date.now();
        const up = await stack.up();
        const seconds = (Date.now() - started) / 1000;
        assert.equal(up.summary.result, "succeeded");
        const stored = sim.storedRegistries();
        assert.equal(stored.length, ENDPOINTS);
        assert.equal(new Set(stored.map((r) => r.name)).size, ENDPOINTS, "no duplicate");
        const state = (project.exportStack("load").deployment as { deployment: { resources: { type: string; id?: string }[] } }).deployment.resources
            .filter((r) => r.type === "pulumi-nodejs:dynamic/harbor:RegistryEndpoint")
            .map((r) => Number(r.id))
            .sort((a, b) => a - b);
        assert.deepEqual(state, stored.map((r) => r.id).sort((a, b) => a - b), "Harbor holds exactly what the state records (no orphan)");
        for (const r of stored) assert.equal(r.accessSecret, secret);

        const requests = sim.requests.length;
        const refused = sim.stats().rateLimited;
        const posts = sim.requests.filter((r) => r.method === "POST" && r.path === "/api/v2.0/registries" && r.status === 201).length;
        console.log(`      load: ${ENDPOINTS} endpoints in ${seconds.toFixed(1)} s; ${requests} requests (budget ${BUDGET}), ${refused} refused with 429, ${posts} created, at most ${sim.stats().maxConcurrentRequests} at once`);
        assert.equal(posts, ENDPOINTS, "exactly one successful POST per endpoint");
        assert.ok(refused > 0, "the rate limit never refused anything, so the run proves nothing about it");
        assert.ok(requests <= BUDGET, `${requests} requests exceed the budget of ${BUDGET}`);
        assert.ok(sim.stats().maxConcurrentRequests <= MAX_CONCURRENT, `${sim.stats().maxConcurrentRequests} requests at once`);
        assertNoCanary("engine output", project.output);
        assertNoCanary("exported state", project.exportStack("load").text);
    });
});
