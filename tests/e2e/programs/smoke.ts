// A trivial Pulumi program with an inline dynamic provider: proves the engine, language host and provider host.
import * as pulumi from "@pulumi/pulumi";

const provider: pulumi.dynamic.ResourceProvider = {
    async create(inputs: Record<string, unknown>) {
        return { id: "smoke-1", outs: { ...inputs, created: true } };
    },
};

class Smoke extends pulumi.dynamic.Resource {
    // `declare`: a plain field would be re-initialised to undefined after super() (useDefineForClassFields).
    declare public readonly created: pulumi.Output<boolean>;
    constructor(name: string, args: { label: pulumi.Input<string>; token: pulumi.Input<string> }) {
        super(provider, name, { ...args, created: undefined }, undefined, "e2e", "Smoke");
    }
}

const config = new pulumi.Config("smoke");
const smoke = new Smoke("smoke", { label: config.require("label"), token: config.requireSecret("token") });

/** Stack outputs read by the smoke test. */
export const created = smoke.created;
export const label = config.require("label");
