#!/usr/bin/env node
// The `harbor-sim` command: starts the Harbor API simulator and keeps it running until SIGINT/SIGTERM.
import { parseArgs } from "node:util";
import { startHarborSimulator } from "./server";

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
        "  --remote-override  send Harbor's health checks of ORIGIN (e.g. https://registry-1.docker.io) to URL instead\n",
    );
    return;
  }
  const remoteOverrides: Record<string, string> = {};
  for (const entry of values["remote-override"] ?? []) {
    const eq = entry.indexOf("=");
    const origin = eq > 0 ? entry.slice(0, eq) : "";
    const target = eq > 0 ? entry.slice(eq + 1) : "";
    if (!URL.canParse(origin) || !URL.canParse(target)) {
      process.stderr.write("harbor-sim: --remote-override must be ORIGIN=URL, e.g. https://registry-1.docker.io=http://127.0.0.1:5000\n");
      process.exit(2);
    }
    remoteOverrides[new URL(origin).origin] = target;
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
