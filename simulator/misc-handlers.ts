// Handlers of Harbor's small system routes: /systeminfo, /ping and /api/version.
import { jsonResponse, type SimResponse } from "./responses";
import type { HandlerContext } from "./handler-context";

/** GET /api/v2.0/systeminfo: anonymous callers get the public subset. */
export async function getSystemInfo(ctx: HandlerContext): Promise<SimResponse> {
  const base: Record<string, unknown> = { auth_mode: "db_auth", banner_message: "" };
  if (ctx.caller) {
    const host = new URL(ctx.sim.baseUrl).host;
    Object.assign(base, {
      current_time: new Date().toISOString(),
      external_url: ctx.sim.baseUrl,
      harbor_version: `${ctx.sim.harborVersion}-5ad2bcbe`,
      has_ca_root: false,
      notification_enable: true,
    });
    base.oidc_provider_name = "";
    base.primary_auth_mode = false;
    base.project_creation_restriction = "everyone";
    base.read_only = ctx.sim.readOnly;
    base.registry_storage_provider_name = "filesystem";
    base.registry_url = host;
    base.self_registration = false;
    return jsonResponse(200, base);
  }
  return jsonResponse(200, { ...base, oidc_provider_name: "", primary_auth_mode: false, self_registration: false });
}

/** GET /api/v2.0/ping */
export async function getPing(): Promise<SimResponse> {
  return { status: 200, headers: { "Content-Type": "text/plain" }, text: "Pong" };
}

/** GET /api/version (unauthenticated; the harbor adapter factory probes it). */
export async function getApiVersion(): Promise<SimResponse> {
  return jsonResponse(200, { version: "v2.0" });
}
