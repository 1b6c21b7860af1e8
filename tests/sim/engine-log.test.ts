// The engine log's gRPC transport against a stand-in Engine service on 127.0.0.1 (the real engine is the e2e tier's).
import * as assert from "node:assert/strict";
import { createRequire } from "node:module";
import { createEngineLogger, grpcEngineTransport } from "../../provider/engine-log";

// The same grpc-js and stubs copies the transport loads: the ones next to @pulumi/pulumi.
const req = createRequire(require.resolve("@pulumi/pulumi/proto/engine_grpc_pb"));
const grpc = req("@grpc/grpc-js") as typeof import("@grpc/grpc-js");
const { EngineService } = req("./engine_grpc_pb");
const engproto = req("./engine_pb");
const { Empty } = req("google-protobuf/google/protobuf/empty_pb");

interface Received {
  severity: number;
  message: string;
  urn: string;
  ephemeral: boolean;
}

/** An Engine service that records every Log request. */
async function startFakeEngine(): Promise<{ address: string; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  const server = new grpc.Server();
  const unimplemented = (_call: unknown, cb: (e: unknown) => void) => cb({ code: grpc.status.UNIMPLEMENTED });
  const handlers: Record<string, unknown> = {};
  for (const name of Object.keys(EngineService)) handlers[name] = unimplemented;
  handlers.log = (call: { request: any }, cb: (e: null, r: unknown) => void) => {
    received.push({ severity: call.request.getSeverity(), message: call.request.getMessage(), urn: call.request.getUrn(), ephemeral: call.request.getEphemeral() });
    cb(null, new Empty());
  };
  server.addService(EngineService, handlers as never);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
  );
  return {
    address: `127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}

describe("engine log: gRPC transport to the engine", () => {
  it("delivers warnings and info as Engine.Log requests with severity, message and URN", async () => {
    const engine = await startFakeEngine();
    const { transport, close } = grpcEngineTransport(engine.address);
    const log = createEngineLogger({ transport, close });
    try {
      await log.warn("drift suspected", { urn: "urn:pulumi:dev::p::pulumi-nodejs:dynamic/harbor:RegistryEndpoint::reg" });
      await log.info("connection test skipped");
      assert.deepEqual(engine.received, [
        {
          severity: engproto.LogSeverity.WARNING,
          message: "drift suspected",
          urn: "urn:pulumi:dev::p::pulumi-nodejs:dynamic/harbor:RegistryEndpoint::reg",
          ephemeral: false,
        },
        { severity: engproto.LogSeverity.INFO, message: "connection test skipped", urn: "", ephemeral: false },
      ]);
    } finally {
      log.close();
      await engine.close();
    }
  });

  it("resolves without throwing when nothing listens at the engine address", async () => {
    const engine = await startFakeEngine();
    const address = engine.address;
    await engine.close();
    const { transport, close } = grpcEngineTransport(address);
    const log = createEngineLogger({ transport, close, timeoutMs: 3000 });
    const started = Date.now();
    await log.warn("nobody hears this");
    log.close();
    assert.ok(Date.now() - started < 3500);
  });
});
