// Assembles the RegistryEndpoint dynamic provider: configure(), a Harbor client per named connection, and the lifecycle methods.
import type * as pulumi from "@pulumi/pulumi";
import { HarborClient } from "./harbor/client";
import { type ConnectionContext, type ConnectionFailure, type ConnectionTarget, explainVerdict, testConnection } from "./connection";
import { ConnectionTestError, isHarborApiError } from "./errors";
import type { ConfigSource } from "./config";
import {
  DEFAULT_CONNECTION,
  HarborConnectionPool,
  type HarborConnectionSettings,
  inConnection,
  listConnectionNames,
  missingConnectionSettings,
  readHarborConnections,
  sameHarbor,
  unknownConnectionReason,
} from "./connections";
import { engineLog } from "./engine-log";
import { redact } from "./redact";
import { verifyHarborConnection } from "./verify-connection";
import { installDetailedDiffBridge, toDetailedDiff, withDetailedDiff } from "./detailed-diff";
import { type CheckConnection, type CheckFailure, checkRegistryEndpoint, connectionTargetOf } from "./registry-endpoint/check";
import { diffRegistryEndpoint } from "./registry-endpoint/diff";
import { diffConnectionTest } from "./registry-endpoint/diff-connection-test";
import { type RunPhase, runPhaseOf } from "./run-phase";
import {
  type CreateOptions,
  createRegistryEndpoint,
  deleteRegistryEndpoint,
  readRegistryEndpoint,
  updateRegistryEndpoint,
} from "./registry-endpoint/lifecycle";
import { type HarborName, LOGICAL_NAME_KEY, OwnershipLedger } from "./registry-endpoint/ownership";
import { HarborWrites, RegistryReads } from "./registry-endpoint/read-coalescing";
import { isUnknown } from "./registry-endpoint/vocabulary";

/**
 * How many connection tests (Harbor pings) may run at once per provider process: the pings of new endpoints (check)
 * and of changed existing ones (diff, parallel under PULUMI_PARALLEL_DIFF=true) share it, so Harbor never sees more.
 */
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
  /** Extra HarborClient options (timeouts, retry), merged over every configured connection. */
  clientOptions?: Partial<ConstructorParameters<typeof HarborClient>[0]>;
  /**
   * Extra context of the default connection test, for tests: `remoteOverrides` (fixed internet origins mapped to local
   * servers), `probeTimeoutMs`, `ecrEndpoint`. `localDiagnosis` comes from `harbor:connectionDiagnosis` unless set here.
   */
  connectionContext?: Omit<ConnectionContext, "harbor">;
  /**
   * Verifies one Harbor connection (reachable, TLS, login, permissions) during check, at most once per connection per
   * provider process, for every RegistryEndpoint (new, changed or unchanged); resolves with one sentence naming the
   * config key to fix when it is unusable, and check then fails with it. A connection missing url, username or
   * password fails the same way without a request. Default: `verifyHarborConnection` (at most 2 requests per
   * connection); `false` turns the verification off.
   */
  verifyConnection?: ((connection: HarborConnectionSettings, harbor: HarborClient) => Promise<string | undefined>) | false;
  /** Options of `create` (the delays of the name lookups that reconcile a POST whose answer was lost). */
  createOptions?: CreateOptions;
}

/** The implementation behind `registryEndpointProvider`, plus `close()` for tests. */
export type RegistryEndpointProviderImplementation = Required<
  Pick<pulumi.dynamic.ResourceProvider, "configure" | "check" | "diff" | "create" | "read" | "update" | "delete">
> & {
  /** The Harbor client of the `default` connection, created on first use. */
  harborClient(): HarborClient;
  /** The Harbor client of a named connection, created on first use; throws when it is not configured. */
  harborClientFor(connection: string): HarborClient;
  /** Closes every Harbor client's connections. */
  close(): Promise<void>;
};

/** The connection a resource's inputs or state name; state written before connections existed used `default`. */
function connectionOf(props: unknown): string {
  const v = (props as Record<string, unknown> | undefined)?.connection;
  return typeof v === "string" && v !== "" ? v : DEFAULT_CONNECTION;
}

/** Harbor's 400 "the registry is unhealthy": its own health check on POST/PUT refused the remote. */
function isUnhealthyRefusal(e: unknown): e is { requestId?: string } {
  return isHarborApiError(e) && e.status === 400 && e.messages.some((m) => /unhealthy/i.test(m));
}

/** The one error a failed connection test becomes outside check: the first failure's field and reason (all reasons). */
function connectionTestError(failures: CheckFailure[], secrets: (string | undefined)[], cause?: unknown): ConnectionTestError {
  const reason = failures.map((f) => f.reason.replace(/[.\s]+$/, "")).join("; ");
  return new ConnectionTestError({ field: failures[0]!.property, reason, secrets: secrets.filter((x): x is string => !!x), cause });
}

