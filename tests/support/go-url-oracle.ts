// Test support: Go's real net/url as the ground truth for Harbor's URL validation (tests/support/go-url-oracle/).
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { isCi } from "./engine";

/** What Harbor's ValidateHTTPURL makes of one input: the stored URL, or its 400 message. */
export type OracleAnswer = { ok: true; url: string } | { ok: false; message: string };

const SOURCE = path.resolve(__dirname, "..", "..", "..", "tests", "support", "go-url-oracle");

let binary: string | undefined;

/**
 * Builds the oracle once per source version (cached under the OS temp dir; stdlib only, so no download) and returns
 * its path. Without a Go toolchain: under CI an error, elsewhere the calling suite is skipped.
 */
export function requireGoUrlOracle(ctx: Mocha.Context): string {
  if (binary) return binary;
  const hash = createHash("sha256");
  for (const f of ["go.mod", "main.go"]) hash.update(fs.readFileSync(path.join(SOURCE, f)));
  const out = path.join(os.tmpdir(), `harbor-url-oracle-${hash.digest("hex").slice(0, 12)}`);
  if (!fs.existsSync(out)) {
    try {
      execFileSync("go", ["build", "-o", `${out}.tmp`, "."], {
        cwd: SOURCE,
        env: { ...process.env, GOTOOLCHAIN: "local", GOFLAGS: "-mod=mod", CGO_ENABLED: "0" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      fs.renameSync(`${out}.tmp`, out);
    } catch (e) {
      if (isCi()) throw new Error(`the Go URL oracle could not be built (go build in ${SOURCE}): ${(e as Error).message}`);
      ctx.skip();
    }
  }
  binary = out;
  return out;
}

/** Asks the oracle about every input at once (one process, one JSON string per line). */
export function askGoUrlOracle(oracle: string, inputs: string[]): OracleAnswer[] {
  const r = spawnSync(oracle, [], { input: inputs.map((s) => JSON.stringify(s)).join("\n") + "\n", encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`url-oracle failed: ${r.stderr}`);
  const answers = r.stdout.trim().split("\n").map((line) => JSON.parse(line) as OracleAnswer);
  if (answers.length !== inputs.length) throw new Error(`url-oracle answered ${answers.length} of ${inputs.length} inputs`);
  return answers;
}
