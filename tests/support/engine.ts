// The e2e harness: finds the real Pulumi CLI and runs a Pulumi project in an isolated temp home and file backend.
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";

/** The repository root (this file compiles to dist/tests/support/engine.js). */
export const repoRoot: string = path.resolve(__dirname, "..", "..", "..");

/** Where the engine was found: the PATH entries scripts/engine.sh printed, and the `pulumi` binary among them. */
export interface EngineLocation {
    /** PATH entries to put first (the engine bin dir, possibly followed by the Node language host dir). */
    pathEntries: string[];
    /** Absolute path of the `pulumi` executable. */
    pulumi: string;
    /**
     * Whether the dynamic-provider host the CLI will start is scripts/language-host's wrapper, the only host that
     * copies the provider's stderr to PULUMI_HARBOR_PROVIDER_STDERR (an ambient `pulumi` may bring its own).
     */
    providerHostIsWrapper: boolean;
}

/** The dynamic-provider host wrapper of this checkout. */
const PROVIDER_HOST_WRAPPER = path.join(repoRoot, "scripts", "language-host", "bin", "pulumi-resource-pulumi-nodejs");

/** The first line the wrapper appends to PULUMI_HARBOR_PROVIDER_STDERR in every provider process it starts. */
export const PROVIDER_STDERR_MARKER = "pulumi-resource-pulumi-nodejs (scripts/language-host): capturing provider stderr, pid ";

/** Whether CI=true (or 1): a missing engine or an unscannable provider stderr fails instead of skipping. */
export function isCi(): boolean {
    return process.env.CI === "true" || process.env.CI === "1";
}

/** Resolves `name` on a PATH the way the CLI does (first executable match), following symlinks. */
function resolveOnPath(name: string, entries: string[]): string | undefined {
    for (const dir of entries) {
        const candidate = path.join(dir, name);
        try {
            fs.accessSync(candidate, fs.constants.X_OK);
            return fs.realpathSync(candidate);
        } catch {
            // not here
        }
    }
    return undefined;
}

let cached: EngineLocation | undefined | null = null;

/**
 * Asks scripts/engine.sh for the engine without building it (a cold build takes 10-20 minutes and belongs to
 * `.ci/run` or the README's main job). Returns undefined when no engine is available.
 */
export function findEngine(): EngineLocation | undefined {
    if (cached !== null) {
        return cached;
    }
    try {
        const out = execFileSync("bash", [path.join(repoRoot, "scripts", "engine.sh")], {
            env: { ...process.env, PULUMI_HARBOR_ENGINE_NO_BUILD: "1" },
            encoding: "utf8",
            stdio: ["ignore", "pipe", "pipe"],
        }).trim();
        const pathEntries = out.split(path.delimiter).filter((p) => p.length > 0);
        const pulumi = pathEntries.map((p) => path.join(p, "pulumi")).find((p) => fs.existsSync(p));
        const searched = [...pathEntries, ...(process.env.PATH ?? "").split(path.delimiter).filter((p) => p.length > 0)];
        const providerHostIsWrapper = resolveOnPath("pulumi-resource-pulumi-nodejs", searched) === fs.realpathSync(PROVIDER_HOST_WRAPPER);
        cached = pulumi === undefined ? undefined : { pathEntries, pulumi, providerHostIsWrapper };
    } catch {
        cached = undefined;
    }
    return cached;
}

/**
 * The engine, or: under CI (`CI=true`) a thrown error so the tier fails, elsewhere a skipped suite.
 * Call from a mocha `before` hook.
 */
export function requireEngine(ctx: Mocha.Context): EngineLocation {
    const engine = findEngine();
    if (engine !== undefined) {
        return engine;
    }
    if (isCi()) {
        throw new Error("the Pulumi engine is missing and CI=true: run scripts/engine.sh before the e2e tier");
    }
    ctx.skip();
    throw new Error("unreachable: skipped");
}

/**
 * Makes `require("pulumi-harbor-endpoints")` resolve to this checkout, as it does in a user's project: the
 * dynamic-provider host evaluates the serialized provider with module paths taken from its cwd, and the provider
 * requires the package by name. Idempotent; node_modules is never committed.
 */
export function linkPackageIntoNodeModules(): void {
    const link = path.join(repoRoot, "node_modules", "pulumi-harbor-endpoints");
    try {
        if (fs.readlinkSync(link) === "..") {
            return;
        }
        fs.rmSync(link, { force: true });
    } catch {
        // not a link yet
    }
    try {
        fs.symlinkSync("..", link, "dir");
    } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") {
            throw e;
        }
    }
}

/** Options of {@link createProject}. */
export interface ProjectOptions {
    /** Pulumi project name. */
    name: string;
    /** Absolute path of the compiled program (a .js file) the project runs. */
    program: string;
    /** Extra environment for the CLI, the language host and the providers (e.g. HARBOR_URL). */
    env?: Record<string, string>;
}

