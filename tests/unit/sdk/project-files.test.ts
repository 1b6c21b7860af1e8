// The repository's Pulumi.yaml files follow the CLI's project rules for config of other namespaces (pkg/workspace
// ValidateConfig): a key such as harbor:url may only carry a `value`, never a `type` or a `default`.
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

const repoRoot = path.resolve(__dirname, "..", "..", "..", "..");

/** The CLI's objections to a project's `config` block (empty when it would load the project). */
export function projectConfigProblems(project: { name?: unknown; config?: unknown }): string[] {
  const problems: string[] = [];
  const config = project.config;
  if (config === undefined || config === null) return problems;
  if (typeof config !== "object") return [`config must be a map`];
  for (const [key, decl] of Object.entries(config as Record<string, unknown>)) {
    const colon = key.indexOf(":");
    const namespaced = colon >= 0 && key.slice(0, colon) !== project.name;
    if (!namespaced || decl === null || typeof decl !== "object" || Array.isArray(decl)) continue;
    const d = decl as Record<string, unknown>;
    if (d.type !== undefined) problems.push(`Configuration key '${key}' is not namespaced by the project and should not define a type`);
    else if (d.default !== undefined) problems.push(`Configuration key '${key}' is not namespaced by the project and should not define a default value`);
    else if (d.value === undefined) problems.push(`Configuration key '${key}' is namespaced and must provide an attribute 'value'`);
  }
  return problems;
}

describe("Pulumi.yaml files of the repository", () => {
  const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "*Pulumi.yaml"], { cwd: repoRoot, encoding: "utf8" })
    .split("\n")
    .filter((f) => f !== "" && fs.existsSync(path.join(repoRoot, f)));

  it("finds the root project and the examples", () => {
    assert.ok(files.includes("Pulumi.yaml"));
    assert.ok(files.includes("examples/quickstart/Pulumi.yaml"));
  });

  it("declare no typed or defaulted config of another namespace (the CLI refuses to load such a project)", () => {
    const problems = files.flatMap((f) =>
      projectConfigProblems(parse(fs.readFileSync(path.join(repoRoot, f), "utf8")) as { name?: unknown }).map((p) => `${f}: ${p}`),
    );
    assert.deepEqual(problems, []);
  });

  it("the rule reports what the CLI reports", () => {
    assert.deepEqual(projectConfigProblems({ name: "p", config: { "harbor:url": { type: "string", description: "x" } } }), [
      "Configuration key 'harbor:url' is not namespaced by the project and should not define a type",
    ]);
    assert.deepEqual(projectConfigProblems({ name: "p", config: { "harbor:url": { default: "http://h" } } }), [
      "Configuration key 'harbor:url' is not namespaced by the project and should not define a default value",
    ]);
    assert.deepEqual(projectConfigProblems({ name: "p", config: { "harbor:url": { value: "http://h" }, "p:size": { type: "string" }, size: { type: "integer" } } }), []);
  });
});
