// The e2e harness: finds the real Pulumi CLI and runs a Pulumi project in an isolated temp home and file backend.
import { execFileSync } from "node:child_process";
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
        cached = pulumi === undefined ? undefined : { pathEntries, pulumi };
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
    if (process.env.CI === "true" || process.env.CI === "1") {
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
    /** Every line the engine printed so far, for the secret scan. */
    output: string[];
    /** The file the dynamic-provider host copies its stderr to. */
    providerStderrFile: string;
    /** The passphrase of the secrets provider. */
    passphrase: string;
    /** Creates or selects a stack of this project. */
    stack(name: string): Promise<Stack>;
    /** Callback for `onOutput`: records engine output lines. */
    onOutput: (chunk: string) => void;
    /** Runs the `pulumi` CLI in the project directory; returns exit code and combined output (also recorded). */
    cli(args: string[]): { code: number; stdout: string; stderr: string };
    /**
     * `pulumi stack export` as stored (secrets stay ciphertext), parsed and as raw text. The Automation API's
     * exportStack passes --show-secrets, so it cannot serve the secret scan.
     */
    exportStack(stack: string): { deployment: unknown; text: string };
    /** Raw text of every file in the file backend (checkpoints, history, backups). */
    backendFiles(): { file: string; text: string }[];
    /** Deletes the temp directories. */
    dispose(): void;
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
        // The program and the provider host resolve @pulumi/pulumi and this package from the checkout.
        NODE_PATH: path.join(repoRoot, "node_modules"),
        ...options.env,
    };
    const output: string[] = [];
    const onOutput = (chunk: string): void => {
        output.push(...chunk.split("\n"));
    };
    const pulumiCommand = await PulumiCommand.get({ root: path.dirname(path.dirname(engine.pulumi)) });
    const project: E2eProject = {
        workDir,
        env,
        output,
        providerStderrFile,
        passphrase,
        onOutput,
        stack: (name: string) =>
            LocalWorkspace.createOrSelectStack({ stackName: name, workDir }, { envVars: env, pulumiCommand }),
        cli(args: string[]) {
            try {
                const stdout = execFileSync(engine.pulumi, [...args, "--non-interactive"], {
                    cwd: workDir,
                    env: { ...process.env, ...env },
                    encoding: "utf8",
                    stdio: ["ignore", "pipe", "pipe"],
                });
                onOutput(stdout);
                return { code: 0, stdout, stderr: "" };
            } catch (e) {
                const err = e as { status?: number; stdout?: string; stderr?: string };
                onOutput(err.stdout ?? "");
                onOutput(err.stderr ?? "");
                return { code: err.status ?? 1, stdout: err.stdout ?? "", stderr: err.stderr ?? "" };
            }
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
        dispose() {
            fs.rmSync(base, { recursive: true, force: true });
        },
    };
    return project;
}
