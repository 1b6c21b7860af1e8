// The RegistryEndpoint resource class users import: a Pulumi dynamic resource backed by registryEndpointProvider.
import * as pulumi from "@pulumi/pulumi";
import { registryEndpointProvider, RUN_PHASE_INPUT } from "../provider";
import { LOGICAL_NAME_KEY } from "../provider/registry-endpoint/vocabulary";
import type { ConnectionTestMode, RegistryEndpointArgs, RegistryEndpointGetState } from "./types";

/** Every key the provider writes to the outputs that the class exposes. */
const OUTPUT_KEYS = [
  "providerName", "name", "description", "endpointUrl", "accessId", "accessSecret", "insecure", "caCertificate", "adopt",
  "connectionTest", "connection", "registryId", "status", "creationTime", "updateTime", "stateVersion", "credentialsDriftSuspected",
] as const;

/**
 * The logical name with its parents' names (`team-a/hub`), so that children of two components, each named `hub`,
 * stay apart in the provider's duplicate-name guard. Read synchronously from the SDK's own bookkeeping on each
 * resource (`__name`, `__parentResource`); without it, the plain logical name.
 */
function logicalPath(name: string, parent: pulumi.Resource | undefined): string {
  const names = [name];
  let r = parent as { __name?: unknown; __parentResource?: unknown; __pulumiType?: unknown } | undefined;
  // The stack itself is every top-level resource's parent: it adds nothing that tells two resources apart.
  for (let depth = 0; r && r.__pulumiType !== "pulumi:pulumi:Stack" && depth < 64; depth++) {
    if (typeof r.__name === "string") names.unshift(r.__name);
    r = r.__parentResource as typeof r;
  }
  return names.join("/");
}

/**
 * A Harbor registry endpoint (Administration → Registries), managed declaratively: the remote registry Harbor
 * replicates to/from or uses for proxy-cache projects.
 *
 * Type token `pulumi-nodejs:dynamic/harbor:RegistryEndpoint`; the resource id is Harbor's registry id as a decimal
 * string. Harbor's own connection comes from stack config `harbor:url`, `harbor:username`, `harbor:password`
 * (secret), `harbor:insecure`, `harbor:caCertificate`, `harbor:connectionTest` or the `HARBOR_*` environment, never
 * from resource inputs; further Harbors are named in `harbor:connections` and chosen with the `connection` input.
 *
 * @example
 * ```ts
 * const hub = new RegistryEndpoint("docker-hub", { providerName: "docker-hub", accessId: "me", accessSecret: token });
 * ```
 */
export class RegistryEndpoint extends pulumi.dynamic.Resource {
  /** Harbor's provider type (aliases already mapped). */
  declare public readonly providerName: pulumi.Output<string>;
  /** The endpoint's name in Harbor. */
  declare public readonly name: pulumi.Output<string>;
  /** The description, if any. */
  declare public readonly description: pulumi.Output<string | undefined>;
  /** The URL as Harbor stores it. */
  declare public readonly endpointUrl: pulumi.Output<string>;
  /** The access id, if any. */
  declare public readonly accessId: pulumi.Output<string | undefined>;
  /** The access secret, always a Pulumi secret. */
  declare public readonly accessSecret: pulumi.Output<string | undefined>;
  /** Whether TLS verification of the remote is skipped. */
  declare public readonly insecure: pulumi.Output<boolean>;
  /** The PEM bundle Harbor trusts for the remote, if any. */
  declare public readonly caCertificate: pulumi.Output<string | undefined>;
  /** Whether create was allowed to take over an existing endpoint. */
  declare public readonly adopt: pulumi.Output<boolean>;
  /** The connection-test mode set on this resource, if any. */
  declare public readonly connectionTest: pulumi.Output<ConnectionTestMode | undefined>;
  /** The name of the Harbor connection the endpoint lives on (`"default"` unless set). */
  declare public readonly connection: pulumi.Output<string>;
  /** Harbor's numeric registry id (the resource id as a number), for replication policies and proxy-cache projects. */
  declare public readonly registryId: pulumi.Output<number>;
  /** Harbor's last known health of the remote: `healthy` or `unhealthy` (refreshed by `pulumi refresh`). */
  declare public readonly status: pulumi.Output<string | undefined>;
  /** When Harbor created the endpoint (RFC 3339). */
  declare public readonly creationTime: pulumi.Output<string | undefined>;
  /** When Harbor last changed the endpoint (RFC 3339). */
  declare public readonly updateTime: pulumi.Output<string | undefined>;
  /** Version of the state layout written by the provider. */
  declare public readonly stateVersion: pulumi.Output<number>;
  /**
   * `true` after a `pulumi refresh` saw Harbor's record change after this program's last write. Harbor never returns
   * the secret, so a secret rotated outside Pulumi is invisible; instead the next `pulumi up` re-sends `accessSecret`
   * (shown as an update of `accessSecret`) and this flag clears. Harbor's 5-minute background health check can also
   * move the timestamp when the status flips, which causes one harmless re-send.
   */
  declare public readonly credentialsDriftSuspected: pulumi.Output<boolean | undefined>;

