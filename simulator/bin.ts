#!/usr/bin/env node
// The `harbor-sim` command: starts the Harbor API simulator and keeps it running until SIGINT/SIGTERM.
import { parseArgs } from "node:util";
import { startHarborSimulator } from "./server";
import { STAND_IN_ORIGINS } from "./stand-ins";
import type { SimulatorUser } from "./types";

/** Every flag, as `--help` prints it. */
const HELP = `usage: harbor-sim [options]

Starts an in-memory Harbor API simulator (Harbor's /api/v2.0/registries and friends) and prints
  Harbor simulator listening on http://HOST:PORT (user admin)
It runs until SIGINT (Ctrl-C) or SIGTERM, then closes its server and exits 0.

options:
  --port N                     TCP port to listen on; default 0 (a free port, printed)
  --host H                     interface to listen on; default 127.0.0.1
  --admin-password P           password of the system administrator "admin"; default Harbor12345
  --harbor-version vX.Y.Z      Harbor release whose behaviour is simulated; default v2.15.2
                               (v2.14.x: no ca_certificate field; v2.16.x: Harbor's HEAD behaviours)
  --user NAME:PASSWORD[:PERM,...]
                               add a local user or robot account (repeatable). PASSWORD cannot contain ':'.
                               PERM is a system permission RESOURCE:ACTION, where RESOURCE is registry,
                               replication-adapter or replication-policy and ACTION is list, read, create,
                               update, delete or * (all), e.g. registry:read,registry:create,replication-adapter:list;
                               or "sysadmin" for every permission. Without PERMs the account can log in but
                               gets Harbor's 403 on every registry operation. Quote a robot name: 'robot$ci:...'
  --remote-override ORIGIN=URL send Harbor's health checks for ORIGIN (e.g. https://registry-1.docker.io) to URL
                               (e.g. http://127.0.0.1:5000) instead; both are http(s) URLs and only their scheme,
                               host and port count (the request path is kept); repeatable; wins over a stand-in
  --no-stand-ins               do not serve the offline stand-ins (see below): docker-hub and github-ghcr
                               endpoints are then unhealthy, as on a Harbor without internet access
  -h, --help                   print this help and exit

Offline stand-ins (on by default): Harbor's docker-hub and github-ghcr adapters contact fixed internet hosts
(${STAND_IN_ORIGINS.join(", ")}). harbor-sim answers them from local
servers instead, accepting any non-empty user name and password (and anonymous access), so docker-hub and
github-ghcr endpoints can be created without the internet. The stand-ins cannot tell a real Docker Hub or
GitHub credential from a wrong one; use --remote-override to test against a real registry.
`;

/**
 * Parses `--remote-override ORIGIN=URL` into [origin, origin]: both must be http(s) URLs, and only their origins count
 * (the simulator replaces the scheme, host and port of a health-check request, keeping its path).
 */
function parseRemoteOverrideFlag(value: string): [string, string] {
  const eq = value.indexOf("=");
  if (eq <= 0) throw new Error("--remote-override must be ORIGIN=URL, e.g. https://registry-1.docker.io=http://127.0.0.1:5000");
  const origin = (text: string, what: string): string => {
    const url = URL.canParse(text) ? new URL(text) : undefined;
    if (!url) throw new Error(`--remote-override ${what} "${text}" is not a URL`);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`--remote-override ${what} must be an http:// or https:// URL`);
    return url.origin;
  };
  return [origin(value.slice(0, eq), "ORIGIN"), origin(value.slice(eq + 1), "URL")];
}

/** The resources and actions of the simulator's permission model (simulator/auth.ts, the handlers' checks). */
const PERM_RESOURCES = ["registry", "replication-adapter", "replication-policy"];
const PERM_ACTIONS = ["list", "read", "create", "update", "delete", "*"];

