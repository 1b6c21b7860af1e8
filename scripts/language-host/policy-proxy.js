// The Analyzer proxy the Go Node.js language host puts between the engine and a policy pack started by RunPlugin.
"use strict";
// Why: @pulumi/policy reads the stack (organization, project, stack, dry run, config) from PULUMI_NODEJS_* and
// PULUMI_CONFIG at start-up, but the engine only sends them later, in the Analyzer's ConfigureStack call. So the real
// host (sdk/nodejs/cmd/pulumi-language-nodejs RunPlugin with the Go SDK's PolicyProxy, pulumi v3.274.1) answers the
// engine itself first: it prints its own port, takes Handshake and ConfigureStack, only then starts the pack with that
// environment, reads the pack's port from the pack's stdout and forwards every call to it. Calls travel as raw bytes,
// so fields newer than this host's protobuf stubs survive the trip.

/** The Analyzer service definition of `analyzerGrpc` with every message left as raw bytes. */
function rawAnalyzerService(analyzerGrpc) {
    const identity = (b) => b;
    const service = {};
    for (const [name, def] of Object.entries(analyzerGrpc.AnalyzerService)) {
        if (def.requestStream || def.responseStream) {
            continue; // every Analyzer method is unary; a streaming one added later would answer UNIMPLEMENTED
        }
        service[name] = { ...def, requestSerialize: identity, requestDeserialize: identity, responseSerialize: identity, responseDeserialize: identity };
    }
    return service;
}

/** A one-shot promise with its resolve/reject exposed. */
function deferred() {
    let resolve;
    let reject;
    const promise = new Promise((res, rej) => {
        resolve = res;
        reject = rej;
    });
    promise.catch(() => {}); // a rejection nobody awaits (the engine never called) must not crash the host
    return { promise, resolve, reject, settled: false };
}

function settle(d, how, value) {
    if (!d.settled) {
        d.settled = true;
        d[how](value);
    }
}

/**
 * Starts the proxy. `configuration` resolves with the engine's AnalyzerStackConfigureRequest (decoded) when it calls
 * ConfigureStack, or with null when it calls anything else first (e.g. `pulumi policy publish`).
 */
async function startPolicyProxy({ grpc, analyzerGrpc, analyzerProto }) {
    const service = rawAnalyzerService(analyzerGrpc);
    const configuration = deferred();
    const client = deferred();
    let configureStackBytes;

    const forward = (method) => (call, callback) => {
        settle(configuration, "resolve", null);
        client.promise.then(
            (c) => c[method](call.request, callback),
            (err) => callback({ code: grpc.status.UNAVAILABLE, details: `policy pack not started: ${err.message}` }),
        );
    };
    const handlers = {};
    for (const name of Object.keys(service)) {
        handlers[name] = forward(name);
    }
    handlers.handshake = (_call, callback) => {
        callback(null, Buffer.from(new analyzerProto.AnalyzerHandshakeResponse().serializeBinary()));
    };
    handlers.configureStack = (call, callback) => {
        configureStackBytes = call.request;
        settle(configuration, "resolve", analyzerProto.AnalyzerStackConfigureRequest.deserializeBinary(new Uint8Array(call.request)));
        callback(null, Buffer.from(new analyzerProto.AnalyzerStackConfigureResponse().serializeBinary()));
    };

    const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
    server.addService(service, handlers);
    const port = await new Promise((resolve, reject) => {
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p)));
    });
    const RawClient = grpc.makeGenericClientConstructor(service, "Analyzer");

    return {
        port,
        configuration: configuration.promise,
        /** Connects to the started pack on `packPort` and forwards the saved ConfigureStack to it. */
        async attach(packPort) {
            const c = new RawClient(`127.0.0.1:${packPort}`, grpc.credentials.createInsecure(), { "grpc.max_receive_message_length": 400 * 1024 * 1024 });
            if (configureStackBytes !== undefined) {
                try {
                    await new Promise((resolve, reject) => c.configureStack(configureStackBytes, (err) => (err ? reject(err) : resolve())));
                } catch (err) {
                    if (err.code !== grpc.status.UNIMPLEMENTED) {
                        // Older packs do not implement ConfigureStack; any other failure stops the proxy.
                        const e = new Error(`policy pack configuration failed: ${err.details || err.message}`);
                        settle(client, "reject", e);
                        throw e;
                    }
                }
            }
            settle(client, "resolve", c);
        },
        /** Makes every pending and later call fail with `err` (the pack never started or exited). */
        abort(err) {
            settle(configuration, "resolve", null);
            settle(client, "reject", err);
        },
        close() {
            server.forceShutdown();
            client.promise.then((c) => c.close(), () => {});
        },
    };
}

module.exports = { startPolicyProxy };
