// Unit tests of the SDK class under Pulumi mocks: type token, name default, secret marking and output fields.
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

const registered: Registered[] = [];

function valueOf<T>(o: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => o.apply((v) => resolve(v)));
}

describe("RegistryEndpoint (SDK)", () => {
  let RegistryEndpoint: typeof import("../../../sdk").RegistryEndpoint;
  before(async () => {
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          registered.push({ type: args.type, name: args.name, inputs: args.inputs });
          const filled = args.inputs.providerName === "docker-hub" || args.id ? { endpointUrl: "https://hub.docker.com", providerName: "docker-hub" } : {};
          return { id: args.id || "42", state: { ...args.inputs, ...filled, registryId: Number(args.id || 42), status: "healthy" } };
        },
        call: () => ({}),
      },
      "project",
      "stack",
      true,
    );
    ({ RegistryEndpoint } = await import("../../../sdk"));
  });

  it("registers the type token pulumi-nodejs:dynamic/harbor:RegistryEndpoint", async () => {
    const r = new RegistryEndpoint("swr", { providerName: "huawei-SWR", endpointUrl: "https://swr.example.com" });
    await valueOf(r.id);
    const reg = registered.find((x) => x.name === "swr")!;
    assert.equal(reg.type, "pulumi-nodejs:dynamic/harbor:RegistryEndpoint");
  });

  it("defaults name to the logical resource name, without a suffix", async () => {
    const r = new RegistryEndpoint("my-endpoint", { providerName: "huawei-SWR", endpointUrl: "https://swr.example.com" });
    assert.equal(await valueOf(r.name), "my-endpoint");
  });

  it("keeps an explicit name", async () => {
    const r = new RegistryEndpoint("logical", { providerName: "huawei-SWR", name: "explicit", endpointUrl: "https://swr.example.com" });
    assert.equal(await valueOf(r.name), "explicit");
  });

  it("marks accessSecret as a secret even when given as plain text", async () => {
    const r = new RegistryEndpoint("secretive", { providerName: "docker-registry", endpointUrl: "https://r", accessId: "u", accessSecret: "plain" });
    assert.equal(await pulumi.isSecret(r.accessSecret), true);
  });

  it("serializes the provider into __provider and exposes computed outputs", async () => {
    const r = new RegistryEndpoint("computed", { providerName: "huawei-SWR", endpointUrl: "https://swr.example.com" });
    assert.equal(await valueOf(r.registryId), 42);
    assert.equal(await valueOf(r.status), "healthy");
    const reg = registered.find((x) => x.name === "computed")!;
    assert.equal(typeof reg.inputs.__provider, "string");
  });

  it("exposes outputs the program left out, such as a fixed endpoint filled in by check", async () => {
    const r = new RegistryEndpoint("hub", { providerName: "docker-hub" });
    assert.equal(await valueOf(r.endpointUrl), "https://hub.docker.com");
  });

  it("hands check the logical name with its parents' names, so children of two components stay apart", async () => {
    class Team extends pulumi.ComponentResource {
      constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
        super("test:index:Team", name, {}, opts);
      }
    }
    const top = new RegistryEndpoint("lone", { providerName: "huawei-SWR", endpointUrl: "https://swr.example.com" });
    const outer = new Team("org");
    const a = new Team("team-a", { parent: outer });
    const b = new Team("team-b", { parent: outer });
    const inA = new RegistryEndpoint("mirror", { providerName: "huawei-SWR", endpointUrl: "https://swr.example.com" }, { parent: a });
    const inB = new RegistryEndpoint("mirror", { providerName: "huawei-SWR", endpointUrl: "https://swr.example.com" }, { parent: b });
    await Promise.all([valueOf(top.id), valueOf(inA.id), valueOf(inB.id)]);
    const sent = registered.filter((x) => x.name === "lone" || x.name === "mirror").map((x) => x.inputs.__logicalName).sort();
    assert.deepEqual(sent, ["lone", "org/team-a/mirror", "org/team-b/mirror"]);
  });

  it("reads an existing endpoint by id with get, sending no inputs", async () => {
    const r = RegistryEndpoint.get("looked-up", "7");
    assert.equal(await valueOf(r.id), "7");
    assert.equal(await valueOf(r.registryId), 7);
    assert.equal(await valueOf(r.endpointUrl), "https://hub.docker.com");
    const reg = registered.find((x) => x.name === "looked-up")!;
    assert.equal(reg.inputs.name, undefined);
  });

  describe("stack traces while registering (the leak report's traces cost ~40 µs each under `pulumi`)", () => {
    /** Stack frames V8 hands to Error.prepareStackTrace while `fn` runs. */
    function framesFormatted(fn: () => void): number {
      const original = Error.prepareStackTrace;
      let frames = 0;
      Error.prepareStackTrace = (err, callsites) => {
        frames += callsites.length;
        return original ? original(err, callsites) : `${err}\n${callsites.map((c) => `    at ${c}`).join("\n")}`;
      };
      try {
        fn();
      } finally {
        Error.prepareStackTrace = original;
      }
      return frames;
    }
    const args = { providerName: "huawei-SWR", endpointUrl: "https://swr.example.com", accessSecret: "s" } as const;

    it("formats only the frames of Pulumi's own source-position trace, unless PULUMI_DEBUG_PROMISE_LEAKS is set", async () => {
      const before = Error.stackTraceLimit;
      Error.stackTraceLimit = 10; // node's default (mocha raises it)
      try {
        const cheap = framesFormatted(() => new RegistryEndpoint("traces-off", args));
        process.env.PULUMI_DEBUG_PROMISE_LEAKS = "1";
        let debug: number;
        try {
          debug = framesFormatted(() => new RegistryEndpoint("traces-on", args));
        } finally {
          delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
        }
        // The source position is one unlimited trace of this stack (a few dozen frames here); the leak report adds
        // 4 traces of up to 10 frames for each of the 20 properties.
        assert.ok(cheap < 100, `formatted ${cheap} frames`);
        assert.ok(debug > cheap + 400, `with PULUMI_DEBUG_PROMISE_LEAKS: ${debug} frames, without: ${cheap}`);
        assert.equal(Error.stackTraceLimit, 10);
      } finally {
        Error.stackTraceLimit = before;
      }
    });

    it("leaves Error.stackTraceLimit as it was, and an error of the base constructor or a transformation keeps the caller's frames", () => {
      const before = Error.stackTraceLimit;
      Error.stackTraceLimit = 17;
      try {
        new RegistryEndpoint("ok", args);
        assert.equal(Error.stackTraceLimit, 17);
        let caught: unknown;
        try {
          new RegistryEndpoint("orphan", args, { parent: {} as pulumi.Resource });
        } catch (e) {
          caught = e;
        }
        assert.ok(caught instanceof Error);
        assert.match(caught.message, /Resource parent is not a valid Resource/);
        assert.match(caught.stack ?? "", /registry-endpoint\.test\.(?:js|ts)/);
        assert.equal(Error.stackTraceLimit, 17);
        // User code inside the base constructor: a legacy transformation that throws.
        let thrown: unknown;
        try {
          new RegistryEndpoint("transformed", args, {
            transformations: [
              () => {
                throw new Error("transformation refused it");
              },
            ],
          });
        } catch (e) {
          thrown = e;
        }
        assert.ok(thrown instanceof Error);
        assert.equal(thrown.message, "transformation refused it");
        assert.match(thrown.stack ?? "", /registry-endpoint\.test\.(?:js|ts)/);
        assert.equal(Error.stackTraceLimit, 17);
      } finally {
        Error.stackTraceLimit = before;
      }
    });
  });
});
