// Unit tests of the generated module: what it declares for each Harbor record, its layout, and what it leaves out.
import * as assert from "node:assert/strict";
import * as ts from "typescript";
import { configSetLines, emitModule } from "../../../cli/generate/emit";
import { planEndpoints } from "../../../cli/generate/plan";
import type { HarborRegistry } from "../../../provider/harbor/models";
import { TEST_CA_PEM } from "../registry-endpoint/fixtures";

const T = "2026-01-01T00:00:00.000Z";
function reg(id: number, name: string, type: string, url: string, extra: Partial<HarborRegistry> = {}): HarborRegistry {
  return { id, name, type, url, credential: {}, status: "healthy", creation_time: T, update_time: T, ...extra };
}
const secret = (key: string) => ({ credential: { type: "basic", access_key: key, access_secret: "*****" } });

const HARBOR: HarborRegistry[] = [
  reg(1, "Docker Hub mirror", "docker-hub", "https://hub.docker.com", { description: "Pull-through cache\nfor CI", ...secret("ci-bot") }),
  reg(2, "build-cache", "docker-registry", "http://cache.internal:5000", { insecure: true }),
  reg(3, "Build Cache", "docker-registry", "https://cache.example.com", { ca_certificate: TEST_CA_PEM, ...secret("puller") }),
  reg(4, "华为镜像", "huawei-SWR", "https://swr.cn-north-4.myhuaweicloud.com", secret("cn-north-4@AK")),
  reg(5, "delete", "harbor", "https://harbor.eu.example.com", { credential: { type: "basic", access_key: "robot$eu" } }),
  reg(6, "old hub", "artifact-hub", "https://artifacthub.io"),
  reg(7, "hub elsewhere", "docker-hub", "https://mirror.example.com"),
  reg(8, "down", "docker-registry", "https://down.example.com", { status: "unhealthy" }),
];

async function generate(list: HarborRegistry[] = HARBOR, connection?: string) {
  const plan = await planEndpoints(list, { connection });
  return { plan, source: emitModule(plan, { harborUrl: "https://harbor.example.com", filters: ["*"], connection }) };
}

/** The object literal passed to `new RegistryEndpoint("<logical>", {...})`, as source text. */
function declarationOf(source: string, logical: string): string {
  const start = source.indexOf(`new RegistryEndpoint(${JSON.stringify(logical)}, {`);
  assert.ok(start >= 0, `no declaration of ${logical}`);
  return source.slice(start, source.indexOf("});", start) + 3);
}