/** An isolated Pulumi project: temp PULUMI_HOME, file backend, passphrase secrets, captured engine output. */
export interface E2eProject {
    /** The project directory (holds Pulumi.yaml and the stack config files). */
    workDir: string;
    /** The environment every CLI call gets. */
    env: Record<string, string>;
    /**
     * Every line the engine printed so far, stdout and stderr, plus the message of every rejected operation (the
     * Automation API folds the CLI's output into it), for the secret scan.
     */
    output: string[];
    /** Only the stderr lines (`onError`) among {@link E2eProject.output}. */
    errorOutput: string[];
    /** The message of every Automation API operation that rejected, in order (also in {@link E2eProject.output}). */
    rejections: string[];
    /** The file the dynamic-provider host copies its stderr to. */
    providerStderrFile: string;
    /** The passphrase of the secrets provider. */
    passphrase: string;
    /**
     * Creates or selects a stack of this project. Its preview/up/refresh/destroy (and previewRefresh/previewDestroy)
     * record stdout (`onOutput`), stderr (`onError`) and any rejection's message into {@link E2eProject.output}
     * without being asked; callbacks passed by the caller still run.
     */
    stack(name: string): Promise<Stack>;
    /** Callback for `onOutput`: records engine output lines (the stacks of {@link E2eProject.stack} already do). */
    onOutput: (chunk: string) => void;
    /** Callback for `onError`: records engine stderr lines (the stacks of {@link E2eProject.stack} already do). */
    onError: (chunk: string) => void;
    /** Runs the `pulumi` CLI in the project directory; returns exit code and combined output (also recorded). */
    cli(args: string[]): { code: number; stdout: string; stderr: string };
    /**
     * `pulumi stack export` as stored (secrets stay ciphertext), parsed and as raw text. The Automation API's
     * exportStack passes --show-secrets, so it cannot serve the secret scan.
     */
    exportStack(stack: string): { deployment: unknown; text: string };
    /** Raw text of every file in the file backend (checkpoints, history, backups). */
    backendFiles(): { file: string; text: string }[];
    /**
     * The provider stderr captured so far, for the secret scan. It must hold the wrapper's marker line, so a capture
     * that never happened cannot pass as "no secret found": throws when the wrapper was in use and wrote nothing, or
     * under CI when the CLI starts another dynamic-provider host; elsewhere skips the calling test in that case.
     */
    providerStderr(ctx: Mocha.Context): string;
    /** Deletes the temp directories. */
    dispose(): void;
}

/** Stack operations that print engine output; each takes its options object first. */
const SCANNED_OPERATIONS = new Set(["preview", "up", "refresh", "destroy", "previewRefresh", "previewDestroy"]);

/** Where {@link scannedStack} records what an operation printed and why it rejected. */
export interface OutputRecorder {
    /** A stdout chunk (`onOutput`). */
    out(chunk: string): void;
    /** A stderr chunk (`onError`). */
    err(chunk: string): void;
    /** The message of a rejected operation. */
    rejected(message: string): void;
}

type OutputOptions = { onOutput?: (chunk: string) => void; onError?: (chunk: string) => void } | undefined;

/**
 * Wraps a stack so every output-printing operation records stdout, stderr and its rejection message by default.
 * Anything else passes through to the real stack.
 */
export function scannedStack(stack: Stack, record: OutputRecorder): Stack {
    return new Proxy(stack, {
        get(target, prop) {
            const value = Reflect.get(target, prop, target) as unknown;
            if (typeof value !== "function") {
                return value;
            }
            if (typeof prop !== "string" || !SCANNED_OPERATIONS.has(prop)) {
                return (value as (...a: unknown[]) => unknown).bind(target);
            }
            return async (opts?: OutputOptions, ...rest: unknown[]): Promise<unknown> => {
                const withCapture = {
                    ...opts,
                    onOutput: (chunk: string) => {
                        record.out(chunk);
                        opts?.onOutput?.(chunk);
                    },
                    onError: (chunk: string) => {
                        record.err(chunk);
                        opts?.onError?.(chunk);
                    },
                };
                try {
                    return await (value as (...a: unknown[]) => Promise<unknown>).call(target, withCapture, ...rest);
                } catch (e) {
                    record.rejected(e instanceof Error ? e.message : String(e));
                    throw e;
                }
            };
        },
    });
}

