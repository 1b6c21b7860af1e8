// The e2e Pulumi program: declares the RegistryEndpoints described by stack config, as a user's program would.
import * as pulumi from "@pulumi/pulumi";
import { getRegistryEndpointOutput, RegistryEndpoint, RegistryEndpointArgs } from "../../../sdk";

/** One endpoint of `e2e:endpoints`: the logical name and every input except the secret (in `e2e:secrets`). */
export interface EndpointSpec {
    logical: string;
    args: Omit<RegistryEndpointArgs, "accessSecret">;
}

/** One `RegistryEndpoint.get` of `e2e:lookups`. */
export interface LookupSpec {
    logical: string;
    id: string;
    /** The Harbor connection to read from (default: the default connection). */
    connection?: string;
}

/** One `getRegistryEndpointOutput` of `e2e:byName`, exported under `foundByName[key]`. */
export interface ByNameSpec {
    key: string;
    name: string;
    connection?: string;
}

const config = new pulumi.Config("e2e");
const specs = config.requireObject<EndpointSpec[]>("endpoints");
// Secrets come from secret config, so the program never holds them in plain text.
const secrets = config.getSecretObject<Record<string, string>>("secrets") ?? pulumi.secret({} as Record<string, string>);
const lookups = config.getObject<LookupSpec[]>("lookups") ?? [];
const byName = config.getObject<ByNameSpec[]>("byName") ?? [];

const declared = specs.map((spec) => {
    const hasSecret = secrets.apply((s) => s[spec.logical] !== undefined);
    const endpoint = new RegistryEndpoint(spec.logical, {
        ...spec.args,
        accessSecret: pulumi.all([secrets, hasSecret]).apply(([s, has]) => (has ? s[spec.logical] : undefined)) as pulumi.Input<string>,
    });
    return [spec.logical, endpoint] as const;
});

/** The fields of an endpoint the e2e tests read back from the stack outputs (no secret among them). */
function summary(e: RegistryEndpoint) {
    return pulumi
        .all([e.id, e.registryId, e.name, e.providerName, e.endpointUrl, e.description])
        .apply(([id, registryId, name, providerName, endpointUrl, description]) => ({ id, registryId, name, providerName, endpointUrl, description }));
}

/** Per logical name: the Harbor id, name, type, URL and description the engine recorded. */
export const endpoints = pulumi.all(Object.fromEntries(declared.map(([logical, e]) => [logical, summary(e)])));

/**
 * Reads an existing endpoint: `RegistryEndpoint.get` when the class has one, else the dynamic-resource way it is
 * built on (the constructor with the `id` option, which makes the engine call the provider's `read`).
 */
function lookUp(l: LookupSpec): RegistryEndpoint {
    const withGet = RegistryEndpoint as unknown as { get?: (name: string, id: string, opts?: unknown, state?: { connection?: string }) => RegistryEndpoint };
    if (typeof withGet.get === "function") {
        return l.connection === undefined ? withGet.get(l.logical, l.id) : withGet.get(l.logical, l.id, undefined, { connection: l.connection });
    }
    return new RegistryEndpoint(l.logical, { providerName: "docker-registry" }, { id: l.id });
}

/** Per lookup: what the read returned from Harbor. */
export const lookedUp = pulumi.all(Object.fromEntries(lookups.map((l) => [l.logical, summary(lookUp(l))])));

/** Per `e2e:byName` key: what the lookup by exact name found (every field; the lookup never returns a secret). */
export const foundByName = pulumi.all(Object.fromEntries(byName.map((b) => [b.key, getRegistryEndpointOutput({ name: b.name, connection: b.connection })])));

/** Per logical name: the Harbor connection the engine recorded. */
export const endpointConnections = pulumi.all(Object.fromEntries(declared.map(([logical, e]) => [logical, e.connection])));
