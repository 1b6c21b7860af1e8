// Sends the provider's warnings and info lines to the Pulumi engine (Engine.Log), so they show in `pulumi preview/up` output.
import { createRequire } from "node:module";
import { redact } from "./redact";

/** How loud a message is: `info` explains a decision, `warning` asks the user to look. */
export type EngineLogSeverity = "info" | "warning";

/** One message for the engine, before redaction. */
export interface EngineLogEntry {
  /** How the engine labels and colours the line. */
  severity: EngineLogSeverity;
  /** One or two sentences; passed through `redact()` before it leaves the process. */
  message: string;
  /**
   * The resource the message is about, when known. The dynamic-provider host of @pulumi/pulumi 3.270 passes no URN to
   * check/read, so callers name the endpoint in `message` and leave this unset; the engine then shows a global line.
   */
  urn?: string;
  /** Secret values in play (access secrets); each is replaced by [REDACTED] should it appear in `message`. */
  secrets?: Iterable<string | undefined>;
}

/** A redacted message as it is handed to the transport. */
export interface EngineLogRecord {
  severity: EngineLogSeverity;
  message: string;
  urn: string;
}

/** Delivers one record; resolves when the engine acknowledged it, rejects if it could not. */
export type EngineLogTransport = (record: EngineLogRecord) => Promise<void>;

/** Sends messages to the engine; never throws and never rejects (a lost log line must not fail an operation). */
export interface EngineLogger {
  /** Sends an info line (deduplicated per logger). */
  info(message: string, options?: Omit<EngineLogEntry, "severity" | "message">): Promise<void>;
  /** Sends a warning (deduplicated per logger). */
  warn(message: string, options?: Omit<EngineLogEntry, "severity" | "message">): Promise<void>;
  /** Sends one entry (deduplicated per logger). */
  log(entry: EngineLogEntry): Promise<void>;
  /** Whether messages reach an engine (false: they are dropped). */
  readonly connected: boolean;
  /** Closes the connection to the engine, if any. */
  close(): void;
}

/** Options of `createEngineLogger`. */
export interface EngineLoggerOptions {
  /** Where records go; absent ⇒ every message is dropped (no engine to tell). */
  transport?: EngineLogTransport;
  /** Closes the transport's connection. */
  close?: () => void;
  /** The longest a send may take before it is abandoned (default 5000 ms): logging must not stall a preview. */
  timeoutMs?: number;
}

/** The Node dynamic-provider host's entry script: `.../@pulumi/pulumi/cmd/dynamic-provider[/index.js]`. */
const DYNAMIC_PROVIDER_MAIN = /[\\/]cmd[\\/]dynamic-provider(?:[\\/]index(?:\.js)?)?$/;

/** A gRPC target as the engine prints its host server address: `127.0.0.1:PORT`, `localhost:PORT` or `[::1]:PORT`. */
const ENGINE_ADDRESS = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):\d{1,5}$/;

/**
 * The engine's address among a provider plugin's arguments. The engine launches a provider as
 * `<plugin> [--logtostderr] [-v=N] [--tracing <endpoint>] <engine address>` (buildPluginArguments in
 * sdk/go/common/resource/plugin/plugin.go), so it is the first argument that is neither a flag nor a flag's value.
 * Returns undefined when that argument does not look like a host:port address.
 * @param args - the process arguments after the script (`process.argv.slice(2)`).
 */
export function engineAddressFromArgs(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--tracing") {
      i++;
      continue;
    }
    if (a.startsWith("-")) continue;
    return ENGINE_ADDRESS.test(a) ? a : undefined;
  }
  return undefined;
}

/**
 * The engine address when this process is the Node dynamic-provider host, else undefined. The main-module test keeps
 * a unit test runner (whose argv also has positional arguments) or a Pulumi program from dialling anything.
 * @param argv - `process.argv`.
 * @param mainFile - the main module's file (`require.main?.filename`).
 */
export function dynamicProviderEngineAddress(argv: readonly string[], mainFile: string | undefined): string | undefined {
  const script = mainFile ?? argv[1];
  if (!script || !DYNAMIC_PROVIDER_MAIN.test(script)) return undefined;
  return engineAddressFromArgs(argv.slice(2));
}

