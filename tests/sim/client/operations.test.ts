// Sim-tier tests of the Harbor client's operations against a scripted local server: Location, paging, lookup, references, shapes.
import assert from "node:assert/strict";
import { HarborClient } from "../../../provider/harbor";
import { HarborResponseShapeError, isHarborResponseShapeError } from "../../../provider/errors";
import { LocalServer, RecordedRequest, fakeClock, registryJson, sendJson, startLocalServer } from "./local-server";
import { rejection } from "./client-helpers";
import type http from "node:http";

/** Serves `rows` the way Harbor pages them: X-Total-Count always, Link only when prev/next exist. */
function servePage(req: RecordedRequest, res: http.ServerResponse, rows: unknown[], options: { link?: boolean } = {}): void {
  const url = new URL(req.url, "http://x");
  const page = Number(url.searchParams.get("page") ?? "1");
  const size = Number(url.searchParams.get("page_size") ?? "10");
  const slice = rows.slice((page - 1) * size, page * size);
  const links: string[] = [];
  const at = (p: number): string => `<${url.pathname}?page=${p}&page_size=${size}>`;
  if (page > 1 && (page - 1) * size < rows.length) links.push(`${at(page - 1)}; rel="prev"`);
  if (page * size < rows.length) links.push(`${at(page + 1)}; rel="next"`);
  const headers: Record<string, string> = { "x-total-count": String(rows.length) };
  if (options.link !== false && links.length > 0) headers.link = links.join(" , ");
  sendJson(req, res, 200, slice, headers);
}

