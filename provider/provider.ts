// Assembles the RegistryEndpoint dynamic provider: configure(), the lazily created Harbor client, and the lifecycle methods.
import type * as pulumi from "@pulumi/pulumi";
import { HarborClient } from "./harbor/client";
import { type ConnectionContext, type ConnectionFailure, type ConnectionTarget, testConnection } from "./connection";
import { type ConfigSource, type HarborProviderConfig, missingHarborSettings, readHarborConfig } from "./config";
import { redact } from "./redact";
import { checkRegistryEndpoint } from "./registry-endpoint/check";
import { diffRegistryEndpoint } from "./registry-endpoint/diff";
import {
  createRegistryEndpoint,
  deleteRegistryEndpoint,
  readRegistryEndpoint,
  updateRegistryEndpoint,
} from "./registry-endpoint/lifecycle";

/** How many connection tests (Harbor pings) may run at once per provider process. */
export const CONNECTION_TEST_CONCURRENCY = 8;

/** A counting semaphore: a preview of hundreds of endpoints must not open hundreds of pings against Harbor at once. */
export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  /** @param limit - the most holders at once. */
  constructor(private readonly limit: number) {}
  /** Runs `task` once a slot is free. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

const pingSlots = new Semaphore(CONNECTION_TEST_CONCURRENCY);

/** Options of `createRegistryEndpointProvider`, for tests. */
export interface RegistryEndpointProviderOptions {
  /** Environment used for the HARBOR_* fallbacks (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** Replaces the connection test (default: the connection layer's `testConnection`). */
  testConnection?: (target: ConnectionTarget, harbor: HarborClient) => Promise<ConnectionFailure[]>;
  /** Extra HarborClient options (timeouts, retry), merged over the configured connection. */
  clientOptions?: Partial<ConstructorParameters<typeof HarborClient>[0]>;
  /**
   * Extra context of the default connection test, for tests: `remoteOverrides` (fixed internet origins mapped to local
   * servers), `probeTimeoutMs`, `ecrEndpoint`. `localDiagnosis` comes from `harbor:connectionDiagnosis` unless set here.
   */
  connectionContext?: Omit<ConnectionContext, "harbor">;
}

/** The implementation behind `registryEndpointProvider`, plus `close()` for tests. */
export type RegistryEndpointProviderImplementation = Required<
  Pick<pulumi.dynamic.ResourceProvider, "configure" | "check" | "diff" | "create" | "read" | "update" | "delete">
> & {
  /** The Harbor client, created on first use. */
  harborClient(): HarborClient;
  /** Closes the Harbor client's connections. */
  close(): Promise<void>;
};

/**
 * Creates a provider implementation with its own configuration and Harbor client. configure() must run first (the
 * dynamic-provider host always calls it before any other method); without it, settings come from the environment.
 */
export function createRegistryEndpointProvider(options: RegistryEndpointProviderOptions = {}): RegistryEndpointProviderImplementation {
  const env = options.env ?? process.env;
  let config: HarborProviderConfig | undefined;
  let client: HarborClient | undefined;
  const settings = (): HarborProviderConfig => (config ??= readHarborConfig(undefined, env));
  const secrets = (): string[] => (settings().password ? [settings().password!] : []);

  const harborClient = (): HarborClient => {
    if (client) return client;
    const c = settings();
    const missing = missingHarborSettings(c);
    if (missing) throw new Error(`${missing}.`);
    client = new HarborClient({
      url: c.url!,
      username: c.username!,
      password: c.password!,
      insecure: c.insecure,
      caCertificate: c.caCertificate,
      ...options.clientOptions,
    });
    return client;
  };

  // Errors leave the provider through the engine's display: make sure the admin password never rides along.
  const guarded = async <T>(secretValues: (string | undefined)[], work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (e) {
      if (e instanceof Error) {
        const known = [...secrets(), ...secretValues.filter((s): s is string => !!s)];
        const message = redact(e.message, known);
        if (message !== e.message) e.message = message;
        if (e.stack) e.stack = redact(e.stack, known);
      }
      throw e;
    }
  };
  const secretOf = (props: unknown): string | undefined => {
    const v = (props as Record<string, unknown> | undefined)?.accessSecret;
    return typeof v === "string" ? v : undefined;
  };

  return {
    async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
      config = readHarborConfig(req.config as ConfigSource, env);
      client = undefined;
    },
    async check(olds: any, news: any): Promise<pulumi.dynamic.CheckResult> {
      return guarded([secretOf(news), secretOf(olds)], async () => {
        const c = settings();
        const unavailable = missingHarborSettings(c);
        const run =
          options.testConnection ??
          ((t: ConnectionTarget, h: HarborClient) =>
            testConnection(t, { localDiagnosis: c.connectionDiagnosis === "local", ...options.connectionContext, harbor: h }));
        const outcome = await checkRegistryEndpoint(olds ?? {}, news ?? {}, {
          defaultConnectionTest: c.connectionTest,
          unavailableReason: unavailable,
          testConnection: unavailable ? undefined : (target) => pingSlots.run(() => run(target, harborClient())),
        });
        return outcome.failures.length > 0 ? { inputs: outcome.inputs, failures: outcome.failures } : { inputs: outcome.inputs };
      });
    },
    async diff(_id: string, olds: any, news: any): Promise<pulumi.dynamic.DiffResult> {
      const d = diffRegistryEndpoint(olds ?? {}, news ?? {});
      return { changes: d.changes, replaces: d.replaces, deleteBeforeReplace: d.deleteBeforeReplace };
    },
    async create(inputs: any): Promise<pulumi.dynamic.CreateResult> {
      return guarded([secretOf(inputs)], () => createRegistryEndpoint(harborClient(), inputs ?? {}));
    },
    async read(id: string, props?: any): Promise<pulumi.dynamic.ReadResult> {
      return guarded([secretOf(props)], () => readRegistryEndpoint(harborClient(), id, props ?? {}));
    },
    async update(id: string, olds: any, news: any): Promise<pulumi.dynamic.UpdateResult> {
      return guarded([secretOf(news), secretOf(olds)], () => updateRegistryEndpoint(harborClient(), id, olds ?? {}, news ?? {}));
    },
    async delete(id: string, props: any): Promise<void> {
      return guarded([secretOf(props)], () => deleteRegistryEndpoint(harborClient(), id, props ?? {}));
    },
    harborClient,
    async close(): Promise<void> {
      const c = client;
      client = undefined;
      await c?.close();
    },
  };
}

let singleton: RegistryEndpointProviderImplementation | undefined;

/** The per-process implementation used by `registryEndpointProvider`; created on first use. */
export function registryEndpointProviderImplementation(): RegistryEndpointProviderImplementation {
  return (singleton ??= createRegistryEndpointProvider());
}
