// A minimal Node.js language host (pulumi-language-nodejs) for machines where the Go one cannot be built.
"use strict";
// Why this exists: the Go module proxy here refuses the pulumi-language-nodejs module, so the CLI built by
// scripts/engine.sh has no language host. This one serves the LanguageRuntime gRPC service with the stubs shipped
// in @pulumi/pulumi and runs programs exactly as the Go host does: `node @pulumi/pulumi/cmd/run <program>` with the
// config in PULUMI_CONFIG, TypeScript type-checked unless told not to (run-program.js). Methods it does not
// implement answer UNIMPLEMENTED, which the CLI treats as "older host".
const path = require("path");
const { spawn } = require("child_process");

/** Resolves a module from the program directory first (its own @pulumi/pulumi), else from this repository. */
function resolveFrom(dir, request) {
    try {
        return require.resolve(request, { paths: [dir] });
    } catch {
        return require.resolve(request, { paths: [path.join(__dirname, "..", "..")] });
    }
}

const sdkRoot = path.dirname(resolveFrom(process.cwd(), "@pulumi/pulumi/package.json"));
const grpc = require(resolveFrom(sdkRoot, "@grpc/grpc-js"));
const langproto = require(path.join(sdkRoot, "proto", "language_pb.js"));
const langrpc = require(path.join(sdkRoot, "proto", "language_grpc_pb.js"));
const plugproto = require(path.join(sdkRoot, "proto", "plugin_pb.js"));
const sdkVersion = require(path.join(sdkRoot, "package.json")).version;
const { makeRunPlugin } = require("./run-plugin");
const { programCommand } = require("./run-program");

// The CLI passes the engine address as the last positional argument.
const engineAddress = process.argv.slice(2).filter((a) => !a.startsWith("-")).pop() || "";

/** Runs one program to completion in a child node process, the way the Go language host does. */
function run(call, callback) {
    const req = call.request;
    const info = req.getInfo();
    const programDir = (info && info.getProgramDirectory()) || req.getPwd() || process.cwd();
    const entryPoint = (info && info.getEntryPoint()) || req.getProgram() || ".";
    const rootDir = (info && info.getRootDirectory()) || programDir;
    const options = info && info.getOptions() ? info.getOptions().toJavaScript() : {};
    const config = {};
    for (const [k, v] of req.getConfigMap().entries()) {
        config[k] = v;
    }
    let command;
    try {
        command = programCommand({
            runScript: resolveFrom(programDir, "@pulumi/pulumi/cmd/run"),
            options,
            config,
            configSecretKeys: req.getConfigsecretkeysList(),
            monitor: req.getMonitorAddress(),
            engine: engineAddress,
            project: req.getProject(),
            stack: req.getStack(),
            pwd: req.getPwd() || programDir,
            rootDirectory: rootDir,
            organization: req.getOrganization(),
            dryRun: req.getDryrun(),
            parallel: req.getParallel(),
            entryPoint,
            args: req.getArgsList(),
            baseEnv: process.env,
        });
    } catch (err) {
        // Bad runtime options in Pulumi.yaml: the Go host answers with the message, without starting node.
        const resp = new langproto.RunResponse();
        resp.setError(err.message);
        callback(null, resp);
        return;
    }
    const { args, env } = command;
    const child = spawn(process.execPath, args, { cwd: programDir, env, stdio: ["ignore", "inherit", "inherit"] });
    child.on("error", (err) => {
        const resp = new langproto.RunResponse();
        resp.setError(`could not start node: ${err.message}`);
        callback(null, resp);
    });
    child.on("exit", (code, signal) => {
        const resp = new langproto.RunResponse();
        if (code === 32) {
            // The SDK already reported a user-actionable error; tell the engine not to add another.
            resp.setBail(true);
        } else if (code !== 0) {
            resp.setError(signal ? `Program exited due to signal ${signal}` : `Program exited with non-zero exit code: ${code}`);
        }
        callback(null, resp);
    });
}

const service = {
    getRequiredPlugins(_call, callback) {
        const resp = new langproto.GetRequiredPluginsResponse();
        resp.setPluginsList([]);
        callback(null, resp);
    },
    getPluginInfo(_call, callback) {
        const resp = new plugproto.PluginInfo();
        resp.setVersion(sdkVersion);
        callback(null, resp);
    },
    about(_call, callback) {
        const resp = new langproto.AboutResponse();
        resp.setExecutable(process.execPath);
        resp.setVersion(process.version);
        callback(null, resp);
    },
    installDependencies(call) {
        // Dependencies are installed by `npm ci` in this repository; nothing to do here.
        call.end();
    },
    run,
    runPlugin: makeRunPlugin({
        grpc,
        langproto,
        analyzerGrpc: require(path.join(sdkRoot, "proto", "analyzer_grpc_pb.js")),
        analyzerProto: require(path.join(sdkRoot, "proto", "analyzer_pb.js")),
    }),
};

const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
server.addService(langrpc.LanguageRuntimeService, service);
server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) => {
    if (err) {
        process.stderr.write(`pulumi-language-nodejs (node): cannot listen: ${err.message}\n`);
        process.exit(1);
    }
    process.stdout.write(`${port}\n`);
});
