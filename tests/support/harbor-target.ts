// Test support: the Harbor a test runs against, a fresh simulator or the real Harbor named by HARBOR_TEST_URL.
import { randomBytes } from "node:crypto";
import type { HarborSimulator, HarborSimulatorOptions } from "../../simulator";
import { HarborRest, type HarborConnection } from "./harbor-rest";
import { startTestSimulator } from "./sim";

/** The external Harbor of real-Harbor mode, from `HARBOR_TEST_*` variables. */
export interface ExternalHarbor extends HarborConnection {
    /** The host (name or IP) at which that Harbor reaches this machine's test registries; default 127.0.0.1. */
    remoteHost: string;
}

/**
 * Real-Harbor mode, like Terraform's `TF_ACC`: `HARBOR_TEST_URL` (e.g. `https://harbor.example.com`),
 * `HARBOR_TEST_USERNAME` (default `admin`), `HARBOR_TEST_PASSWORD` (required with the URL) and
 * `HARBOR_TEST_REMOTE_HOST` (default `127.0.0.1`). Returns undefined when `HARBOR_TEST_URL` is not set.
 */
export function externalHarbor(env: NodeJS.ProcessEnv = process.env): ExternalHarbor | undefined {
    const url = env.HARBOR_TEST_URL ?? "";
    if (url === "") return undefined;
    const password = env.HARBOR_TEST_PASSWORD ?? "";
    if (password === "") throw new Error("HARBOR_TEST_URL is set but HARBOR_TEST_PASSWORD is not: set the Harbor admin password too");
    return {
        url: url.replace(/\/+$/, ""),
        username: env.HARBOR_TEST_USERNAME || "admin",
        password,
        remoteHost: env.HARBOR_TEST_REMOTE_HOST || "127.0.0.1",
    };
}

/**
 * The prefix of every name this test process gives a registry, policy or project: lower-case (project names must be),
 * unique per run, so a shared Harbor's own data is never touched and leftovers are attributable.
 */
export const RUN_PREFIX = `t${Date.now().toString(36)}${randomBytes(2).toString("hex")}-`;

/** Whether a host name or IP is this machine's loopback. */
function isLoopback(host: string): boolean {
    return /^(127\.|localhost$|\[?::1\]?$)/.test(host);
}

/**
 * The address a test's own servers (docker-registry, fake registries) listen on so that the Harbor under test reaches
 * them: 127.0.0.1 for the simulator or a Harbor on this machine, `0.0.0.0` when `HARBOR_TEST_REMOTE_HOST` is remote.
 */
export function harborListenHost(): string {
    const external = externalHarbor();
    return !external || isLoopback(external.remoteHost) ? "127.0.0.1" : "0.0.0.0";
}

/** What a skip from `ctx` skips: the suite from a `before` hook, the test from a test or a `beforeEach` hook. */
export function skippedTitle(ctx: Pick<Mocha.Context, "test" | "currentTest">): string {
    const runnable = ctx.test as (Mocha.Runnable & { type?: string }) | undefined;
    if (runnable?.type !== "hook") return runnable?.title ?? "suite";
    // In hooks Mocha sets currentTest too (to the suite's first test in "before all"), so the hook's title decides.
    return runnable.title.startsWith('"before all"') ? (runnable.parent?.fullTitle() ?? "suite") : (ctx.currentTest?.title ?? "suite");
}

/**
 * Skips the calling test (or suite, from a `before` hook) when the suite runs against an external Harbor, saying on stderr
 * what it needs that one external Harbor cannot give: e.g. "two Harbor simulators", "the simulator's request log".
 * Does nothing without `HARBOR_TEST_URL`. For a suite that otherwise runs on a {@link HarborTarget}, use
 * {@link HarborTarget.requireSimulator} instead.
 */
export function skipAgainstExternalHarbor(ctx: Mocha.Context, needs: string): void {
    const external = externalHarbor();
    if (!external) return;
    // Mocha shows the skip; the reason goes to stderr so a real-Harbor run says what it did not cover.
    process.stderr.write(`      skipped against ${external.url}: "${skippedTitle(ctx)}" needs ${needs}\n`);
    ctx.skip();
}

