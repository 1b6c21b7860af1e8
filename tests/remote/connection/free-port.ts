// A loopback TCP port nothing listens on (taken from the OS, then released), for "unreachable" tests.
import { createServer } from "node:net";

/** A free loopback TCP port (closed again, so nothing listens on it right after). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}
