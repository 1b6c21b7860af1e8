#!/usr/bin/env node
// The `harbor-sim` command: starts the Harbor API simulator and keeps it running until SIGINT/SIGTERM.
import { parseArgs } from "node:util";
import { startHarborSimulator } from "./server";

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

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string" },
      host: { type: "string" },
      "admin-password": { type: "string" },
      "harbor-version": { type: "string" },
      "remote-override": { type: "string", multiple: true },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    process.stdout.write(
      "usage: harbor-sim [--port N] [--host H] [--admin-password P] [--harbor-version vX.Y.Z] [--remote-override ORIGIN=URL ...]\n" +
        "  --remote-override ORIGIN=URL   send Harbor's health checks for ORIGIN (e.g. https://registry-1.docker.io) to URL\n" +
        "                                 instead (e.g. http://127.0.0.1:5000); repeatable\n",
    );
    return;
  }
  const remoteOverrides: Record<string, string> = {};
  for (const entry of values["remote-override"] ?? []) {
    try {
      const [origin, url] = parseRemoteOverrideFlag(entry);
      remoteOverrides[origin] = url;
    } catch (e) {
      process.stderr.write(`harbor-sim: ${e instanceof Error ? e.message : String(e)} (see harbor-sim --help)\n`);
      process.exit(2);
    }
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`harbor-sim: --port must be an integer between 0 and 65535\n`);
    process.exit(2);
  }
  const sim = await startHarborSimulator({
    port,
    host: values.host,
    adminPassword: values["admin-password"],
    harborVersion: values["harbor-version"],
    remoteOverrides,
  });
  process.stdout.write(`Harbor simulator listening on ${sim.url} (user admin)\n`);
  const stop = () => {
    void sim.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`harbor-sim: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
