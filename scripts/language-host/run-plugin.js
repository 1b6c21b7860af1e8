// LanguageRuntime.RunPlugin for the Node.js language host stand-in: starts policy packs and Node plugins as the Go host does.
"use strict";
// Mirrors sdk/nodejs/cmd/pulumi-language-nodejs RunPlugin (pulumi v3.274.1): the engine calls it for a directory with
// PulumiPolicy.yaml (kind "analyzer") or PulumiPlugin.yaml. The plugin's stdout and stderr stream back to the engine,
// which reads the plugin's port from the first stdout line; the stream ends when the plugin exits, with an error status
// "Program exited with non-zero exit code: N" when it failed.
const { spawn } = require("child_process");
const { startPolicyProxy } = require("./policy-proxy");

/** The runtime options of PulumiPolicy.yaml / PulumiPlugin.yaml, with the Go host's defaults and errors. */
function parseOptions(options) {
    const out = { typescript: true, tsconfig: "", nodeargs: "" };
    if ("typescript" in options) {
        if (typeof options.typescript !== "boolean") throw new Error("typescript option must be a boolean");
        out.typescript = options.typescript;
    }
    if ("tsconfig" in options) {
        if (typeof options.tsconfig !== "string") throw new Error("tsconfigpath option must be a string");
        out.tsconfig = options.tsconfig;
    }
    if ("nodeargs" in options) {
        if (typeof options.nodeargs !== "string") throw new Error("nodeargs option must be a string");
        out.nodeargs = options.nodeargs;
    }
    return out;
}

/** Splits `nodeargs` the way shlex does for the Go host: whitespace-separated, quotes group, backslash escapes. */
function splitArgs(text) {
    const args = [];
    let current = "";
    let inWord = false;
    let quote = "";
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (quote) {
            if (c === quote) quote = "";
            else if (c === "\\" && quote === '"' && i + 1 < text.length) current += text[++i];
            else current += c;
        } else if (c === '"' || c === "'") {
            quote = c;
            inWord = true;
        } else if (c === "\\" && i + 1 < text.length) {
            current += text[++i];
            inWord = true;
        } else if (/\s/.test(c)) {
            if (inWord) args.push(current);
            current = "";
            inWord = false;
        } else {
            current += c;
            inWord = true;
        }
    }
    if (quote) throw new Error("nodeargs has an unterminated quote");
    if (inWord) args.push(current);
    return args;
}

/** The engine's environment list ("K=V", later entries win) as an object; the host's own environment when empty. */
function envObject(list) {
    if (list.length === 0) return { ...process.env };
    const env = {};
    for (const entry of list) {
        const i = entry.indexOf("=");
        if (i > 0) env[entry.slice(0, i)] = entry.slice(i + 1);
    }
    return env;
}

/** Resolves `mod` from the plugin directory, with the Go host's message when the plugin's npm install is missing. */
function locateModule(mod, programDir) {
    try {
        return require.resolve(mod, { paths: [programDir] });
    } catch (err) {
        if (err.code === "MODULE_NOT_FOUND") {
            throw new Error(`It looks like the Pulumi SDK has not been installed. Have you run npm install in ${programDir}?`);
        }
        throw err;
    }
}

