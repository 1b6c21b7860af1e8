// A loopback TCP port nothing listens on (taken from the OS, then released), for servers that need their port up front.
import { createServer, type AddressInfo } from "node:net";

/** A free 127.0.0.1 TCP port; it is closed again, so nothing listens on it right after. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
