// What to declare for each Harbor endpoint: its exact settings, names, secret key and notes, or why it is left out.
import type { HarborRegistry } from "../../provider/harbor/models";
import { checkRegistryEndpoint } from "../../provider/registry-endpoint/check";
import { type DerivedNames, deriveNames } from "./names";

/** The settings a generated `RegistryEndpoint` declares, copied from Harbor's record. */
export interface DeclaredSettings {
  providerName: string;
  name: string;
  description?: string;
  endpointUrl: string;
  accessId?: string;
  insecure: boolean;
  caCertificate?: string;
  /** The `connection` input (`--connection`), absent for the default connection. */
  connection?: string;
}

/** One endpoint the generated module declares. */
export interface EndpointDeclaration {
  /** Harbor's registry id. */
  registryId: number;
  names: DerivedNames;
  settings: DeclaredSettings;
  /** Harbor holds a secret for it: `accessSecret` comes from the secret config key `names.secretConfigKey`. */
  needsSecret: boolean;
  /** Things the user should know before the first `up` (shown as comments and printed). */
  notes: string[];
}

/** An endpoint of Harbor that the module cannot declare as it is, with the reason. */
export interface SkippedEndpoint {
  registryId: number;
  name: string;
  type: string;
  reason: string;
}

/** Everything the generated module and the printed instructions are made of. */
export interface GenerationPlan {
  /** In output order: grouped by provider type (alphabetical), then by Harbor name. */
  declarations: EndpointDeclaration[];
  skipped: SkippedEndpoint[];
}

/** Options of {@link planEndpoints}. */
export interface PlanOptions {
  /** Emitted as the `connection` input and used as the prefix of logical names and config keys. */
  connection?: string;
}

function text(v: string | null | undefined): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

/** Harbor's record as declared settings: every field exactly as Harbor stores it. */
export function settingsFromHarbor(reg: HarborRegistry, connection?: string): DeclaredSettings {
  const s: DeclaredSettings = { providerName: reg.type, name: reg.name, endpointUrl: reg.url, insecure: reg.insecure === true };
  const description = text(reg.description);
  if (description !== undefined) s.description = description;
  const accessId = text(reg.credential?.access_key);
  if (accessId !== undefined) s.accessId = accessId;
  const ca = text(reg.ca_certificate);
  if (ca !== undefined) s.caCertificate = ca;
  if (connection !== undefined) s.connection = connection;
  return s;
}

/** Whether Harbor holds a secret for the endpoint: GET answers `"*****"` then, and omits the field otherwise. */
export function holdsSecret(reg: HarborRegistry): boolean {
  return text(reg.credential?.access_key) !== undefined && text(reg.credential?.access_secret) !== undefined;
}

const COMPARED = ["providerName", "endpointUrl", "description", "accessId", "insecure", "caCertificate"] as const;

/**
 * Runs the resource's own `check` (offline: no connection test) over the settings, exactly as the first preview
 * will. A failure means the program could not even be previewed, so the endpoint is left out with that reason; a
 * value `check` would store differently from Harbor means the first `up` would change it, which is reported.
 */
async function verifyAgainstCheck(reg: HarborRegistry, settings: DeclaredSettings): Promise<{ skip?: string; notes: string[] }> {
  const { connection: _connection, ...inputs } = settings;
  const outcome = await checkRegistryEndpoint({}, { ...inputs, adopt: true }, { defaultConnectionTest: "never" });
  // The secret comes from stack config, which generate cannot see; its rules are checked when the user sets it.
  const failures = outcome.failures.filter((f) => !(f.property === "accessSecret" && holdsSecret(reg)));
  // An unknown type fails every later rule too; one clause says it all.
  if (failures.some((f) => f.property === "providerName")) return { skip: `RegistryEndpoint does not support the provider type ${reg.type}`, notes: [] };
  if (failures.length > 0) return { skip: failures.map((f) => `${f.property} ${f.reason}`).join("; "), notes: [] };
  const notes: string[] = [];
  for (const key of COMPARED) {
    const declared = (settings as unknown as Record<string, unknown>)[key];
    const checked = outcome.inputs[key];
    if (declared !== checked) {
      notes.push(
        `Harbor stores ${key} ${JSON.stringify(declared ?? "")}, which RegistryEndpoint normalises to ${JSON.stringify(checked ?? "")}: the first \`pulumi up\` writes that value to Harbor`,
      );
    }
  }
  return { notes };
}

/** Case-insensitive, then code-point order: readable, and independent of the machine's locale. */
function compareText(a: string, b: string): number {
  const la = a.toLowerCase();
  const lb = b.toLowerCase();
  if (la !== lb) return la < lb ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Decides what the module declares for `registries` (already filtered). Harbor's synthetic "Local" registry (id 0)
 * is never declared. Names are unique across the whole module and stable across runs (ties go to the lower id).
 */
export async function planEndpoints(registries: readonly HarborRegistry[], options: PlanOptions = {}): Promise<GenerationPlan> {
  const candidates = registries.filter((r) => r.id > 0);
  const skipped: SkippedEndpoint[] = [];
  const kept: { reg: HarborRegistry; settings: DeclaredSettings; notes: string[] }[] = [];
  for (const reg of candidates) {
    const settings = settingsFromHarbor(reg, options.connection);
    const verdict = await verifyAgainstCheck(reg, settings);
    if (verdict.skip !== undefined) {
      skipped.push({ registryId: reg.id, name: reg.name, type: reg.type, reason: verdict.skip });
      continue;
    }
    const notes = [...verdict.notes];
    if (reg.status === "unhealthy") {
      notes.push(
        'Harbor last found this endpoint unhealthy: the connection test of `pulumi preview` fails until the remote answers again; add `connectionTest: "never"` to adopt it anyway',
      );
    }
    kept.push({ reg, settings, notes });
  }
  const names = deriveNames(kept.map(({ reg }) => ({ id: reg.id, name: reg.name, type: reg.type })), { prefix: options.connection });
  const declarations: EndpointDeclaration[] = kept.map(({ reg, settings, notes }) => ({
    registryId: reg.id,
    names: names.get(reg.id)!,
    settings,
    needsSecret: holdsSecret(reg),
    notes,
  }));
  declarations.sort(
    (a, b) => compareText(a.settings.providerName, b.settings.providerName) || compareText(a.settings.name, b.settings.name) || a.registryId - b.registryId,
  );
  skipped.sort((a, b) => a.registryId - b.registryId);
  return { declarations, skipped };
}