/** Builds the RunPlugin handler from the gRPC runtime and stubs the host loaded. */
function makeRunPlugin({ grpc, langproto, analyzerGrpc, analyzerProto }) {
    return function runPlugin(call) {
        const req = call.request;
        let ended = false;
        let child;
        let proxy;
        const write = (set, bytes) => {
            if (ended || call.cancelled) return;
            const resp = new langproto.RunPluginResponse();
            resp[set](bytes);
            call.write(resp);
        };
        const finish = (errorMessage) => {
            if (ended) return;
            ended = true;
            if (proxy) proxy.close();
            if (call.cancelled) return;
            if (errorMessage === undefined) call.end();
            else call.emit("error", { code: grpc.status.UNKNOWN, details: errorMessage });
        };
        // The engine cancels the call to stop the plugin (end of the operation, or a failure elsewhere).
        call.on("cancelled", () => {
            if (child && child.exitCode === null) child.kill("SIGKILL");
            finish();
        });

        (async () => {
            if (req.getAttachDebugger()) {
                throw new Error("attaching a debugger to a plugin is not supported by scripts/language-host (the Go pulumi-language-nodejs supports it)");
            }
            const info = req.getInfo();
            const programDir = info.getProgramDirectory();
            const opts = parseOptions(info.getOptions() ? info.getOptions().toJavaScript() : {});
            const isAnalyzer = req.getKind() === "analyzer";
            const env = envObject(req.getEnvList());
            if (opts.typescript) env.PULUMI_NODEJS_TYPESCRIPT = "true";
            if (opts.tsconfig !== "") env.PULUMI_NODEJS_TSCONFIG_PATH = opts.tsconfig;
            // Policy packs used to be started by the pulumi-analyzer-policy shim; run-policy-pack is its successor.
            const runPath = locateModule(
                isAnalyzer ? "@pulumi/pulumi/cmd/run-policy-pack" : process.env.PULUMI_LANGUAGE_NODEJS_RUN_PATH || "@pulumi/pulumi/cmd/run-plugin",
                programDir,
            );
            // Policy packs take the program directory last, every other plugin first.
            const args = [runPath, ...splitArgs(opts.nodeargs)];
            if (isAnalyzer) args.push(...req.getArgsList(), programDir);
            else args.push(programDir, ...req.getArgsList());

            if (isAnalyzer) {
                proxy = await startPolicyProxy({ grpc, analyzerGrpc, analyzerProto });
                write("setStdout", Buffer.from(`${proxy.port}\n`));
                const config = await proxy.configuration;
                if (ended) return;
                if (config) {
                    const set = (k, v) => {
                        if (v !== "") env[k] = v;
                    };
                    set("PULUMI_NODEJS_ORGANIZATION", config.getOrganization());
                    set("PULUMI_NODEJS_PROJECT", config.getProject());
                    set("PULUMI_NODEJS_STACK", config.getStack());
                    set("PULUMI_NODEJS_DRY_RUN", String(config.getDryRun()));
                    const stackConfig = Object.fromEntries(config.getConfigMap().entries());
                    if (Object.keys(stackConfig).length > 0) set("PULUMI_CONFIG", JSON.stringify(stackConfig));
                }
            }

            // Node policy packs always ran in their own directory; other plugins run in the engine's working directory.
            child = spawn(process.execPath, args, { cwd: isAnalyzer ? programDir : req.getPwd(), env, stdio: ["ignore", "pipe", "pipe"] });
            child.stderr.on("data", (chunk) => write("setStderr", chunk));
            let pending = isAnalyzer ? Buffer.alloc(0) : undefined;
            child.stdout.on("data", (chunk) => {
                if (pending === undefined) {
                    write("setStdout", chunk);
                    return;
                }
                // The pack's first stdout line is its own port, for the proxy; everything after it goes to the engine.
                pending = Buffer.concat([pending, chunk]);
                const nl = pending.indexOf(10);
                if (nl < 0) return;
                const line = pending.subarray(0, nl).toString("utf8").trim();
                const rest = pending.subarray(nl + 1);
                pending = undefined;
                if (rest.length > 0) write("setStdout", rest);
                const port = Number(line);
                if (!Number.isInteger(port) || port <= 0) {
                    proxy.abort(new Error(`could not read policy pack port: ${JSON.stringify(line)}`));
                    return;
                }
                proxy.attach(port).catch((err) => {
                    // As in the Go host, a pack that cannot be attached ends RunPlugin with the error, and the pack with it.
                    proxy.abort(err);
                    child.kill("SIGKILL");
                    finish(err.message);
                });
            });
            child.on("error", (err) => finish(`Problem executing plugin program (could not run language executor): ${err.message}`));
            child.on("close", (code, signal) => {
                if (proxy) proxy.abort(new Error("the policy pack exited"));
                if (code === 0) finish();
                else finish(`Program exited with non-zero exit code: ${signal ? -1 : code}`);
            });
        })().catch((err) => finish(err.message));
    };
}

module.exports = { makeRunPlugin, parseOptions, splitArgs };