/** Creates an isolated project whose program is `options.program`. */
export async function createProject(engine: EngineLocation, options: ProjectOptions): Promise<E2eProject> {
    linkPackageIntoNodeModules();
    const base = fs.mkdtempSync(path.join(os.tmpdir(), `e2e-${options.name}-`));
    const workDir = path.join(base, "project");
    const home = path.join(base, "pulumi-home");
    const backend = path.join(base, "state");
    for (const d of [workDir, home, backend]) {
        fs.mkdirSync(d, { recursive: true });
    }
    fs.writeFileSync(
        path.join(workDir, "Pulumi.yaml"),
        `name: ${options.name}\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: index.js\n`,
    );
    fs.writeFileSync(path.join(workDir, "index.js"), `module.exports = require(${JSON.stringify(options.program)});\n`);
    const providerStderrFile = path.join(base, "provider-stderr.log");
    fs.writeFileSync(providerStderrFile, "");
    const passphrase = "e2e-passphrase";
    const nodeDir = path.dirname(process.execPath);
    const env: Record<string, string> = {
        PATH: [...engine.pathEntries, nodeDir, process.env.PATH ?? ""].join(path.delimiter),
        PULUMI_HOME: home,
        PULUMI_BACKEND_URL: `file://${backend}`,
        PULUMI_CONFIG_PASSPHRASE: passphrase,
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        PULUMI_HARBOR_PROVIDER_STDERR: providerStderrFile,
        // A failed connection test is diagnosed by Harbor alone unless a test opts in (harbor:connectionDiagnosis
        // "local" in its stack config, or env): a local diagnosis of e.g. docker-hub would contact the internet.
        HARBOR_CONNECTION_DIAGNOSIS: "harbor-only",
        // The program and the provider host resolve @pulumi/pulumi and this package from the checkout.
        NODE_PATH: path.join(repoRoot, "node_modules"),
        ...options.env,
    };
    const output: string[] = [];
    const errorOutput: string[] = [];
    const rejections: string[] = [];
    const onOutput = (chunk: string): void => {
        output.push(...chunk.split("\n"));
    };
    const onError = (chunk: string): void => {
        const lines = chunk.split("\n");
        output.push(...lines);
        errorOutput.push(...lines);
    };
    const record = {
        out: onOutput,
        err: onError,
        rejected: (message: string) => {
            rejections.push(message);
            output.push(...message.split("\n"));
        },
    };
    const pulumiCommand = await PulumiCommand.get({ root: path.dirname(path.dirname(engine.pulumi)) });
    const project: E2eProject = {
        workDir,
        env,
        output,
        errorOutput,
        rejections,
        providerStderrFile,
        passphrase,
        onOutput,
        onError,
        stack: async (name: string) =>
            scannedStack(await LocalWorkspace.createOrSelectStack({ stackName: name, workDir }, { envVars: env, pulumiCommand }), record),
        cli(args: string[]) {
            // spawnSync keeps stderr on success too (execFileSync drops it), so the scan sees every line.
            const r = spawnSync(engine.pulumi, [...args, "--non-interactive"], {
                cwd: workDir,
                env: { ...process.env, ...env },
                encoding: "utf8",
                stdio: ["ignore", "pipe", "pipe"],
                maxBuffer: 256 * 1024 * 1024,
            });
            const stdout = r.stdout ?? "";
            const stderr = r.stderr ?? "";
            onOutput(stdout);
            onError(stderr);
            return { code: r.status ?? 1, stdout, stderr };
        },
        exportStack(stack: string) {
            const r = project.cli(["stack", "export", "--stack", stack]);
            if (r.code !== 0) {
                throw new Error(`pulumi stack export failed: ${r.stderr}`);
            }
            return { deployment: JSON.parse(r.stdout) as unknown, text: r.stdout };
        },
        backendFiles() {
            const files: { file: string; text: string }[] = [];
            const walk = (dir: string): void => {
                for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
                    const full = path.join(dir, entry.name);
                    if (entry.isDirectory()) {
                        walk(full);
                    } else {
                        files.push({ file: full, text: fs.readFileSync(full, "utf8") });
                    }
                }
            };
            walk(backend);
            return files;
        },
        providerStderr(ctx: Mocha.Context) {
            const text = fs.readFileSync(providerStderrFile, "utf8");
            if (text.includes(PROVIDER_STDERR_MARKER)) {
                return text;
            }
            if (engine.providerHostIsWrapper) {
                throw new Error(`the provider stderr capture ${providerStderrFile} holds no marker line although scripts/language-host's wrapper hosts the providers: the capture is broken`);
            }
            if (isCi()) {
                throw new Error("provider stderr was not captured: the CLI starts a dynamic-provider host other than scripts/language-host's wrapper, so the secret scan cannot read it (CI=true)");
            }
            ctx.skip();
            throw new Error("unreachable: skipped");
        },
        dispose() {
            fs.rmSync(base, { recursive: true, force: true });
        },
    };
    return project;
}

/**
 * An e2e suite's `after` hook: leaves nothing behind even when a step failed half way. Destroys the stack (a
 * failure is not rethrown: the suite's own steps report it, and the servers below go away anyway), deletes the
 * project's temp directories, then closes `servers` in order. Anything `before` never got to create is undefined.
 */
export async function tearDownSuite(
    stack: Stack | undefined,
    project: E2eProject | undefined,
    servers: ({ close(): Promise<void> } | undefined)[],
): Promise<void> {
    try {
        if (stack) {
            await stack.destroy();
        }
    } catch {
        // reported by the suite's own steps; nothing more can be cleaned in the engine
    }
    project?.dispose();
    for (const server of servers) {
        await server?.close();
    }
}
