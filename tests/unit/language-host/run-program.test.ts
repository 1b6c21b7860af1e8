// Unit tests of the language host stand-in's Run: the program's node command line and environment, as the Go host builds them.
import * as assert from "node:assert/strict";
import * as path from "node:path";

interface ProgramCommand {
  args: string[];
  env: Record<string, string | undefined>;
}
interface RunProgramModule {
  programCommand(run: Record<string, unknown>): ProgramCommand;
}

// scripts/language-host is plain JavaScript run by node directly (dist/tests/unit/language-host → repository root).
const { programCommand } = require(path.join(__dirname, "..", "..", "..", "..", "scripts", "language-host", "run-program.js")) as RunProgramModule;

function command(options: Record<string, unknown>, baseEnv: Record<string, string> = {}): ProgramCommand {
  return programCommand({
    runScript: "/p/node_modules/@pulumi/pulumi/cmd/run",
    options,
    config: { "harbor:url": "http://h" },
    configSecretKeys: ["harbor:password"],
    monitor: "127.0.0.1:1",
    engine: "127.0.0.1:2",
    project: "proj",
    stack: "dev",
    pwd: "/p",
    rootDirectory: "/p",
    organization: "organization",
    dryRun: true,
    parallel: 4,
    entryPoint: ".",
    args: ["extra"],
    baseEnv,
  });
}

describe("language host: Run (program command)", () => {
  it("type-checks TypeScript by default: PULUMI_NODEJS_TYPESCRIPT=true, as the Go host sets it", () => {
    const { env } = command({});
    assert.equal(env.PULUMI_NODEJS_TYPESCRIPT, "true");
    assert.equal(env.PULUMI_NODEJS_TSCONFIG_PATH, undefined);
    // Nothing asks ts-node to skip the type check: that is PULUMI_NODEJS_TRANSPILE_ONLY's (or noCheck's) job alone.
    assert.equal(env.PULUMI_NODEJS_TRANSPILE_ONLY, undefined);
  });

  it("with typescript: false leaves PULUMI_NODEJS_TYPESCRIPT as the environment has it", () => {
    assert.equal(command({ typescript: false }).env.PULUMI_NODEJS_TYPESCRIPT, undefined);
    assert.equal(command({ typescript: false }, { PULUMI_NODEJS_TYPESCRIPT: "true" }).env.PULUMI_NODEJS_TYPESCRIPT, "true");
  });

  it("passes PULUMI_NODEJS_TRANSPILE_ONLY through from the environment", () => {
    assert.equal(command({}, { PULUMI_NODEJS_TRANSPILE_ONLY: "true" }).env.PULUMI_NODEJS_TRANSPILE_ONLY, "true");
  });

  it("sets the tsconfig path and puts nodeargs before the run script", () => {
    const { args, env } = command({ tsconfig: "tsconfig.pulumi.json", nodeargs: "--max-old-space-size=512 --enable-source-maps" });
    assert.equal(env.PULUMI_NODEJS_TSCONFIG_PATH, "tsconfig.pulumi.json");
    assert.deepEqual(args.slice(0, 3), ["--max-old-space-size=512", "--enable-source-maps", "/p/node_modules/@pulumi/pulumi/cmd/run"]);
  });

  it("builds the run script's flags, the entry point and the program arguments", () => {
    const { args, env } = command({});
    assert.deepEqual(args, [
      "/p/node_modules/@pulumi/pulumi/cmd/run",
      "--monitor=127.0.0.1:1",
      "--engine=127.0.0.1:2",
      "--project=proj",
      "--stack=dev",
      "--pwd=/p",
      "--root-directory=/p",
      "--organization=organization",
      "--dry-run",
      "--parallel=4",
      ".",
      "extra",
    ]);
    assert.equal(env.PULUMI_CONFIG, JSON.stringify({ "harbor:url": "http://h" }));
    assert.equal(env.PULUMI_CONFIG_SECRET_KEYS, JSON.stringify(["harbor:password"]));
  });

  it("rejects runtime options of the wrong type with the Go host's messages", () => {
    assert.throws(() => command({ typescript: "yes" }), /typescript option must be a boolean/);
    assert.throws(() => command({ nodeargs: `--x "open` }), /unterminated quote/);
  });
});