describe("cli generate: the generated module", () => {
  it("parses as TypeScript without a single syntax error", async () => {
    const { source } = await generate();
    const file = ts.createSourceFile("endpoints.ts", source, ts.ScriptTarget.ES2020, true, ts.ScriptKind.TS);
    const diagnostics = (file as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics;
    assert.deepEqual(diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")), []);
  });

  it("declares each endpoint with adopt: true and exactly the settings Harbor holds", async () => {
    const { source } = await generate();
    assert.equal(
      declarationOf(source, "build-cache-2"),
      [
        'new RegistryEndpoint("build-cache-2", {',
        '  providerName: "docker-registry",',
        '  name: "Build Cache",',
        '  endpointUrl: "https://cache.example.com",',
        '  accessId: "puller",',
        '  accessSecret: config.requireSecret("buildCache2AccessSecret"),',
        `  caCertificate: \`${TEST_CA_PEM}\`,`,
        "  adopt: true,",
        "});",
      ].join("\n"),
    );
    assert.equal(
      declarationOf(source, "build-cache"),
      'new RegistryEndpoint("build-cache", {\n  providerName: "docker-registry",\n  name: "build-cache",\n  endpointUrl: "http://cache.internal:5000",\n  insecure: true,\n  adopt: true,\n});',
    );
  });

  it("copies an access id without a stored secret, and asks for no secret then", async () => {
    const { source, plan } = await generate();
    const d = declarationOf(source, "delete");
    assert.match(d, /accessId: "robot\$eu"/);
    assert.doesNotMatch(d, /accessSecret/);
    assert.ok(!configSetLines(plan).some((l) => l.includes("deleteEndpointAccessSecret")));
  });

  it("shows descriptions as comments above the declaration and keeps the exact text in the description", async () => {
    const { source } = await generate();
    assert.match(source, /\/\/ Pull-through cache\n\/\/ for CI\nexport const dockerHubMirror = new RegistryEndpoint\("docker-hub-mirror", \{/);
    assert.match(declarationOf(source, "docker-hub-mirror"), /description: "Pull-through cache\\nfor CI",/);
  });

  it("groups declarations by provider type, alphabetically, each group under a heading", async () => {
    const { source } = await generate();
    const headings = [...source.matchAll(/^\/\/ ([\w-]+) \((\d+) endpoints?\)$/gm)].map((m) => `${m[1]} ${m[2]}`);
    assert.deepEqual(headings, ["docker-hub 1", "docker-registry 3", "harbor 1", "huawei-SWR 1"]);
    const order = [...source.matchAll(/new RegistryEndpoint\("([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(order, ["docker-hub-mirror", "build-cache-2", "build-cache", "down", "delete", "huawei-swr-4"]);
  });

  it("takes secrets from secret config keys and prints one config set line per key", async () => {
    const { source, plan } = await generate();
    assert.match(source, /^import \* as pulumi from "@pulumi\/pulumi";\nimport \{ RegistryEndpoint \} from "pulumi-harbor-endpoints";\n\nconst config = new pulumi\.Config\(\);$/m);
    assert.deepEqual(configSetLines(plan), [
      'pulumi config set --secret dockerHubMirrorAccessSecret  # access secret of "Docker Hub mirror" (docker-hub, Harbor id 1, access id "ci-bot")',
      'pulumi config set --secret buildCache2AccessSecret  # access secret of "Build Cache" (docker-registry, Harbor id 3, access id "puller")',
      'pulumi config set --secret huaweiSwr4AccessSecret  # access secret of "华为镜像" (huawei-SWR, Harbor id 4, access id "cn-north-4@AK")',
    ]);
    for (const key of ["dockerHubMirrorAccessSecret", "buildCache2AccessSecret", "huaweiSwr4AccessSecret"]) {
      assert.match(source, new RegExp(`^//   pulumi config set --secret ${key}$`, "m"));
    }
  });

  it("imports no pulumi and reads no config when no endpoint holds a secret", async () => {
    const { source } = await generate([HARBOR[1]!]);
    assert.doesNotMatch(source, /@pulumi\/pulumi|Config|requireSecret/);
    assert.match(source, /^import \{ RegistryEndpoint \} from "pulumi-harbor-endpoints";$/m);
  });

  it("exports a map of Harbor ids by Harbor name, in declaration order", async () => {
    const { source } = await generate();
    const map = source.slice(source.indexOf("export const registryIds = {"));
    assert.equal(
      map,
      [
        "export const registryIds = {",
        '  "Docker Hub mirror": dockerHubMirror.registryId,',
        '  "Build Cache": buildCache2.registryId,',
        '  "build-cache": buildCache.registryId,',
        "  down: down.registryId,",
        "  delete: deleteEndpoint.registryId,",
        '  "华为镜像": huaweiSwr4.registryId,',
        "};",
        "",
      ].join("\n"),
    );
  });

  it("leaves out, with the reason, endpoints RegistryEndpoint cannot take over as they are", async () => {
    const { plan, source } = await generate();
    assert.deepEqual(
      plan.skipped.map((s) => [s.registryId, s.reason.split(" ")[0]]),
      [
        [6, "RegistryEndpoint"],
        [7, "endpointUrl"],
      ],
    );
    assert.match(plan.skipped[1]!.reason, /must be https:\/\/hub\.docker\.com for docker-hub/);
    assert.match(source, /^\/\/ Not declared, because RegistryEndpoint cannot take them over as they are:\n\/\/   "old hub" \(Harbor id 6, type artifact-hub\): RegistryEndpoint does not support the provider type artifact-hub$/m);
    assert.doesNotMatch(source, /old hub"\s*,|hub elsewhere",/);
  });

  it("notes an endpoint Harbor found unhealthy, whose connection test will fail in preview", async () => {
    const { source } = await generate();
    assert.match(source, /\/\/ Note: Harbor last found this endpoint unhealthy[^\n]*connectionTest: "never"[^\n]*\nexport const down = /);
  });

  it("notes a stored value that RegistryEndpoint would normalise, because the first up would write it", async () => {
    const { plan } = await generate([reg(9, "legacy", "docker-registry", "http://legacy.example.com/ ")]);
    assert.equal(plan.declarations.length, 1);
    assert.match(plan.declarations[0]!.notes[0]!, /Harbor stores endpointUrl "http:\/\/legacy\.example\.com\/ ", which RegistryEndpoint normalises to "http:\/\/legacy\.example\.com"/);
  });

  it("never declares Harbor's built-in Local registry (id 0)", async () => {
    const { plan } = await generate([reg(0, "Local", "harbor", "http://core:8080"), HARBOR[1]!]);
    assert.deepEqual(plan.declarations.map((d) => d.registryId), [2]);
    assert.deepEqual(plan.skipped, []);
  });

  it("with a connection: emits it on every endpoint and prefixes logical names and config keys", async () => {
    const { source, plan } = await generate(HARBOR.slice(0, 2), "eu");
    assert.match(declarationOf(source, "eu-docker-hub-mirror"), /  connection: "eu",\n  adopt: true,/);
    assert.match(declarationOf(source, "eu-build-cache"), /  connection: "eu",/);
    assert.deepEqual(configSetLines(plan).map((l) => l.split("  #")[0]), ["pulumi config set --secret euDockerHubMirrorAccessSecret"]);
    assert.match(source, /generated by `harbor-endpoints generate --url https:\/\/harbor\.example\.com --connection eu --filter "\*"`/);
  });

  it("reads as hand-written code: no any, no casts, no ts-ignore, two-space indentation, a final newline", async () => {
    const { source } = await generate();
    const file = ts.createSourceFile("endpoints.ts", source, ts.ScriptTarget.ES2020, true, ts.ScriptKind.TS);
    const found: string[] = [];
    const visit = (node: ts.Node): void => {
      if (node.kind === ts.SyntaxKind.AnyKeyword || ts.isAsExpression(node) || ts.isTypeAssertionExpression(node) || ts.isNonNullExpression(node)) {
        found.push(node.getText(file));
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
    assert.deepEqual(found, []);
    assert.doesNotMatch(source, /@ts-|eslint-disable/);
    assert.ok(source.endsWith("};\n"));
    for (const line of source.split("\n")) assert.match(line, /^(| {2}\S.*|\S.*)$/, line);
  });

  it("keeps hostile descriptions and names from disguising or injecting code", async () => {
    const evil = reg(10, 'x", adopt: false, y: "', "docker-registry", "https://evil.example.com", {
      description: "line\u2028export const pwned = 1;\u202e\n*/ still a comment",
    });
    const { source } = await generate([evil]);
    assert.doesNotMatch(source, /^export const pwned/m);
    assert.doesNotMatch(source, /[\u2028\u2029\u202e]/);
    assert.match(source, /name: "x\\", adopt: false, y: \\"",/);
    assert.equal((source.match(/^  adopt: true,$/gm) ?? []).length, 1);
    assert.doesNotMatch(source, /adopt: false,\n/);
  });
});
