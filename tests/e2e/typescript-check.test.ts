// The language host type-checks a TypeScript program as the real pulumi-language-nodejs does: with Pulumi.yaml's
// `typescript` option at its default (true), a type error fails `pulumi preview`; PULUMI_NODEJS_TRANSPILE_ONLY=true
// (the real host's switch) runs the same program without the check.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { createProject, type E2eProject, repoRoot, requireEngine } from "../support/engine";

/** A program whose only fault is a type error on line 4 (it runs fine as JavaScript). */
const PROGRAM_WITH_TYPE_ERROR = `import * as pulumi from "@pulumi/pulumi";

const cfg = new pulumi.Config();
const port: number = "8080";
export const answer = { port, project: pulumi.getProject(), optional: cfg.get("missing") ?? "none" };
`;

describe("e2e: TypeScript programs are type-checked like the real language host does", function () {
  this.timeout(5 * 60 * 1000);
  let project: E2eProject | undefined;

  before(async function () {
    const engine = requireEngine(this);
    project = await createProject(engine, { name: "typescript-check", program: path.join(repoRoot, "unused.js") });
    const dir = project.workDir;
    // A TypeScript project as `pulumi new typescript` makes it: no runtime options (typescript defaults to true),
    // index.ts as the entry point, a tsconfig, and @pulumi/pulumi (with its types) resolvable from the program.
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: typescript-check\nruntime: nodejs\n");
    fs.rmSync(path.join(dir, "index.js"));
    fs.writeFileSync(path.join(dir, "index.ts"), PROGRAM_WITH_TYPE_ERROR);
    fs.writeFileSync(
      path.join(dir, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { strict: true, target: "es2020", module: "commonjs", moduleResolution: "node" }, files: ["index.ts"] }),
    );
    fs.mkdirSync(path.join(dir, "node_modules"));
    for (const scope of ["@pulumi", "@types"]) fs.symlinkSync(path.join(repoRoot, "node_modules", scope), path.join(dir, "node_modules", scope), "dir");
    fs.symlinkSync(path.join(repoRoot, "node_modules", "typescript"), path.join(dir, "node_modules", "typescript"), "dir");
    const init = project.cli(["stack", "init", "dev"]);
    assert.equal(init.code, 0, init.stderr);
  });

  after(() => {
    project?.dispose();
  });

  it("a type error fails pulumi preview, naming the file, the line and the TypeScript error", () => {
    const r = project!.cli(["preview", "--stack", "dev"]);
    const out = `${r.stdout}${r.stderr}`;
    assert.notEqual(r.code, 0, out);
    assert.match(out, /index\.ts\(4,7\): error TS2322: Type 'string' is not assignable to type 'number'/);
    // Only the type error: the program's imports resolved, so nothing else was reported.
    assert.deepEqual(out.match(/error TS\d+/g), ["error TS2322"]);
  });

  it("PULUMI_NODEJS_TRANSPILE_ONLY=true runs the same program without the check, as the real host does", () => {
    project!.env.PULUMI_NODEJS_TRANSPILE_ONLY = "true";
    try {
      const r = project!.cli(["preview", "--stack", "dev"]);
      assert.equal(r.code, 0, `${r.stdout}${r.stderr}`);
      assert.doesNotMatch(`${r.stdout}${r.stderr}`, /error TS\d+/);
    } finally {
      delete project!.env.PULUMI_NODEJS_TRANSPILE_ONLY;
    }
  });
});
