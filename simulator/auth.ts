// Basic-auth security context and Harbor's RequireSystemAccess (401 anonymous, 403 FORBIDDEN with the username).
import type { IncomingHttpHeaders } from "node:http";
import { timingSafeEqual } from "node:crypto";
import { harborError } from "./responses";
import type { SimulatorUser } from "./types";

/** Who is calling: undefined = anonymous (also after bad credentials, as in Harbor). */
export type Caller =
  | {
      /** Login name (`admin`, a local user, or a `robot$...` account). */
      username: string;
      /** System administrator: every permission. */
      sysadmin: boolean;
      /** System permissions as `<resource>:<action>`. */
      permissions: ReadonlySet<string>;
    }
  | undefined;

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Resolves the caller from `Authorization: Basic`. Wrong credentials are logged-and-ignored by Harbor: anonymous. */
export function resolveCaller(headers: IncomingHttpHeaders, users: readonly SimulatorUser[]): Caller {
  const auth = headers.authorization;
  if (!auth) return undefined;
  const m = /^Basic\s+(\S+)$/i.exec(auth);
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  const username = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  const user = users.find((u) => u.username === username);
  if (!user || !sameSecret(user.password, password)) return undefined;
  return { username, sysadmin: user.sysadmin === true, permissions: new Set(user.permissions ?? []) };
}

/** Harbor's BaseAPI.RequireSystemAccess: throws 401 for anonymous, 403 (message = username) without the permission. */
export function requireSystemAccess(caller: Caller, resource: string, action: string): void {
  if (!caller) throw harborError(401, "unauthorized");
  if (caller.sysadmin) return;
  if (caller.permissions.has(`${resource}:${action}`) || caller.permissions.has(`${resource}:*`)) return;
  throw harborError(403, caller.username);
}

/** 401 for anonymous callers only (operations any authenticated user may call). */
export function requireAuthenticated(caller: Caller): void {
  if (!caller) throw harborError(401, "unauthorized");
}
