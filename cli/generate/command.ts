// `harbor-endpoints generate`: reads every endpoint of a Harbor and writes the Pulumi module that adopts them.
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { HarborClient } from "../../provider/harbor/client";
import { plainHttpRefusal } from "../../provider/harbor/transport";
import type { HarborRegistry } from "../../provider/harbor/models";
import { isHarborApiError, isHarborNetworkError, isHarborResponseShapeError, isHarborTimeoutError, isTlsVerificationCode } from "../../provider/errors";
import { redact } from "../../provider/redact";
import { CONNECTION_NAME_PATTERN } from "../../provider/registry-endpoint/schema";
import { compileGlob, type Glob } from "../glob";
import { CliError, type CliIo, UsageError } from "../io";
import { configSetLines, emitModule, skippedLine } from "./emit";
import { type GenerationPlan, planEndpoints } from "./plan";

/** `generate --help`. */
export const GENERATE_USAGE = `usage: harbor-endpoints generate --url URL --username USER [--password-stdin]
                                [--connection NAME] [--filter GLOB]... [--out FILE.ts [--force]]
                                [--insecure | --ca-file PEM]

Reads every registry endpoint of a Harbor (all pages; the built-in "Local" registry excluded) and writes a
TypeScript module that declares one RegistryEndpoint per endpoint with adopt: true and the settings Harbor holds.
Endpoints that hold a credential take accessSecret from a secret stack config key; the command prints the
\`pulumi config set --secret\` line for each (Harbor never returns secrets, so you supply them).

  --url URL          Harbor's base URL, e.g. https://harbor.example.com (env HARBOR_URL)
  --username USER    Harbor user or robot account that may list registries (env HARBOR_USERNAME)
  --password-stdin   read the password from standard input; otherwise it is taken from HARBOR_PASSWORD.
                     A password is never accepted as an argument.
  --connection NAME  emit \`connection: NAME\` on every endpoint (a named connection in harbor:connections), and
                     prefix logical names and config keys with NAME so modules of several Harbors fit in one program
  --filter GLOB      only endpoints whose Harbor name matches (* ? [abc] [!abc], case-sensitive); repeatable,
                     an endpoint matching any of them is kept
  --out FILE.ts      write the module there (default: standard output, instructions on standard error)
  --force            overwrite FILE.ts if it exists
  --insecure         do not verify Harbor's TLS certificate
  --ca-file PEM      trust this CA bundle for Harbor's TLS certificate
  -h, --help         show this help
`;

/** What one run was asked to do, after validation. */
export interface GenerateOptions {
  url: string;
  username: string;
  password: string;
  connection?: string;
  filters: Glob[];
  out?: string;
  force: boolean;
  insecure: boolean;
  caCertificate?: string;
  /** Plain http:// to a Harbor that is not this machine, allowed by HARBOR_ALLOW_HTTP=true. */
  allowHttp: boolean;
}

const SINGLE_VALUED = ["url", "username", "connection", "out", "ca-file"] as const;