/** The Harbor of one test suite. */
export interface HarborTarget extends HarborConnection {
    /** `simulator`: a fresh in-process simulator; `external`: the Harbor of `HARBOR_TEST_URL`. */
    readonly kind: "simulator" | "external";
    /** The simulator (faults, request log, stored secrets); undefined against an external Harbor. */
    readonly sim: HarborSimulator | undefined;
    /** The host at which Harbor reaches servers of this test process (`127.0.0.1` for the simulator). */
    readonly remoteHost: string;
    /** The address test registries listen on so that Harbor can reach them (`0.0.0.0` unless the remote host is loopback). */
    readonly listenHost: string;
    /** REST calls as the admin, listing only this run's names. */
    readonly rest: HarborRest;
    /** `base` with the run's prefix: use it for every registry, policy and project a test creates. */
    name(base: string): string;
    /** The URL at which Harbor reaches a server of this test process listening on `port`. */
    remoteUrl(port: number, scheme?: "http" | "https"): string;
    /**
     * The simulator; against an external Harbor, skips the calling test (or suite, from a hook) with a message naming
     * the simulator-only control it needs (fault injection, request log, stored secrets, version switches …).
     */
    requireSimulator(ctx: Mocha.Context, control: string): HarborSimulator;
    /** Deletes everything named with the run's prefix: replication policies and projects first, then registries. */
    cleanup(): Promise<void>;
    /** {@link HarborTarget.cleanup}, then closes the simulator (if any). */
    close(): Promise<void>;
}

/** Deletes every policy, project and registry of this run in a Harbor, in the order Harbor's delete guards need. */
export async function deleteRunResources(rest: HarborRest): Promise<void> {
    for (const p of await rest.listReplicationPolicies()) await rest.deleteReplicationPolicy(p.id);
    for (const p of await rest.listProjects()) await rest.deleteProject(p.id);
    for (const r of await rest.list()) await rest.delete(r.id);
}

/**
 * The Harbor for a test suite: the external one when `HARBOR_TEST_URL` is set (see {@link externalHarbor}), otherwise a
 * fresh simulator started with `simulator` options (bodies validated against swagger.yaml). Against an external Harbor
 * the simulator options are ignored, so a test must not depend on them without {@link HarborTarget.requireSimulator}.
 *
 * Usage: `target = await startHarborTarget()` in `before`, `await target.close()` in `after`; name everything with
 * `target.name(...)`; make Harbor reach local servers at `target.remoteUrl(port)` (listening on `target.listenHost`).
 */
export async function startHarborTarget(opts: { simulator?: HarborSimulatorOptions } = {}): Promise<HarborTarget> {
    const external = externalHarbor();
    const sim = external ? undefined : await startTestSimulator(opts.simulator);
    const conn: ExternalHarbor = external ?? { url: sim!.url, username: sim!.username, password: sim!.password, remoteHost: "127.0.0.1" };
    const rest = new HarborRest(conn, RUN_PREFIX);
    const host = conn.remoteHost.includes(":") && !conn.remoteHost.startsWith("[") ? `[${conn.remoteHost}]` : conn.remoteHost;
    const target: HarborTarget = {
        kind: external ? "external" : "simulator",
        sim,
        url: conn.url,
        username: conn.username,
        password: conn.password,
        remoteHost: conn.remoteHost,
        listenHost: harborListenHost(),
        rest,
        name: (base) => `${RUN_PREFIX}${base}`,
        remoteUrl: (port, scheme = "http") => `${scheme}://${host}:${port}`,
        requireSimulator(ctx, control) {
            if (sim) return sim;
            skipAgainstExternalHarbor(ctx, `the simulator's ${control}`);
            throw new Error("unreachable: skipped");
        },
        cleanup: () => deleteRunResources(rest),
        async close() {
            try {
                await deleteRunResources(rest);
            } finally {
                await sim?.close();
            }
        },
    };
    return target;
}

// Real-Harbor mode must leave nothing behind: a root hook, run once after every suite, checks the external Harbor.
if (externalHarbor()) {
    after("real-Harbor mode: nothing named with this run's prefix is left in Harbor", async () => {
        const rest = new HarborRest(externalHarbor()!, RUN_PREFIX);
        const left = [
            ...(await rest.listReplicationPolicies()).map((p) => `replication policy ${p.name}`),
            ...(await rest.listProjects()).map((p) => `project ${p.name}`),
            ...(await rest.list()).map((r) => `registry ${r.name}`),
        ];
        if (left.length > 0) {
            await deleteRunResources(rest);
            throw new Error(`the run left ${left.length} object(s) in Harbor (now deleted): ${left.join(", ")}`);
        }
    });
}
