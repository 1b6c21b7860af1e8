// LanguageRuntime.Run for the Node.js language host stand-in: the node command line and environment of a program.
"use strict";
// Mirrors sdk/nodejs/cmd/pulumi-language-nodejs Run (pulumi v3.274.1): the runtime options of Pulumi.yaml are read
// with the Go host's defaults and errors (typescript defaults to true); `typescript` sets PULUMI_NODEJS_TYPESCRIPT=true,
// so @pulumi/pulumi/cmd/run registers ts-node, which type-checks unless PULUMI_NODEJS_TRANSPILE_ONLY=true or the
// tsconfig says `noCheck`; with `typescript: false` the variable is left as the environment has it, as the Go host
// does. `tsconfig` becomes PULUMI_NODEJS_TSCONFIG_PATH and `nodeargs` go before the run script.
const { parseOptions, splitArgs } = require("./run-plugin");

/**
 * The node arguments and environment for one RunRequest.
 * @param {object} run - runScript (path of @pulumi/pulumi/cmd/run), options (Pulumi.yaml runtime options), config and
 *   configSecretKeys, monitor, engine, project, stack, pwd, rootDirectory, organization, dryRun, parallel, entryPoint,
 *   args (the program's own arguments) and baseEnv (the host's environment).
 * @returns {{ args: string[], env: Record<string, string> }}
 */
function programCommand(run) {
    const opts = parseOptions(run.options || {});
    const args = [...splitArgs(opts.nodeargs), run.runScript, `--monitor=${run.monitor}`, `--engine=${run.engine}`,
        `--project=${run.project}`, `--stack=${run.stack}`, `--pwd=${run.pwd}`,
        `--root-directory=${run.rootDirectory}`, `--organization=${run.organization}`];
    if (run.dryRun) {
        args.push("--dry-run");
    }
    if (run.parallel > 0) {
        args.push(`--parallel=${run.parallel}`);
    }
    args.push(run.entryPoint, ...(run.args || []));
    const env = {
        ...run.baseEnv,
        PULUMI_CONFIG: JSON.stringify(run.config || {}),
        PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(run.configSecretKeys || []),
    };
    if (opts.typescript) {
        env.PULUMI_NODEJS_TYPESCRIPT = "true";
    }
    if (opts.tsconfig !== "") {
        env.PULUMI_NODEJS_TSCONFIG_PATH = opts.tsconfig;
    }
    return { args, env };
}

module.exports = { programCommand };