  /**
   * Reads an existing endpoint by Harbor id without managing it (the engine calls the provider's `read`).
   *
   * @param name - the logical name of the looked-up resource.
   * @param id - Harbor's registry id as a decimal string.
   * @param opts - resource options.
   * @param state - `connection`: the Harbor connection to read from (a key of `harbor:connections`); default `"default"`.
   */
  public static get(
    name: string,
    id: pulumi.Input<pulumi.ID>,
    opts?: pulumi.CustomResourceOptions,
    state?: RegistryEndpointGetState,
  ): RegistryEndpoint {
    return new RegistryEndpoint(name, { connection: state?.connection } as RegistryEndpointArgs, { ...opts, id });
  }

  /**
   * Declares a registry endpoint.
   *
   * @param name - the logical resource name; also the Harbor name unless `args.name` is set.
   * @param args - the endpoint's settings.
   * @param opts - resource options; `accessSecret` is always added to `additionalSecretOutputs`. With `opts.id`,
   *   `args` other than `connection` are ignored and the endpoint is only read (see {@link RegistryEndpoint.get}).
   */
  constructor(name: string, args: RegistryEndpointArgs, opts?: pulumi.CustomResourceOptions) {
    // Every output key must be present in props (even as undefined) or the engine's value never reaches the class.
    const props: Record<string, unknown> = Object.fromEntries(OUTPUT_KEYS.map((k) => [k, undefined]));
    if (opts?.id === undefined) {
      Object.assign(props, args, {
        name: args.name ?? name,
        accessSecret: args.accessSecret === undefined ? undefined : pulumi.secret(args.accessSecret),
        // Lets the provider tell the preview from the update (see provider/run-phase.ts): the connection test then runs
        // once per `pulumi up`, in its preview, and Harbor's own health check on POST/PUT covers the update.
        [RUN_PHASE_INPUT]: pulumi.runtime.isDryRun() ? "preview" : "update",
        // For check's guard against two resources claiming one Harbor name; check drops it from the inputs.
        [LOGICAL_NAME_KEY]: logicalPath(name, opts?.parent),
      });
    } else if (args?.connection !== undefined) {
      // The engine hands these props to the provider's read, which reads from this connection's Harbor.
      props.connection = args.connection;
    }
    // @pulumi/pulumi (3.270) wraps each property of a resource in four promises and stores `new Error().stack` on every
    // one, for a promise-leak report that prints them only when PULUMI_DEBUG_PROMISE_LEAKS is set. Under `pulumi`'s
    // program runner each trace goes through source-map-support's frame mapping (~40 µs), and a RegistryEndpoint has 20
    // properties (all its outputs must be present): 80 traces per endpoint were ~1.2 s of a 5.2 s preview of 500
    // unchanged endpoints. So the base constructor runs with Error.stackTraceLimit at 0 unless that variable is set.
    // The resource's source position is unaffected: Pulumi takes it from a trace of its own with no limit. Code of the
    // user's that runs inside the base constructor (legacy `transformations`) sees the limit too; an error it throws
    // gets the caller's frames back below.
    const limit = Error.stackTraceLimit;
    const cheap = !process.env.PULUMI_DEBUG_PROMISE_LEAKS;
    if (cheap) Error.stackTraceLimit = 0;
    try {
      super(
        registryEndpointProvider,
        name,
        props,
        { ...opts, additionalSecretOutputs: [...new Set([...(opts?.additionalSecretOutputs ?? []), "accessSecret"])] },
        "harbor",
        "RegistryEndpoint",
      );
    } catch (e) {
      // An error of the base constructor (a bad option, a transformation that threw) shows the user's frames.
      Error.stackTraceLimit = limit;
      if (cheap && e instanceof Error) Error.captureStackTrace(e, RegistryEndpoint);
      throw e;
    } finally {
      Error.stackTraceLimit = limit;
    }
  }
}
