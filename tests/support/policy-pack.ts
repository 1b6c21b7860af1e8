// Test support: examples/policy-pack installed the way a user installs it, against this checkout's packed tarball.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { repoRoot } from "./engine";

/** The files of examples/policy-pack a user copies (everything but node_modules). */
const PACK_FILES = ["PulumiPolicy.yaml", "package.json", "index.ts", "tsconfig.json"];

/** A ready policy pack directory outside the repository, and how long installing it took. */
export interface InstalledPolicyPack {
  /** The pack directory, for `pulumi preview --policy-pack`. */
  dir: string;
  /** Wall time of `npm pack` + `npm install`, in milliseconds. */
  installMs: number;
  /** Deletes the pack and the tarball. */
  cleanup(): void;
}

function npm(args: string[], cwd: string): string {
  // Node 24's bin dir (scripts/node24.sh) carries an npm next to node; fall back to the PATH's.
  const besideNode = path.join(path.dirname(process.execPath), "npm");
  return execFileSync(fs.existsSync(besideNode) ? besideNode : "npm", args, {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, npm_config_update_notifier: "false" },
    timeout: 300_000,
  });
}

/**
 * Packs this checkout (its built dist/, as `npm pack` ships it) and installs examples/policy-pack from a copy outside
 * the repository: `npm install` of the example's own package.json, with pulumi-harbor-endpoints taken from the tarball
 * (it is not on the registry yet). `--ignore-scripts` keeps `npm pack` from rebuilding dist/ under running tests.
 */
export function installPolicyPack(): InstalledPolicyPack {
  const started = Date.now();
  const base = fs.mkdtempSync(path.join(os.tmpdir(), "policy-pack-"));
  const dir = path.join(base, "harbor-endpoints-policy-pack");
  fs.mkdirSync(dir);
  const packed = JSON.parse(npm(["pack", "--ignore-scripts", "--json", "--pack-destination", base], repoRoot)) as { filename: string }[];
  const tarball = path.join(base, packed[0]!.filename);
  for (const f of PACK_FILES) fs.copyFileSync(path.join(repoRoot, "examples", "policy-pack", f), path.join(dir, f));
  npm(["install", "--no-save", "--no-audit", "--no-fund", "--prefer-offline", tarball], dir);
  return { dir, installMs: Date.now() - started, cleanup: () => fs.rmSync(base, { recursive: true, force: true }) };
}
