// Reads and edits Harbor registries straight through the REST API, as an operator would outside Pulumi.
import { HarborSimulator } from "../../simulator";

/** A registry as Harbor's GET /registries lists it (only the fields the e2e tests assert on). */
export interface RestRegistry {
    id: number;
    name: string;
    type: string;
    url: string;
    description?: string;
    insecure?: boolean;
    credential?: { type?: string; access_key?: string; access_secret?: string };
}

/** Harbor REST calls as the simulator's admin. */
export class HarborRest {
    constructor(private readonly sim: HarborSimulator) {}

    private async call(method: string, path: string, body?: unknown): Promise<Response> {
        const res = await fetch(`${this.sim.url}/api/v2.0${path}`, {
            method,
            headers: {
                authorization: `Basic ${Buffer.from(`${this.sim.username}:${this.sim.password}`).toString("base64")}`,
                "content-type": "application/json",
            },
            body: body === undefined ? undefined : JSON.stringify(body),
        });
        if (res.status >= 300) {
            throw new Error(`${method} ${path} answered ${res.status}`);
        }
        return res;
    }

    /** Every registry, sorted by name. */
    async list(): Promise<RestRegistry[]> {
        const res = await this.call("GET", "/registries?page_size=100");
        const items = (await res.json()) as RestRegistry[];
        return items.sort((a, b) => a.name.localeCompare(b.name));
    }

    /** The registry with this exact name, or undefined. */
    async byName(name: string): Promise<RestRegistry | undefined> {
        return (await this.list()).find((r) => r.name === name);
    }

    /** Creates a registry; returns its id (from Location). */
    async create(body: Record<string, unknown>): Promise<number> {
        const res = await this.call("POST", "/registries", body);
        const location = res.headers.get("location") ?? "";
        return Number(location.split("/").pop());
    }

    /** PUT /registries/{id} with Harbor's flat update body. */
    async update(id: number, body: Record<string, unknown>): Promise<void> {
        await this.call("PUT", `/registries/${id}`, body);
    }

    /** DELETE /registries/{id}. */
    async delete(id: number): Promise<void> {
        await this.call("DELETE", `/registries/${id}`);
    }
}
