// Reads a request body whole, for the simulator's Harbor server and its offline stand-ins alike.
import type * as http from "node:http";

/** The request body as UTF-8 text, once the client has sent all of it. */
export function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
