// What a command of the `harbor-endpoints` CLI reads and writes, and the two ways it fails.

/** The process streams and environment a command uses (tests pass their own). */
export interface CliIo {
  stdin: NodeJS.ReadableStream;
  /** Whether standard input is a terminal (then nothing is piped in). */
  stdinIsTTY: boolean;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  /** Relative paths (`--out`, `--ca-file`) are resolved against it. */
  cwd: string;
}

/** A wrong command line: the message names the flag; exit code 2. */
export class UsageError extends Error {
  /** Brand, recognised without instanceof. */
  readonly errorKind = "UsageError";
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** The command could not do its job (Harbor refused, a file exists …): one sentence; exit code 1. */
export class CliError extends Error {
  /** Brand, recognised without instanceof. */
  readonly errorKind = "CliError";
  constructor(message: string) {
    super(message);
    this.name = "CliError";
  }
}
