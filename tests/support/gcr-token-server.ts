// A local Google OAuth2 token endpoint that verifies RS256 JWT-bearer assertions with service-account public keys.
import { createPublicKey, generateKeyPairSync, randomBytes, verify, type KeyObject } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A running fake token endpoint. */
export interface GcrTokenServer {
  /** The token URL to put in a key's `token_uri`. */
  tokenUri: string;
  /** Number of requests received (any path). */
  requests: number;
  /** Registers a service account's public key (PEM) by its e-mail. */
  addServiceAccount(clientEmail: string, publicKeyPem: string): void;
  close(): Promise<void>;
}

/** A generated service-account JSON key and its public key. */
export interface TestServiceAccount {
  json: Record<string, string>;
  keyText: string;
  publicKeyPem: string;
}

function decodeSegment(segment: string): unknown {
  return JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
}

/** Generates an RSA key pair and the service-account key file Google would issue for it. */
export function createServiceAccountKey(opts: { projectId: string; clientEmail?: string; tokenUri: string; signWith?: string }): TestServiceAccount {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const privatePem = opts.signWith ?? privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const json = {
    type: "service_account",
    project_id: opts.projectId,
    private_key_id: randomBytes(20).toString("hex"),
    private_key: privatePem,
    client_email: opts.clientEmail ?? `harbor@${opts.projectId}.iam.gserviceaccount.com`,
    client_id: "1234567890",
    auth_uri: "https://accounts.google.com/o/oauth2/auth",
    token_uri: opts.tokenUri,
  };
  return { json, keyText: JSON.stringify(json), publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString() };
}

/** Starts the token endpoint on 127.0.0.1 (port 0); it answers like Google: 200 token, or 400 invalid_grant. */
export async function startGcrTokenServer(): Promise<GcrTokenServer> {
  const keys = new Map<string, KeyObject>();
  let server: Server;
  const state = { requests: 0 };
  server = createServer((req, res) => {
    state.requests++;
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (body += c));
    req.on("end", () => {
      const reply = (status: number, payload: object) => {
        res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
        res.end(JSON.stringify(payload));
      };
      const invalid = (description: string) => reply(400, { error: "invalid_grant", error_description: description });
      if (req.method !== "POST" || req.url !== "/token") return reply(404, { error: "not_found" });
      const form = new URLSearchParams(body);
      if (form.get("grant_type") !== "urn:ietf:params:oauth:grant-type:jwt-bearer") return reply(400, { error: "unsupported_grant_type" });
      const parts = (form.get("assertion") ?? "").split(".");
      if (parts.length !== 3) return invalid("Invalid JWT.");
      let header: { alg?: string };
      let claims: { iss?: string; aud?: string; exp?: number; iat?: number; scope?: string };
      try {
        header = decodeSegment(parts[0]!) as typeof header;
        claims = decodeSegment(parts[1]!) as typeof claims;
      } catch {
        return invalid("Invalid JWT.");
      }
      if (header.alg !== "RS256") return invalid("Invalid JWT: unsupported algorithm.");
      const key = claims.iss ? keys.get(claims.iss) : undefined;
      if (!key) return invalid("Invalid grant: account not found");
      const signed = Buffer.from(`${parts[0]}.${parts[1]}`, "utf8");
      if (!verify("RSA-SHA256", signed, key, Buffer.from(parts[2]!, "base64url"))) return invalid("Invalid JWT Signature.");
      const now = Math.floor(Date.now() / 1000);
      if (typeof claims.exp !== "number" || claims.exp < now) return invalid("Invalid JWT: Token must be a short-lived token and in a reasonable timeframe.");
      reply(200, { access_token: `ya29.test-${randomBytes(8).toString("hex")}`, expires_in: 3599, token_type: "Bearer" });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    tokenUri: `http://127.0.0.1:${port}/token`,
    get requests() {
      return state.requests;
    },
    set requests(n: number) {
      state.requests = n;
    },
    addServiceAccount(clientEmail, publicKeyPem) {
      keys.set(clientEmail, createPublicKey(publicKeyPem));
    },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
