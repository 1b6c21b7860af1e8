// The shipped declarations: every .d.ts reachable from package.json's "exports" types is free of zod, so a user's
// `tsc` under Pulumi's template tsconfig (no esModuleInterop, no skipLibCheck) never reads zod's declarations.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";

const repoRoot = path.resolve(__dirname, "..", "..", "..", "..");

/** Module specifiers a declaration file imports: `from "x"`, `import("x")`, `import "x"`, `require("x")`, references. */
export function moduleSpecifiers(text: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\bfrom\s+["']([^"']+)["']/g,
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
    /\bimport\s+["']([^"']+)["']/g,
    /\brequire\s*\(\s*["']([^"']+)["']\s*\)/g,
    /\/\/\/\s*<reference\s+(?:path|types)\s*=\s*["']([^"']+)["']/g,
  ];
  for (const re of patterns) {
    for (const m of text.matchAll(re)) found.push(m[1]!);
  }
  return found;
}

/** Resolves a relative specifier of a .d.ts to the .d.ts file tsc would read. */
function resolveDeclaration(fromFile: string, specifier: string): string {
  const base = path.resolve(path.dirname(fromFile), specifier);
  for (const candidate of [`${base}.d.ts`, path.join(base, "index.d.ts"), base.replace(/\.js$/, ".d.ts")]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  throw new Error(`${path.relative(repoRoot, fromFile)} imports ${specifier}, which resolves to no declaration file`);
}

/** Walks the declarations reachable from `entries`; returns every file read and every bare module it imports. */
export function walkDeclarations(entries: string[]): { files: Set<string>; bare: Map<string, string[]> } {
  const files = new Set<string>();
  const bare = new Map<string, string[]>();
  const pending = [...entries];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const spec of moduleSpecifiers(fs.readFileSync(file, "utf8"))) {
      if (spec.startsWith(".")) {
        pending.push(resolveDeclaration(file, spec));
      } else {
        const importers = bare.get(spec) ?? [];
        importers.push(path.relative(repoRoot, file));
        bare.set(spec, importers);
      }
    }
  }
  return { files, bare };
}

/** The "types" file of every entry of package.json's "exports" (and the top-level "types"). */
function exportedDeclarationEntries(): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as {
    types: string;
    exports: Record<string, string | { types?: string }>;
  };
  const entries = new Set<string>([path.join(repoRoot, pkg.types)]);
  for (const [key, value] of Object.entries(pkg.exports)) {
    if (typeof value === "object" && value.types !== undefined) entries.add(path.join(repoRoot, value.types));
    else if (key !== "./package.json") assert.fail(`exports["${key}"] has no "types": its declarations would not be checked`);
  }
  return [...entries];
}

const isZod = (spec: string): boolean => spec === "zod" || spec.startsWith("zod/");

describe("shipped declarations (package.json exports)", () => {
  it("every exported entry point has its declaration file in the build", () => {
    const entries = exportedDeclarationEntries();
    for (const subpath of ["sdk", "provider", "simulator", "policy"]) {
      assert.ok(entries.includes(path.join(repoRoot, "dist", subpath, "index.d.ts")), `exports has no types entry for dist/${subpath}`);
    }
    for (const entry of entries) assert.ok(fs.existsSync(entry), `${path.relative(repoRoot, entry)} is missing: run npm run build`);
  });

  it("no declaration reachable from an export imports zod", () => {
    const { files, bare } = walkDeclarations(exportedDeclarationEntries());
    // The walk really followed the imports: the SDK's resource class and the simulator's server are among them.
    assert.ok(files.has(path.join(repoRoot, "dist", "sdk", "registry-endpoint.d.ts")));
    assert.ok(files.has(path.join(repoRoot, "dist", "simulator", "server.d.ts")));
    const zodImporters = [...bare].filter(([spec]) => isZod(spec)).flatMap(([spec, from]) => from.map((f) => `${f} imports ${spec}`));
    assert.deepEqual(zodImporters, [], "public declarations must not expose zod (its .d.cts fail without esModuleInterop)");
  });

  it("the walk detects zod where the internals use it (the guard can fail)", () => {
    const internal = path.join(repoRoot, "dist", "provider", "registry-endpoint", "schema.d.ts");
    const { bare } = walkDeclarations([internal]);
    assert.ok([...bare.keys()].some(isZod), "schema.d.ts declares zod schemas, so the walk must report zod");
  });

  it("reads every kind of module specifier a declaration file can hold", () => {
    const text = [
      'import { a } from "./a";',
      'export * from "../b";',
      "type T = import('zod').ZodType;",
      'import "side-effect";',
      "import x = require(\"./c\");",
      '/// <reference types="node" />',
    ].join("\n");
    assert.deepEqual(moduleSpecifiers(text).sort(), ["../b", "./a", "./c", "node", "side-effect", "zod"]);
  });
});