/** Parses `--user NAME:PASSWORD[:PERM,...]`; errors name the part at fault and never echo the password. */
function parseUserFlag(value: string): SimulatorUser {
  const first = value.indexOf(":");
  if (first <= 0) throw new Error("--user must be NAME:PASSWORD[:PERM,...], e.g. 'robot$ci:s3cret:registry:read,registry:create'");
  const username = value.slice(0, first);
  const rest = value.slice(first + 1);
  const second = rest.indexOf(":");
  const password = second < 0 ? rest : rest.slice(0, second);
  if (password === "") throw new Error(`--user ${username}: the password is empty`);
  if (username === "admin") throw new Error("--user admin: the admin account is set with --admin-password");
  const user: SimulatorUser = { username, password, permissions: [] };
  if (second < 0) return user;
  for (const perm of rest.slice(second + 1).split(",")) {
    if (perm === "sysadmin") {
      user.sysadmin = true;
      continue;
    }
    const [resource, action, extra] = perm.split(":");
    if (extra !== undefined || resource === undefined || action === undefined || !PERM_RESOURCES.includes(resource) || !PERM_ACTIONS.includes(action)) {
      throw new Error(
        `--user ${username}: unknown permission "${perm}"; use RESOURCE:ACTION with RESOURCE one of ${PERM_RESOURCES.join(", ")} ` +
          `and ACTION one of ${PERM_ACTIONS.join(", ")}, or sysadmin`,
      );
    }
    user.permissions!.push(`${resource}:${action}`);
  }
  return user;
}

function usageError(message: string): never {
  process.stderr.write(`harbor-sim: ${message} (see harbor-sim --help)\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: "string" },
        host: { type: "string" },
        "admin-password": { type: "string" },
        "harbor-version": { type: "string" },
        "remote-override": { type: "string", multiple: true },
        user: { type: "string", multiple: true },
        "no-stand-ins": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (e) {
    usageError(e instanceof Error ? e.message : String(e));
  }
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const remoteOverrides: Record<string, string> = {};
  const users: SimulatorUser[] = [];
  try {
    for (const entry of values["remote-override"] ?? []) {
      const [origin, url] = parseRemoteOverrideFlag(entry);
      remoteOverrides[origin] = url;
    }
    for (const entry of values.user ?? []) {
      const user = parseUserFlag(entry);
      if (users.some((u) => u.username === user.username)) throw new Error(`--user ${user.username} is given twice`);
      users.push(user);
    }
  } catch (e) {
    usageError(e instanceof Error ? e.message : String(e));
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (values.port === "" || !Number.isInteger(port) || port < 0 || port > 65535) usageError("--port must be an integer between 0 and 65535");

  // Signals that arrive while starting still end the process cleanly (exit 0) once the server is up.
  let stopping: string | undefined;
  let close: (() => Promise<void>) | undefined;
  const finish = async (): Promise<never> => {
    try {
      await close!();
    } catch {
      process.exit(1);
    }
    process.stdout.write(`Harbor simulator stopped (${stopping})\n`);
    process.exit(0);
  };
  const stop = (why: string) => {
    // A terminal's Ctrl-C reaches both npx and this process, and npx forwards it once more: handle only the first.
    if (stopping !== undefined) return;
    stopping = why;
    if (close) void finish();
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
  // `npx harbor-sim` runs this process under `sh -c`, and npx forwards SIGTERM/SIGINT to that shell only: the shell
  // dies and this process would be left running, holding the port. Under npm exec, losing the parent means stop.
  if (process.env.npm_command === "exec") {
    const parent = process.ppid;
    setInterval(() => {
      if (process.ppid !== parent) stop("npx exited");
    }, 200).unref();
  }

  const sim = await startHarborSimulator({
    port,
    host: values.host,
    adminPassword: values["admin-password"],
    harborVersion: values["harbor-version"],
    remoteOverrides,
    users,
    standIns: values["no-stand-ins"] !== true,
  });
  close = () => sim.close();
  if (stopping !== undefined) await finish();
  const extra = users.length > 0 ? `; users ${users.map((u) => u.username).join(", ")}` : "";
  process.stdout.write(`Harbor simulator listening on ${sim.url} (user admin${extra})\n`);
  const standIns = Object.keys(sim.standIns).filter((o) => !(o in remoteOverrides));
  if (standIns.length > 0) process.stdout.write(`Offline stand-ins for ${standIns.join(", ")} (disable with --no-stand-ins)\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`harbor-sim: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