/** Creates a logger over `options.transport`; messages are redacted, deduplicated and never fail the caller. */
export function createEngineLogger(options: EngineLoggerOptions = {}): EngineLogger {
  const sent = new Set<string>();
  const timeoutMs = options.timeoutMs ?? 5000;
  const log = async (entry: EngineLogEntry): Promise<void> => {
    const secrets = [...(entry.secrets ?? [])].filter((s): s is string => typeof s === "string" && s.length > 0);
    const record: EngineLogRecord = { severity: entry.severity, message: redact(entry.message, secrets), urn: entry.urn ?? "" };
    const key = `${record.severity}\u0000${record.urn}\u0000${record.message}`;
    // The same fact repeated within one provider process (one engine operation) tells the user nothing new.
    if (sent.has(key)) return;
    sent.add(key);
    if (!options.transport) return;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        options.transport(record),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, timeoutMs);
          timer.unref();
        }),
      ]);
    } catch {
      // The engine may already be shutting the plugin down; the operation's result matters more than the message.
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    log,
    info: (message, o) => log({ ...o, severity: "info", message }),
    warn: (message, o) => log({ ...o, severity: "warning", message }),
    get connected() {
      return options.transport !== undefined;
    },
    close: () => options.close?.(),
  };
}

/** The subset of the generated Engine client used here (proto/engine_grpc_pb.js of @pulumi/pulumi). */
interface EngineClientLike {
  log(request: unknown, callback: (error: Error | null) => void): unknown;
  close(): void;
}

/**
 * A transport over gRPC to the engine at `address`, using @grpc/grpc-js and the Engine stubs that ship with
 * @pulumi/pulumi (both resolved from @pulumi/pulumi's own directory, so the stubs and grpc-js are the same copies the
 * dynamic-provider host uses). Nothing is loaded or dialled until the first message.
 * @param address - the engine's host:port.
 */
export function grpcEngineTransport(address: string): { transport: EngineLogTransport; close: () => void } {
  let client: EngineClientLike | undefined;
  let proto: { LogRequest: new () => any; LogSeverity: Record<string, number> } | undefined;
  const connect = (): { client: EngineClientLike; proto: NonNullable<typeof proto> } => {
    if (!client || !proto) {
      const stubs = require.resolve("@pulumi/pulumi/proto/engine_grpc_pb");
      const req = createRequire(stubs);
      const grpc = req("@grpc/grpc-js") as typeof import("@grpc/grpc-js");
      const services = req("./engine_grpc_pb") as { EngineClient: new (addr: string, creds: unknown) => EngineClientLike };
      proto = req("./engine_pb") as NonNullable<typeof proto>;
      client = new services.EngineClient(address, grpc.credentials.createInsecure());
    }
    return { client, proto };
  };
  const transport: EngineLogTransport = (record) =>
    new Promise<void>((resolve, reject) => {
      const c = connect();
      const request = new c.proto.LogRequest();
      request.setSeverity(record.severity === "warning" ? c.proto.LogSeverity.WARNING : c.proto.LogSeverity.INFO);
      request.setMessage(record.message);
      request.setUrn(record.urn);
      request.setEphemeral(false);
      c.client.log(request, (error) => (error ? reject(error) : resolve()));
    });
  return {
    transport,
    close: () => {
      client?.close();
      client = undefined;
    },
  };
}

let processLogger: EngineLogger | undefined;

/**
 * The per-process logger. Inside the dynamic-provider host it sends to the engine whose address the engine passed
 * on the command line; anywhere else (unit tests calling provider methods directly, a Pulumi program) there is no
 * engine to tell, so messages are dropped rather than scattered through test output on stderr. Engine.Log is used
 * instead of the plugin's stderr (which the engine also relays) because only Engine.Log carries a severity, so a
 * warning is shown and counted as one.
 */
export function engineLog(): EngineLogger {
  if (!processLogger) {
    const address = dynamicProviderEngineAddress(process.argv, require.main?.filename);
    processLogger = address ? createEngineLogger(grpcEngineTransport(address)) : createEngineLogger();
  }
  return processLogger;
}

/**
 * Replaces the per-process logger (tests capture messages this way); returns a function that restores the previous one.
 * @param logger - the logger `engineLog()` returns from now on.
 */
export function setEngineLog(logger: EngineLogger): () => void {
  const previous = processLogger;
  processLogger = logger;
  return () => {
    processLogger = previous;
  };
}