describe("Harbor client operations (scripted server)", () => {
  let server: LocalServer;
  let client: HarborClient;

  beforeEach(async () => {
    server = await startLocalServer();
    client = new HarborClient({ url: server.url, username: "admin", password: "pw", clock: fakeClock() });
  });
  afterEach(async () => {
    await client.close();
    await server.close();
  });

  describe("createRegistry", () => {
    it("returns the id from a relative Location header", async () => {
      server.handle((req, res) => sendJson(req, res, 201, undefined, { location: "/api/v2.0/registries/42" }));
      assert.equal(await client.createRegistry({ name: "hub", type: "docker-hub", url: "https://hub.docker.com", credential: { type: "basic", access_key: "u", access_secret: "p" } }), 42);
      const req = server.requests[0]!;
      assert.equal(req.method, "POST");
      assert.equal(req.url, "/api/v2.0/registries");
      assert.deepEqual(JSON.parse(req.body), { name: "hub", type: "docker-hub", url: "https://hub.docker.com", credential: { type: "basic", access_key: "u", access_secret: "p" } });
    });

    it("also reads an absolute Location URL", async () => {
      server.handle((req, res) => sendJson(req, res, 201, undefined, { location: `${server.url}/api/v2.0/registries/7/` }));
      assert.equal(await client.createRegistry({ name: "a", type: "harbor", url: "https://h" }), 7);
    });

    it("fails with a shape error naming the Location header when it is missing", async () => {
      server.handle((req, res) => sendJson(req, res, 201, undefined));
      const e = (await rejection(client.createRegistry({ name: "a", type: "harbor", url: "https://h" }))) as HarborResponseShapeError;
      assert.ok(isHarborResponseShapeError(e));
      assert.equal(e.issuePath, "Location header");
      assert.equal(e.operation, "createRegistry");
    });

    it("fails with a shape error when Location has no numeric id", async () => {
      server.handle((req, res) => sendJson(req, res, 201, undefined, { location: "/api/v2.0/registries/abc" }));
      assert.ok(isHarborResponseShapeError(await rejection(client.createRegistry({ name: "a", type: "harbor", url: "https://h" }))));
    });
  });

  describe("response shapes", () => {
    it("rejects a 200 body that is not a registry, naming the field but not the body", async () => {
      server.handle((req, res) => sendJson(req, res, 200, { ...registryJson(1, "leaky-body-name"), id: "one" }));
      const e = (await rejection(client.getRegistry(1))) as HarborResponseShapeError;
      assert.ok(isHarborResponseShapeError(e));
      assert.equal(e.issuePath, "id");
      assert.ok(!e.message.includes("leaky-body-name"));
    });

    it("rejects a 200 body that is not JSON", async () => {
      server.handle((_req, res) => {
        res.writeHead(200, { "content-type": "text/html" });
        res.end("<html>login</html>");
      });
      const e = (await rejection(client.getSystemInfo())) as HarborResponseShapeError;
      assert.ok(isHarborResponseShapeError(e));
      assert.equal(e.issuePath, "Content-Type header");
    });

    it("rejects a 200 application/json body that is not JSON", async () => {
      server.handle((_req, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end('{"id": 1,');
      });
      const e = (await rejection(client.getRegistry(1))) as HarborResponseShapeError;
      assert.ok(isHarborResponseShapeError(e));
      assert.equal(e.issuePath, "body");
    });

    for (const [operation, call] of [
      ["deleteRegistry", (c: HarborClient) => c.deleteRegistry(3)],
      ["updateRegistry", (c: HarborClient) => c.updateRegistry(3, { description: "d" })],
      ["pingRegistry", (c: HarborClient) => c.pingRegistry({ type: "harbor", url: "https://h" })],
      ["createRegistry", (c: HarborClient) => c.createRegistry({ name: "n", type: "harbor", url: "https://h" })],
    ] as const) {
      it(`rejects a proxy's 200 text/html page as the answer to ${operation}, naming the request id`, async () => {
        server.handle((_req, res) => {
          res.writeHead(200, { "content-type": "text/html", "x-request-id": "proxy-page-1" });
          res.end("<html>maintenance</html>");
        });
        const e = (await rejection(call(client))) as HarborResponseShapeError;
        assert.ok(isHarborResponseShapeError(e), String(e));
        assert.equal(e.operation, operation);
        assert.match(e.message, /request id proxy-page-1/);
        assert.equal(server.requests.length, 1, "a wrong answer is not retried");
      });
    }

    it("rejects a 204 where Harbor answers 200, and a 200 where it answers 201", async () => {
      server.handle((_req, res) => {
        res.writeHead(204);
        res.end();
      });
      assert.equal(((await rejection(client.deleteRegistry(3))) as HarborResponseShapeError).issuePath, "status");
      server.handle((_req, res) => {
        res.writeHead(200, { location: "/api/v2.0/registries/9" });
        res.end();
      });
      assert.equal(((await rejection(client.createRegistry({ name: "n", type: "harbor", url: "https://h" }))) as HarborResponseShapeError).issuePath, "status");
    });
  });

  describe("listRegistries", () => {
    const rows = Array.from({ length: 250 }, (_, i) => registryJson(i + 1, `r${i + 1}`));

    it("follows Link rel=next through every page of 100", async () => {
      server.handle((req, res) => servePage(req, res, rows));
      const all = await client.listRegistries();
      assert.equal(all.length, 250);
      assert.deepEqual(all.map((r) => r.id), rows.map((r) => r.id));
      assert.deepEqual(server.requests.map((r) => new URL(r.url, "http://x").searchParams.get("page")), ["1", "2", "3"]);
      assert.ok(server.requests.every((r) => new URL(r.url, "http://x").searchParams.get("page_size") === "100"));
    });

    it("falls back to X-Total-Count when no Link header is sent", async () => {
      server.handle((req, res) => servePage(req, res, rows, { link: false }));
      assert.equal((await client.listRegistries({ pageSize: 50 })).length, 250);
      assert.equal(server.requests.length, 5);
    });

    it("sends q and sort percent-encoded", async () => {
      server.handle((req, res) => servePage(req, res, []));
      await client.listRegistries({ q: "name=~hub", sort: "-creation_time" });
      const url = new URL(server.requests[0]!.url, "http://x");
      assert.equal(url.searchParams.get("q"), "name=~hub");
      assert.equal(url.searchParams.get("sort"), "-creation_time");
      assert.ok(server.requests[0]!.url.includes("q=name%3D~hub"));
    });

    it("returns an empty list for []", async () => {
      server.handle((req, res) => servePage(req, res, []));
      assert.deepEqual(await client.listRegistries(), []);
    });
  });

  describe("listRegistriesUpTo", () => {
    const rows = Array.from({ length: 250 }, (_, i) => registryJson(i + 1, `r${i + 1}`));
    const pageOf = (r: RecordedRequest) => new URL(r.url, "http://x").searchParams.get("page");

    it("reads the total from page 1, then asks for the other pages together, sorted by id", async () => {
      let open = 0;
      let peak = 0;
      server.handle((req, res) => {
        open++;
        peak = Math.max(peak, open);
        setTimeout(() => {
          open--;
          servePage(req, res, rows);
        }, 20);
      });
      const all = await client.listRegistriesUpTo(1000);
      assert.deepEqual(all?.map((r) => r.id), rows.map((r) => r.id));
      assert.deepEqual(server.requests.map(pageOf).sort(), ["1", "2", "3"]);
      for (const r of server.requests) {
        const q = new URL(r.url, "http://x").searchParams;
        assert.deepEqual([q.get("sort"), q.get("page_size")], ["id", "100"]);
      }
      assert.equal(peak, 2, "pages 2 and 3 were not requested together");
    });

    it("answers undefined after one request when Harbor holds more than the limit", async () => {
      server.handle((req, res) => servePage(req, res, rows));
      assert.equal(await client.listRegistriesUpTo(249), undefined);
      assert.equal(server.requests.length, 1);
      assert.equal((await client.listRegistriesUpTo(250))?.length, 250);
    });

    it("answers undefined when the answer carries no X-Total-Count (not Harbor's paging)", async () => {
      server.handle((req, res) => sendJson(req, res, 200, rows.slice(0, 100)));
      assert.equal(await client.listRegistriesUpTo(1000), undefined);
    });

    it("rejects with Harbor's error when the listing is refused", async () => {
      server.handle((req, res) => sendJson(req, res, 403, { errors: [{ code: "FORBIDDEN", message: "forbidden" }] }));
      const e = (await rejection(client.listRegistriesUpTo(1000))) as { status?: number };
      assert.equal(e.status, 403);
    });
  });

  describe("findRegistryByName", () => {
    it("queries q=name=<exact> and keeps only the case-sensitive exact match", async () => {
      server.handle((req, res) => servePage(req, res, [registryJson(1, "hub-2"), registryJson(2, "HUB"), registryJson(3, "hub")]));
      const found = await client.findRegistryByName("hub");
      assert.equal(found?.id, 3);
      assert.equal(new URL(server.requests[0]!.url, "http://x").searchParams.get("q"), "name=hub");
    });

    it("answers undefined when only loose matches come back", async () => {
      server.handle((req, res) => servePage(req, res, [registryJson(1, "hub-2")]));
      assert.equal(await client.findRegistryByName("hub"), undefined);
    });

    it("searches a name with a comma (which Harbor's q cannot hold) fuzzily by its longest comma-free run, then matches exactly", async () => {
      const odd = "a+b,{c}%20";
      server.handle((req, res) => servePage(req, res, [registryJson(1, "a b"), registryJson(2, odd)]));
      assert.equal((await client.findRegistryByName(odd))?.id, 2);
      assert.equal(new URL(server.requests[0]!.url, "http://x").searchParams.get("q"), "name=~{c}%2520");
    });
  });

  describe("findRegistryReferences", () => {
    it("collects policies using the registry as source or destination and proxy-cache projects, across pages", async () => {
      const policies = Array.from({ length: 130 }, (_, i) => ({ id: i + 1, name: `p${i + 1}`, src_registry: { id: i === 5 ? 9 : 0 }, dest_registry: { id: i === 120 ? 9 : 1 } }));
      const projects = [{ project_id: 1, name: "library" }, { project_id: 2, name: "cache", registry_id: 9 }, { project_id: 3, name: "other-cache", registry_id: 8 }];
      server.handle((req, res) => {
        if (req.url.startsWith("/api/v2.0/replication/policies")) servePage(req, res, policies);
        else if (req.url.startsWith("/api/v2.0/projects")) servePage(req, res, projects);
        else res.writeHead(404).end();
      });
      assert.deepEqual(await client.findRegistryReferences(9), {
        policies: [{ id: 6, name: "p6" }, { id: 121, name: "p121" }],
        projects: [{ id: 2, name: "cache" }],
      });
    });
  });

  describe("other operations", () => {
    it("reads adapters, adapter infos, registry info and system info", async () => {
      server.handle((req, res) => {
        const bodies: Record<string, unknown> = {
          "/api/v2.0/replication/adapters": ["docker-hub", "harbor"],
          "/api/v2.0/replication/adapterinfos": { "docker-hub": { credential_pattern: { access_key_type: "AccessKeyTypeStandard" } } },
          "/api/v2.0/registries/4/info": { type: "harbor", supported_triggers: ["manual"], supported_resource_filters: null },
          "/api/v2.0/systeminfo": { harbor_version: "v2.15.2-abc", auth_mode: "db_auth" },
        };
        sendJson(req, res, 200, bodies[req.url]);
      });
      assert.deepEqual(await client.listRegistryProviderTypes(), ["docker-hub", "harbor"]);
      assert.deepEqual(Object.keys(await client.listRegistryProviderInfos()), ["docker-hub"]);
      assert.deepEqual((await client.getRegistryInfo(4)).supported_triggers, ["manual"]);
      assert.equal((await client.getSystemInfo()).harbor_version, "v2.15.2-abc");
    });

    it("rejects a negative or fractional id before sending anything", async () => {
      await assert.rejects(client.getRegistry(-1), TypeError);
      await assert.rejects(client.deleteRegistry(1.5), TypeError);
      assert.equal(server.requests.length, 0);
    });

    it("rejects an invalid create body without echoing the secret", async () => {
      await assert.rejects(
        client.createRegistry({ name: "n", type: "t", url: "u", credential: { access_secret: 5 as unknown as string } }),
        (e: Error) => e instanceof TypeError && /credential\.access_secret/.test(e.message),
      );
      assert.equal(server.requests.length, 0);
    });
  });
});