function parseHarborUrl(raw: string): string {
  // Control characters and spaces would end up in the generated file's header and in messages.
  if (/[\s\p{Cc}\p{Cf}]/u.test(raw)) throw new UsageError("--url must not contain spaces or control characters");
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new UsageError("--url must be an http:// or https:// URL such as https://harbor.example.com");
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") throw new UsageError("--url must start with http:// or https://");
  // Never echo it: user-info is a credential.
  if (u.username !== "" || u.password !== "") throw new UsageError("--url must not contain a user or password; use --username and --password-stdin");
  if (u.search !== "" || u.hash !== "") throw new UsageError("--url must not have a query or fragment: give Harbor's base URL");
  const base = `${u.origin}${u.pathname}`.replace(/\/+$/, "").replace(/\/api\/v2\.0$/, "");
  return base;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

/** Reads and validates the command line; the password comes from stdin or the environment, never from `argv`. */
export async function parseGenerateArgs(argv: readonly string[], io: CliIo): Promise<GenerateOptions | "help"> {
  // Checked before parsing so that no parser message can ever repeat the value.
  if (argv.some((a) => /^--password(=|$)/.test(a))) {
    throw new UsageError("a password is never accepted as an argument (it would show in `ps` and in shell history): pipe it with --password-stdin, or set HARBOR_PASSWORD");
  }
  let parsed: ReturnType<typeof parse>;
  const parse = (args: string[]) =>
    parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      tokens: true,
      options: {
        url: { type: "string" },
        username: { type: "string" },
        "password-stdin": { type: "boolean" },
        connection: { type: "string" },
        filter: { type: "string", multiple: true },
        out: { type: "string" },
        force: { type: "boolean" },
        insecure: { type: "boolean" },
        "ca-file": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  try {
    parsed = parse([...argv]);
  } catch (e) {
    const code = (e as { code?: string }).code;
    // The positional itself is not repeated: it may be a password typed in the wrong place.
    if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") throw new UsageError("generate takes options only, not positional arguments (see --help)");
    throw new UsageError(`${(e as Error).message.replace(/\s+/g, " ").replace(/\.$/, "")} (see --help)`);
  }
  const { values, tokens } = parsed;
  if (values.help) return "help";
  for (const name of SINGLE_VALUED) {
    if (tokens.filter((t) => t.kind === "option" && t.name === name).length > 1) throw new UsageError(`--${name} is given more than once`);
  }

  const rawUrl = values.url ?? io.env.HARBOR_URL;
  if (rawUrl === undefined || rawUrl === "") throw new UsageError("--url is required (or set HARBOR_URL): Harbor's base URL, e.g. https://harbor.example.com");
  const url = parseHarborUrl(rawUrl);
  // The password must not cross a network unencrypted unless the user says so (the provider's harbor:allowHttp rule).
  const allowHttp = /^(true|1|yes)$/i.test((io.env.HARBOR_ALLOW_HTTP ?? "").trim());
  const refusal = plainHttpRefusal(url, allowHttp);
  if (refusal) throw new UsageError(`--url ${refusal.replace("set harbor:allowHttp to true (HARBOR_ALLOW_HTTP)", "set HARBOR_ALLOW_HTTP=true")}`);
  const username = values.username ?? io.env.HARBOR_USERNAME;
  if (username === undefined || username === "") throw new UsageError("--username is required (or set HARBOR_USERNAME): a Harbor user or robot account that may list registries");

  let password: string;
  if (values["password-stdin"]) {
    if (io.stdinIsTTY) throw new UsageError("--password-stdin reads the password from a pipe, e.g. `printf '%s' \"$PASSWORD\" | harbor-endpoints generate ...`; standard input is a terminal");
    // One trailing newline is what `echo` and most files add; it is not part of the password.
    password = (await readAll(io.stdin)).replace(/\r?\n$/, "");
    if (password === "") throw new UsageError("--password-stdin read an empty password from standard input");
  } else {
    password = io.env.HARBOR_PASSWORD ?? "";
    if (password === "") throw new UsageError("no Harbor password: pipe it with --password-stdin, or set HARBOR_PASSWORD");
  }

  if (values.connection !== undefined && !CONNECTION_NAME_PATTERN.test(values.connection)) {
    throw new UsageError("--connection must be a connection name of at most 63 letters, digits, '-' and '_', starting with a letter or digit (a key of harbor:connections)");
  }
  const filters = (values.filter ?? []).map((f) => {
    if (f === "") throw new UsageError("--filter must not be empty");
    try {
      return compileGlob(f);
    } catch (e) {
      throw new UsageError(`--filter: ${(e as Error).message}`);
    }
  });
  if (values.out !== undefined && !/\.ts$/.test(values.out)) throw new UsageError("--out must name a TypeScript file ending in .ts");
  if (values.force && values.out === undefined) throw new UsageError("--force only applies with --out");
  if (values.insecure && values["ca-file"] !== undefined) throw new UsageError("--insecure and --ca-file exclude each other: --ca-file verifies Harbor's certificate, --insecure does not");
  let caCertificate: string | undefined;
  if (values["ca-file"] !== undefined) {
    try {
      caCertificate = fs.readFileSync(path.resolve(io.cwd, values["ca-file"]), "utf8");
    } catch (e) {
      throw new UsageError(`--ca-file ${values["ca-file"]} cannot be read (${(e as NodeJS.ErrnoException).code ?? "error"})`);
    }
  }
  return {
    url,
    username,
    password,
    connection: values.connection,
    filters,
    out: values.out === undefined ? undefined : path.resolve(io.cwd, values.out),
    force: values.force === true,
    insecure: values.insecure === true,
    caCertificate,
    allowHttp,
  };
}

/** One sentence for a failed read of Harbor's endpoints, naming the flag to fix. */
export function describeHarborFailure(e: unknown, o: Pick<GenerateOptions, "url" | "username">): string {
  const at = `Harbor at ${o.url}`;
  if (isHarborApiError(e)) {
    const id = e.requestId ? ` (request id ${e.requestId})` : "";
    if (e.status === 401) return `${at} rejected the login of ${JSON.stringify(o.username)} (401): check --username and the password from --password-stdin or HARBOR_PASSWORD${id}`;
    if (e.status === 403) {
      return `${at} refused to list registry endpoints to ${JSON.stringify(o.username)} (403): use an administrator, or a robot account with the system permission to list registries${id}`;
    }
    if (e.status === 404) return `${at} has no registry API at ${o.url}/api/v2.0 (404): check that --url is Harbor's base URL${id}`;
    return `listing the registry endpoints of ${at} failed: ${e.message}`;
  }
  if (isHarborNetworkError(e)) {
    if (isTlsVerificationCode(e.code)) return `${at} presented a TLS certificate that is not trusted (${e.code}): pass its CA bundle with --ca-file, or --insecure to skip verification`;
    return `${at} did not answer${e.code ? ` (${e.code})` : ""}: check --url and that Harbor is reachable from this machine`;
  }
  if (isHarborTimeoutError(e)) return `${at} did not answer within ${e.timeoutMs} ms: check --url and Harbor's health`;
  if (isHarborResponseShapeError(e)) return `the answer from ${o.url}/api/v2.0/registries is not Harbor's list of registry endpoints: check that --url is Harbor's base URL`;
  return `listing the registry endpoints of ${at} failed: ${e instanceof Error ? e.message : String(e)}`;
}

async function readRegistries(o: GenerateOptions): Promise<HarborRegistry[]> {
  const client = new HarborClient({
    url: o.url, username: o.username, password: o.password, insecure: o.insecure, caCertificate: o.caCertificate, allowHttp: o.allowHttp,
  });
  try {
    return await client.listRegistries();
  } catch (e) {
    throw new CliError(describeHarborFailure(e, o));
  } finally {
    await client.close();
  }
}

function selectByFilter(registries: HarborRegistry[], o: GenerateOptions): HarborRegistry[] {
  const real = registries.filter((r) => r.id > 0);
  if (real.length === 0) throw new CliError(`Harbor at ${o.url} has no registry endpoints to adopt`);
  if (o.filters.length === 0) return real;
  const kept = real.filter((r) => o.filters.some((g) => g.matches(r.name)));
  if (kept.length === 0) {
    const names = real.map((r) => JSON.stringify(r.name)).sort();
    const shown = names.length > 10 ? `${names.slice(0, 10).join(", ")} and ${names.length - 10} more` : names.join(", ");
    throw new CliError(`no endpoint name matches --filter ${o.filters.map((g) => JSON.stringify(g.source)).join(" / ")}; Harbor at ${o.url} has ${shown}`);
  }
  return kept;
}

/** Writes next to the target and renames, so an interrupted run never leaves half a module behind. */
function writeModule(file: string, source: string, force: boolean): void {
  if (!force && fs.existsSync(file)) throw new CliError(`${file} already exists; pass --force to overwrite it`);
  const dir = path.dirname(file);
  if (!fs.existsSync(dir)) throw new CliError(`cannot write ${file}: the directory ${dir} does not exist`);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(tmp, source, { flag: "wx" });
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw new CliError(`cannot write ${file} (${(e as NodeJS.ErrnoException).code ?? "error"})`);
  }
}

function summary(plan: GenerationPlan, where: string): string[] {
  const counts = new Map<string, number>();
  for (const d of plan.declarations) counts.set(d.settings.providerName, (counts.get(d.settings.providerName) ?? 0) + 1);
  const types = [...counts].map(([t, n]) => `${t} ${n}`).join(", ");
  const n = plan.declarations.length;
  const lines = [`${where}: ${n} endpoint${n === 1 ? "" : "s"} (${types}), each declared with adopt: true.`];
  const secrets = configSetLines(plan);
  if (secrets.length > 0) {
    lines.push(
      `Harbor never returns secrets: set ${secrets.length === 1 ? "the access secret" : `the ${secrets.length} access secrets`} before \`pulumi preview\` (each command prompts for the value, or reads it from standard input):`,
      ...secrets,
    );
  }
  return lines;
}

/** Runs `generate`; resolves with the process exit code. */
export async function runGenerate(argv: readonly string[], io: CliIo): Promise<number> {
  const o = await parseGenerateArgs(argv, io);
  if (o === "help") {
    io.stdout.write(GENERATE_USAGE);
    return 0;
  }
  try {
    const registries = selectByFilter(await readRegistries(o), o);
    const plan = await planEndpoints(registries, { connection: o.connection });
    if (plan.declarations.length === 0) {
      for (const s of plan.skipped) io.stderr.write(`harbor-endpoints: left out ${skippedLine(s)}\n`);
      throw new CliError("none of the selected endpoints can be declared as a RegistryEndpoint (see the reasons above)");
    }
    const source = emitModule(plan, { harborUrl: o.url, filters: o.filters.map((g) => g.source), connection: o.connection });
    let info: NodeJS.WritableStream;
    if (o.out !== undefined) {
      writeModule(o.out, source, o.force);
      info = io.stdout;
    } else {
      io.stdout.write(source);
      info = io.stderr;
    }
    for (const s of plan.skipped) io.stderr.write(`harbor-endpoints: left out ${skippedLine(s)}\n`);
    for (const d of plan.declarations) for (const n of d.notes) io.stderr.write(`harbor-endpoints: note on ${JSON.stringify(d.settings.name)}: ${n}\n`);
    info.write(`${summary(plan, o.out ?? "Module written to standard output").join("\n")}\n`);
    return 0;
  } catch (e) {
    // Errors are redacted where they are built; this is the last line of defence for the one secret in play.
    throw new CliError(redact(e instanceof Error ? e.message : String(e), [o.password]));
  }
}
