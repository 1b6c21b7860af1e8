// Test support: drives a provider implementation the way the Pulumi engine does (check, diff, create/update/delete)
// and keeps the state the engine would record, including partially created resources (ErrorResourceInitFailed).
import type { RegistryEndpointProviderImplementation } from "../../provider/provider";

/** One resource as the engine records it. */
export interface RecordedResource {
  id: string;
  outputs: Record<string, unknown>;
  /** Set when create failed after Harbor made the endpoint: the engine updates it on the next `up` whatever the diff. */
  initErrors?: string[];
}

/** What one `up` or `destroy` did. */
export interface RunResult {
  /** Error messages and check failure reasons, as the engine would print them. */
  messages: string[];
  /** Whether every step succeeded. */
  ok: boolean;
  /** Steps taken: `create x`, `update x`, `same x`, `delete x`, `check-failed x` … */
  steps: string[];
}

/** The engine's view of a stack: resources by logical name. */
export class ProviderHarness {
  readonly state = new Map<string, RecordedResource>();

  constructor(private readonly provider: RegistryEndpointProviderImplementation) {}

  /** `pulumi up` of `desired` (logical name → inputs): every resource not desired is deleted. */
  async up(desired: Record<string, Record<string, unknown>>): Promise<RunResult> {
    const result: RunResult = { messages: [], ok: true, steps: [] };
    for (const [name, news] of Object.entries(desired)) {
      const old = this.state.get(name);
      const checked = await this.provider.check(old?.outputs ?? {}, { ...news, name: news.name ?? name });
      if (checked.failures && checked.failures.length > 0) {
        result.ok = false;
        result.steps.push(`check-failed ${name}`);
        result.messages.push(...checked.failures.map((f) => `${f.property}: ${f.reason}`));
        continue;
      }
      const inputs = checked.inputs as Record<string, unknown>;
      try {
        if (!old) {
          const created = await this.provider.create(inputs);
          this.state.set(name, { id: created.id, outputs: created.outs as Record<string, unknown> });
          result.steps.push(`create ${name}`);
          continue;
        }
        const diff = await this.provider.diff(old.id, old.outputs, inputs);
        // The engine replaces a resource with init errors by updating it, whatever the diff says.
        if (!diff.changes && !old.initErrors) {
          result.steps.push(`same ${name}`);
          continue;
        }
        const updated = await this.provider.update(old.id, old.outputs, inputs);
        this.state.set(name, { id: old.id, outputs: updated.outs as Record<string, unknown> });
        result.steps.push(`update ${name}`);
      } catch (e) {
        result.ok = false;
        result.steps.push(`failed ${name}`);
        result.messages.push(e instanceof Error ? e.message : String(e));
        const init = e as { id?: unknown; properties?: unknown; reasons?: unknown };
        if (typeof init.id === "string" && init.properties && Array.isArray(init.reasons)) {
          this.state.set(name, { id: init.id, outputs: init.properties as Record<string, unknown>, initErrors: init.reasons as string[] });
        }
      }
    }
    for (const name of [...this.state.keys()].filter((n) => !(n in desired))) {
      const r = await this.destroyOne(name);
      result.steps.push(...r.steps);
      result.messages.push(...r.messages);
      result.ok &&= r.ok;
    }
    return result;
  }

  /** `pulumi destroy`. */
  async destroy(): Promise<RunResult> {
    const result: RunResult = { messages: [], ok: true, steps: [] };
    for (const name of [...this.state.keys()]) {
      const r = await this.destroyOne(name);
      result.steps.push(...r.steps);
      result.messages.push(...r.messages);
      result.ok &&= r.ok;
    }
    return result;
  }

  private async destroyOne(name: string): Promise<RunResult> {
    const r = this.state.get(name)!;
    try {
      await this.provider.delete(r.id, r.outputs);
      this.state.delete(name);
      return { ok: true, steps: [`delete ${name}`], messages: [] };
    } catch (e) {
      return { ok: false, steps: [`delete-failed ${name}`], messages: [e instanceof Error ? e.message : String(e)] };
    }
  }
}
