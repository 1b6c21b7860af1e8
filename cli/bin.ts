#!/usr/bin/env node
// The `harbor-endpoints` command: dispatches subcommands and turns their failures into one line and an exit code.
import * as fs from "node:fs";
import * as path from "node:path";
import { runGenerate } from "./generate/command";
import type { CliIo } from "./io";

const USAGE = `usage: harbor-endpoints <command> [options]

Commands:
  generate   write the Pulumi TypeScript module that adopts the registry endpoints an existing Harbor already has
             (see harbor-endpoints generate --help)

  -h, --help     show this help
  --version      print the version of pulumi-harbor-endpoints
`;

function packageVersion(): string {
  // dist/cli/bin.js → the package root's package.json.
  const file = path.join(__dirname, "..", "..", "package.json");
  return (JSON.parse(fs.readFileSync(file, "utf8")) as { version: string }).version;
}

/** Runs the CLI with `argv` (without node and the script); resolves with the exit code, never throws. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === "-h" || command === "--help" || command === "help") {
      (command === undefined ? io.stderr : io.stdout).write(USAGE);
      return command === undefined ? 2 : 0;
    }
    if (command === "--version") {
      io.stdout.write(`${packageVersion()}\n`);
      return 0;
    }
    if (command === "generate") return await runGenerate(rest, io);
    io.stderr.write(`harbor-endpoints: unknown command ${JSON.stringify(command.slice(0, 40))}; the command is \`generate\` (see --help)\n`);
    return 2;
  } catch (e) {
    const kind = (e as { errorKind?: string }).errorKind;
    if (kind === "UsageError" || kind === "CliError") {
      io.stderr.write(`harbor-endpoints: ${(e as Error).message}\n`);
      return kind === "UsageError" ? 2 : 1;
    }
    // A bug, not a user error: still one line, without the internals' stack.
    io.stderr.write(`harbor-endpoints: unexpected failure: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}

if (require.main === module) {
  // `generate ... | head` closes the pipe early: that is the reader's choice, not a failure worth a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
      throw e;
    });
  }
  void main(process.argv.slice(2), {
    stdin: process.stdin,
    stdinIsTTY: process.stdin.isTTY === true,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
  }).then((code) => {
    process.exitCode = code;
  });
}
