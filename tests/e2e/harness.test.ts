// The e2e harness itself: stack operations record stdout, stderr and rejection messages for the secret scan by default.
import * as assert from "node:assert/strict";
import type { Stack } from "@pulumi/pulumi/automation";
import { scannedStack } from "../support/engine";

type Opts = { onOutput?: (c: string) => void; onError?: (c: string) => void; diff?: boolean } | undefined;

/** A stand-in for an Automation API stack whose operations print to both streams; `preview` then rejects. */
function fakeStack(seen: Opts[]): Stack {
    const print = (opts: Opts, op: string) => {
        seen.push(opts);
        opts?.onOutput?.(`${op} stdout line\n`);
        opts?.onError?.(`${op} stderr line\n`);
    };
    return {
        name: "fake",
        async preview(opts: Opts) {
            print(opts, "preview");
            throw new Error("code: 255\n stderr: preview failed: endpointUrl has a problem");
        },
        async up(opts: Opts) {
            print(opts, "up");
            return { summary: { result: "succeeded" } };
        },
        async refresh(opts: Opts) {
            print(opts, "refresh");
            return {};
        },
        async destroy(opts: Opts) {
            print(opts, "destroy");
            return {};
        },
        async getConfig(key: string) {
            return { value: key };
        },
    } as unknown as Stack;
}

describe("e2e harness: scanned stacks", () => {
    it("pass onOutput and onError to every operation and record both streams without being asked", async () => {
        const out: string[] = [];
        const err: string[] = [];
        const seen: Opts[] = [];
        const stack = scannedStack(fakeStack(seen), { out: (c) => out.push(c), err: (c) => err.push(c), rejected: () => undefined });
        await stack.up();
        await stack.refresh();
        await stack.destroy({});
        assert.ok(seen.every((o) => typeof o?.onOutput === "function" && typeof o?.onError === "function"));
        assert.deepEqual(out, ["up stdout line\n", "refresh stdout line\n", "destroy stdout line\n"]);
        assert.deepEqual(err, ["up stderr line\n", "refresh stderr line\n", "destroy stderr line\n"]);
    });

    it("record a rejection's message, rethrow it, and still call the caller's own callbacks and options", async () => {
        const rejected: string[] = [];
        const mine: string[] = [];
        const seen: Opts[] = [];
        const stack = scannedStack(fakeStack(seen), { out: () => undefined, err: () => undefined, rejected: (m) => rejected.push(m) });
        await assert.rejects(stack.preview({ diff: true, onOutput: (c) => mine.push(`out:${c}`), onError: (c) => mine.push(`err:${c}`) }), /endpointUrl has a problem/);
        assert.deepEqual(rejected, ["code: 255\n stderr: preview failed: endpointUrl has a problem"]);
        assert.deepEqual(mine, ["out:preview stdout line\n", "err:preview stderr line\n"]);
        assert.equal(seen[0]?.diff, true);
    });

    it("pass every other member through to the real stack", async () => {
        const stack = scannedStack(fakeStack([]), { out: () => undefined, err: () => undefined, rejected: () => undefined });
        assert.equal(stack.name, "fake");
        assert.deepEqual(await stack.getConfig("k"), { value: "k" });
    });
});