/**
 * Creates a provider implementation with its own configuration and Harbor clients (one per connection). configure()
 * must run first (the dynamic-provider host always calls it before any other method); without it, settings come from
 * the environment.
 */
export function createRegistryEndpointProvider(options: RegistryEndpointProviderOptions = {}): RegistryEndpointProviderImplementation {
  const env = options.env ?? process.env;
  let pool: HarborConnectionPool | undefined;
  // The phase this process serves, as the program's check calls reported it; diff never sees the marker itself.
  let phase: RunPhase | undefined;
  const verified = new Map<string, Promise<string | undefined>>();
  // Harbor names and endpoint ids claimed by the resources of this program run (the provider process is per run).
  let ledger = new OwnershipLedger();
  const connections = (): HarborConnectionPool =>
    (pool ??= new HarborConnectionPool(readHarborConnections(undefined, env), { clientOptions: options.clientOptions }));
  // Reads of one connection that arrive together (a refresh) share one listing; a write to the same Harbor, through
  // any connection with its URL, keeps them from answering from a listing that may predate it.
  let reads = new Map<string, RegistryReads>();
  let writes = new Map<string, HarborWrites>();
  const writesTo = (connection: string): HarborWrites => {
    const harbor = connections().settings(connection)?.url ?? `connection ${connection}`;
    let w = writes.get(harbor);
    if (!w) writes.set(harbor, (w = new HarborWrites()));
    return w;
  };
  const readsOf = (connection: string, client: HarborClient): RegistryReads => {
    let r = reads.get(connection);
    if (!r) reads.set(connection, (r = new RegistryReads(client, writesTo(connection), { listing: connections().set.config.refreshListing })));
    return r;
  };

  /** The client of the resource's connection; a connection missing from config is an error saying how to restore it. */
  const clientFor = (connection: string, action: string, props: unknown, id?: string): HarborClient => {
    const pooled = connections();
    if (!pooled.settings(connection)) {
      const name = (props as Record<string, unknown> | undefined)?.name;
      const what = `RegistryEndpoint${typeof name === "string" ? ` "${name}"` : ""}${id !== undefined ? ` (Harbor id ${id})` : ""}`;
      throw new Error(
        `cannot ${action} ${what}: its Harbor connection ${JSON.stringify(connection)} is not configured (configured connections: ${listConnectionNames(pooled.set.names)}); restore harbor:connections.${connection} (url, username and a --secret password), then run \`pulumi up\` (\`pulumi destroy\` and \`pulumi refresh\` need --run-program to see the restored config).`,
      );
    }
    return pooled.client(connection);
  };

  // Errors leave the provider through the engine's display: make sure no Harbor password rides along, and that a
  // message about a named connection names that connection's settings.
  const guarded = async <T>(secretValues: (string | undefined)[], connection: string | undefined, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (e) {
      if (e instanceof Error) {
        const known = [...connections().secrets(), ...secretValues.filter((s): s is string => !!s)];
        const settings = connection === undefined ? undefined : connections().settings(connection);
        const message = redact(settings ? inConnection(e.message, settings) : e.message, known);
        if (message !== e.message) e.message = message;
        // The dynamic-provider host prints a failed check/read/delete as `${e}: ${e.stack}`: the frames are this
        // package's internals and say nothing to the user, so only the sentence remains (item 6 of issue 8).
        if (e.stack) e.stack = `${e.name}: ${e.message}`;
      }
      throw e;
    }
  };
  const secretOf = (props: unknown): string | undefined => {
    const v = (props as Record<string, unknown> | undefined)?.accessSecret;
    return typeof v === "string" ? v : undefined;
  };

  const diagnosisContext = (): Omit<ConnectionContext, "harbor"> => ({
    localDiagnosis: connections().set.config.connectionDiagnosis === "local",
    ...options.connectionContext,
  });

  /**
   * A POST/PUT that Harbor's own health check refused, in a process that did not ping first (the update phase): the
   * same diagnosis a failed ping gets, so the user reads the same one sentence naming the field. `connectionTest:
   * "never"` keeps Harbor's answer as is (that endpoint asked for no probing).
   */
  const diagnoseWrite = async <T>(inputs: Record<string, unknown>, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (e) {
      const mode = inputs.connectionTest ?? connections().set.config.connectionTest;
      if (!isUnhealthyRefusal(e) || mode === "never") throw e;
      const settings = connections().settings(connectionOf(inputs));
      const failures = await explainVerdict(connectionTargetOf(inputs), diagnosisContext(), { kind: "unhealthy", requestId: e.requestId }).catch(() => []);
      if (failures.length === 0) throw e;
      const reasons = failures.map((f) => ({ ...f, reason: settings ? inConnection(f.reason, settings) : f.reason }));
      throw connectionTestError(reasons, [secretOf(inputs)], e);
    }
  };

  const checkConnection = (name: string): CheckConnection | { failure: string } => {
    const pooled = connections();
    const settings = pooled.settings(name);
    if (!settings) return { failure: unknownConnectionReason(name, pooled.set) };
    const verify = options.verifyConnection === undefined ? verifyHarborConnection : options.verifyConnection;
    const unavailable = missingConnectionSettings(settings);
    if (unavailable) {
      return { unavailableReason: unavailable, verify: verify ? () => Promise.resolve(unavailable) : undefined };
    }
    const run = options.testConnection ?? ((t: ConnectionTarget, h: HarborClient) => testConnection(t, { ...diagnosisContext(), harbor: h }));
    return {
      testConnection: async (target) => {
        const failures = await pingSlots.run(() => run(target, pooled.client(name)));
        return failures.map((f) => ({ ...f, reason: inConnection(f.reason, settings) }));
      },
      verify: verify
        ? () => {
            let pending = verified.get(name);
            if (!pending) {
              pending = verify(settings, pooled.client(name)).then(
                (r) => (r === undefined ? r : redact(inConnection(r, settings), pooled.secrets())),
                (e: unknown) => redact(inConnection(`the Harbor connection could not be verified: ${e instanceof Error ? e.message : String(e)}`, settings), pooled.secrets()),
              );
              verified.set(name, pending);
            }
            return pending;
          }
        : undefined,
    };
  };

  /** The Harbor name a resource's (checked) inputs or state claim, when known and its connection is configured. */
  const harborNameOf = (props: unknown): HarborName | undefined => {
    const name = (props as Record<string, unknown> | undefined)?.name;
    if (typeof name !== "string" || name === "" || isUnknown(name)) return undefined;
    const connection = connectionOf(props);
    if (isUnknown(connection)) return undefined;
    const url = connections().settings(connection)?.url;
    return url === undefined ? undefined : { harbor: url, connection, name };
  };
  /**
   * The logical name of the resource that claimed this Harbor name in this run's check, if any. Only resources that
   * came through check with a logical name (the SDK's) are recorded as managing an endpoint id.
   */
  const ownerOf = (at: HarborName | undefined): string | undefined => (at ? ledger.ownerOfName(at.harbor, at.name) : undefined);

  return {
    async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
      const previous = pool;
      pool = new HarborConnectionPool(readHarborConnections(req.config as ConfigSource, env), { clientOptions: options.clientOptions });
      verified.clear();
      reads = new Map();
      writes = new Map();
      // The engine configures each provider process once, at the start of a run: a new run starts a new ledger.
      ledger = new OwnershipLedger();
      await previous?.close();
    },
    async check(olds: any, news: any): Promise<pulumi.dynamic.CheckResult> {
      return guarded([secretOf(news), secretOf(olds)], undefined, async () => {
        const reported = runPhaseOf(news);
        if (reported !== undefined) phase = reported;
        const outcome = await checkRegistryEndpoint(olds ?? {}, news ?? {}, {
          defaultConnectionTest: connections().set.config.connectionTest,
          connection: checkConnection,
          testExistingInDiff: true,
          phase: reported,
        });
        // Two resources of one program on one Harbor name: refused here, so that preview fails before anything runs.
        const logical = (news as Record<string, unknown> | undefined)?.[LOGICAL_NAME_KEY];
        const next = harborNameOf(outcome.inputs);
        if (typeof logical === "string" && next && !outcome.failures.some((f) => f.property === "name" || f.property === "connection")) {
          const clash = ledger.claim(logical, next, harborNameOf(olds));
          if (clash) outcome.failures.push({ property: "name", reason: clash });
        }
        return outcome.failures.length > 0 ? { inputs: outcome.inputs, failures: outcome.failures } : { inputs: outcome.inputs };
      });
    },
    async diff(_id: string, olds: any, news: any): Promise<pulumi.dynamic.DiffResult> {
      const connection = connectionOf(news);
      return guarded([secretOf(news), secretOf(olds)], connection, async () => {
        const pooled = connections();
        const d = diffRegistryEndpoint(olds ?? {}, news ?? {}, { sameHarbor: (a, b) => sameHarbor(pooled.settings(a), pooled.settings(b)) });
        // Kept in place: this resource goes on managing the endpoint, so no other resource of the run may delete it.
        const kept = harborNameOf(news);
        const keeper = ownerOf(kept);
        if (kept && keeper !== undefined && (d.replaces ?? []).length === 0) ledger.manage(kept.harbor, _id, keeper);
        // An existing endpoint's connection test runs here, not in check: the engine runs diffs in parallel under
        // PULUMI_PARALLEL_DIFF=true, while checks are always one at a time.
        const via = checkConnection(connection);
        const test = await diffConnectionTest(olds ?? {}, news ?? {}, d, {
          defaultConnectionTest: pooled.set.config.connectionTest,
          phase,
          testConnection: "failure" in via ? undefined : via.testConnection,
          unavailableReason: "failure" in via ? via.failure : via.unavailableReason,
        });
        if (test.failures.length > 0) {
          const e = connectionTestError(test.failures, [secretOf(news), secretOf(olds)]);
          // The dynamic-provider host prints a failed diff as `${e}: ${e.stack}`: no frames, only the sentence.
          e.stack = `${e.name}: ${e.message}`;
          throw e;
        }
        // Exactly the changed fields, so `preview --diff` marks them (accessSecret: [secret] => [secret] on rotation)
        // and `--json` carries them; unchanged fields stay unmarked.
        installDetailedDiffBridge();
        return withDetailedDiff(
          { changes: d.changes, replaces: d.replaces, deleteBeforeReplace: d.deleteBeforeReplace },
          toDetailedDiff(d.changed, d.replaces),
        );
      });
    },
    async create(inputs: any): Promise<pulumi.dynamic.CreateResult> {
      const connection = connectionOf(inputs);
      const at = harborNameOf(inputs);
      const me = ownerOf(at);
      return guarded([secretOf(inputs)], connection, () =>
        diagnoseWrite(inputs ?? {}, async () => {
          const client = clientFor(connection, "create", inputs);
          const created = await writesTo(connection).run(() => createRegistryEndpoint(client, inputs ?? {}, {
            adoptExisting: connections().set.config.adoptExisting,
            // Adopting what another resource of this stack manages would give it two owners.
            adoptionOwner: (id) => {
              const owner = at ? ledger.managedBy(at.harbor, String(id)) : undefined;
              return owner !== undefined && owner !== me ? `RegistryEndpoint "${owner}"` : undefined;
            },
            ...options.createOptions,
          }));
          if (at && me !== undefined) ledger.manage(at.harbor, created.id, me);
          return created;
        }),
      );
    },
    async read(id: string, props?: any): Promise<pulumi.dynamic.ReadResult> {
      const connection = connectionOf(props);
      return guarded([secretOf(props)], connection, () => {
        const r = readsOf(connection, clientFor(connection, "read", props, id));
        return readRegistryEndpoint({ getRegistry: (n) => r.get(n) }, id, props ?? {});
      });
    },
    async update(id: string, olds: any, news: any): Promise<pulumi.dynamic.UpdateResult> {
      // A different connection replaces the endpoint (diff), so an update always stays on the Harbor of the old state.
      const connection = connectionOf(news);
      return guarded([secretOf(news), secretOf(olds)], connection, () =>
        diagnoseWrite(news ?? {}, () => {
          const client = clientFor(connection, "update", news, id);
          return writesTo(connection).run(() => updateRegistryEndpoint(client, id, olds ?? {}, news ?? {}));
        }),
      );
    },
    async delete(id: string, props: any): Promise<void> {
      const connection = connectionOf(props);
      // Another resource of this run keeps or adopted this very endpoint (two owners in old state, or a logical rename
      // adopted by the new name): deleting it would delete that resource's endpoint, so only the state entry goes.
      const at = harborNameOf(props);
      const owner = at ? ledger.managedBy(at.harbor, id) : undefined;
      if (at && owner !== undefined) {
        await engineLog().warn(
          `RegistryEndpoint "${at.name}" (Harbor id ${id}) leaves the stack without being deleted in Harbor: RegistryEndpoint "${owner}" of this stack manages the same endpoint, and deleting it would delete that one's endpoint.`,
          { secrets: [secretOf(props)] },
        );
        return;
      }
      return guarded([secretOf(props)], connection, () => {
        const client = clientFor(connection, "delete", props, id);
        return writesTo(connection).run(() => deleteRegistryEndpoint(client, id, props ?? {}));
      });
    },
    harborClient: () => connections().client(DEFAULT_CONNECTION),
    harborClientFor: (connection: string) => clientFor(connection, "reach", undefined),
    async close(): Promise<void> {
      const c = pool;
      pool = undefined;
      await c?.close();
    },
  };
}

let singleton: RegistryEndpointProviderImplementation | undefined;

/** The per-process implementation used by `registryEndpointProvider`; created on first use. */
export function registryEndpointProviderImplementation(): RegistryEndpointProviderImplementation {
  return (singleton ??= createRegistryEndpointProvider());
}
