// Handler of GET /users/current/permissions: the caller's RBAC permissions in a scope, as Harbor's usersAPI lists them.
import { requireAuthenticated } from "./auth";
import type { HandlerContext } from "./handler-context";
import { queryParam } from "./query";
import { jsonResponse, validationFailure, type SimResponse } from "./responses";

/**
 * The system namespace's policies (src/common/rbac/system/policies.go), in Harbor's order. Their resources are bare
 * (`registry`, not `/system/registry`), which decides what the listing below can return.
 */
const SYSTEM_POLICIES: readonly (readonly [string, string[]])[] = [
  ["catalog", ["read"]],
  ["audit-log", ["list"]],
  ["project", ["create", "read", "update", "delete", "list"]],
  ["user", ["create", "read", "update", "delete", "list"]],
  ["user-group", ["create", "read", "update", "delete", "list"]],
  ["registry", ["create", "read", "update", "delete", "list"]],
  ["replication", ["create", "read", "update", "list", "delete"]],
  ["distribution", ["create", "read", "update", "delete", "list"]],
  ["garbage-collection", ["create", "read", "update", "delete", "list"]],
  ["scan-all", ["create", "read", "update", "delete", "list", "stop"]],
  ["system-volumes", ["read"]],
  ["ldap-user", ["create", "list"]],
  ["configuration", ["read", "update"]],
];

// go-openapi swag.ConvertBool, which go-swagger uses to bind boolean query parameters.
const TRUE_WORDS = new Set(["true", "1", "yes", "ok", "y", "on", "selected", "checked", "t", "enabled"]);
const FALSE_WORDS = new Set(["false", "0", "no", "n", "off", "f", "disabled", ""]);

/**
 * GET /users/current/permissions?scope=&relative=: 401 for anonymous callers (also after a wrong password). Otherwise
 * Harbor keeps the scope's namespace policies the caller `Can` do. Only the system namespace (`/system…`) is simulated;
 * any other scope lists nothing. Because the system policies' resources are bare, only a system administrator (whose
 * evaluator allows everything) passes that test: robot accounts, whose evaluator needs `/system/…` resources, and
 * other users get `[]` whatever their permissions. With `relative=true`, a bare resource is not under the scope, so
 * Harbor drops every entry and even an administrator gets `[]`.
 */
export async function getCurrentUserPermissions(ctx: HandlerContext): Promise<SimResponse> {
  const rawRelative = queryParam(ctx.query, "relative");
  let relative = false;
  if (rawRelative !== null) {
    const word = rawRelative.toLowerCase();
    if (TRUE_WORDS.has(word)) relative = true;
    else if (!FALSE_WORDS.has(word)) throw validationFailure([`relative in query must be of type boolean: "${rawRelative}"`]);
  }
  requireAuthenticated(ctx.caller);
  const scope = ctx.query.getAll("scope").at(-1) ?? "";
  const out: { resource: string; action: string }[] = [];
  if (scope.startsWith("/system") && ctx.caller?.sysadmin === true && !relative) {
    for (const [resource, actions] of SYSTEM_POLICIES) for (const action of actions) out.push({ resource, action });
  }
  return jsonResponse(200, out);
}
