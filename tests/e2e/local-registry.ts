// Starts Debian's real docker-registry (htpasswd auth) on 127.0.0.1 as the remote the e2e endpoints point at.
import { spawn, ChildProcess, execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";

/** A running docker-registry. */
export interface LocalRegistry {
    /** e.g. http://127.0.0.1:40123 */
    url: string;
    /** TCP port. */
    port: number;
    /** Stops the process and removes its files. */
    close(): Promise<void>;
}

async function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const srv = net.createServer();
        srv.once("error", reject);
        srv.listen(0, "127.0.0.1", () => {
            const port = (srv.address() as net.AddressInfo).port;
            srv.close(() => resolve(port));
        });
    });
}

/** Whether /usr/bin/docker-registry and htpasswd are installed. */
export function localRegistryAvailable(): boolean {
    return fs.existsSync("/usr/bin/docker-registry") && fs.existsSync("/usr/bin/htpasswd");
}

/** Starts docker-registry with one htpasswd user; resolves once /v2/ answers 401. */
export async function startLocalRegistry(user: { username: string; password: string }): Promise<LocalRegistry> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-registry-"));
    const htpasswd = path.join(dir, "htpasswd");
    // -i reads the password from stdin so it never shows in a process listing.
    execFileSync("htpasswd", ["-B", "-c", "-i", htpasswd, user.username], { input: user.password, stdio: ["pipe", "ignore", "ignore"] });
    const port = await freePort();
    const config = path.join(dir, "config.yml");
    fs.writeFileSync(
        config,
        [
            "version: 0.1",
            "log: { level: error }",
            `storage: { filesystem: { rootdirectory: ${path.join(dir, "data")} } }`,
            `http: { addr: "127.0.0.1:${port}" }`,
            `auth: { htpasswd: { realm: e2e, path: ${htpasswd} } }`,
            "",
        ].join("\n"),
    );
    const child: ChildProcess = spawn("/usr/bin/docker-registry", ["serve", config], { stdio: "ignore" });
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 15_000;
    for (;;) {
        try {
            const res = await fetch(`${url}/v2/`);
            if (res.status === 401) {
                break;
            }
        } catch {
            // not listening yet
        }
        if (Date.now() > deadline || child.exitCode !== null) {
            child.kill();
            throw new Error(`docker-registry did not start on ${url}`);
        }
        await new Promise((r) => setTimeout(r, 100));
    }
    return {
        url,
        port,
        async close() {
            if (child.exitCode === null) {
                const exited = new Promise((r) => child.once("exit", r));
                child.kill();
                await exited;
            }
            fs.rmSync(dir, { recursive: true, force: true });
        },
    };
}
