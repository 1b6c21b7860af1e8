// Test support: Harbor's REST API as an operator uses it outside Pulumi, scoped to one test run's names.

/** Where a Harbor is and how to log in (a simulator handle or a {@link HarborTarget} fits). */
export interface HarborConnection {
    /** Base URL without `/api/v2.0`. */
    url: string;
    /** Admin user (or a system robot with every permission the tests use). */
    username: string;
    /** Its password. */
    password: string;
}

/** A registry as Harbor's GET /registries lists it (only the fields the tests assert on). */
export interface RestRegistry {
    id: number;
    name: string;
    type: string;
    url: string;
    description?: string;
    insecure?: boolean;
    status?: string;
    credential?: { type?: string; access_key?: string; access_secret?: string };
}

/** A replication policy or project as listed: its id, name and the registries it references. */
export interface RestReference {
    id: number;
    name: string;
    /** The policy's remote registry id, or the proxy-cache project's upstream registry id (undefined for neither). */
    registryId?: number;
}

/** Harbor REST calls as an admin; lists and lookups see only names starting with `prefix`. */
export class HarborRest {
    /**
     * @param harbor - the Harbor and its admin credentials.
     * @param prefix - the run's name prefix: names without it are never listed, so a shared Harbor's own data is invisible.
     */
    constructor(
        private readonly harbor: HarborConnection,
        readonly prefix = "",
    ) {}

    private async call(method: string, path: string, body?: unknown): Promise<Response> {
        const res = await fetch(`${this.harbor.url.replace(/\/+$/, "")}/api/v2.0${path}`, {
            method,
            headers: {
                authorization: `Basic ${Buffer.from(`${this.harbor.username}:${this.harbor.password}`).toString("base64")}`,
                "content-type": "application/json",
            },
            body: body === undefined ? undefined : JSON.stringify(body),
        });
        if (res.status >= 300) {
            throw new Error(`${method} ${path} answered ${res.status}`);
        }
        return res;
    }

    /** Every page of a list route. */
    private async all<T>(path: string): Promise<T[]> {
        const out: T[] = [];
        for (let page = 1; ; page++) {
            const res = await this.call("GET", `${path}${path.includes("?") ? "&" : "?"}page=${page}&page_size=100`);
            const items = ((await res.json()) as T[] | null) ?? [];
            out.push(...items);
            if (items.length < 100) return out;
        }
    }

    private mine<T extends { name: string }>(items: T[]): T[] {
        return items.filter((i) => i.name.startsWith(this.prefix)).sort((a, b) => a.name.localeCompare(b.name));
    }

    private static idFrom(res: Response): number {
        return Number((res.headers.get("location") ?? "").split("/").pop());
    }

    /** This run's registries, sorted by name. */
    async list(): Promise<RestRegistry[]> {
        return this.mine(await this.all<RestRegistry>("/registries"));
    }

    /** The registry of this run with this exact name, or undefined. */
    async byName(name: string): Promise<RestRegistry | undefined> {
        return (await this.list()).find((r) => r.name === name);
    }

    /** Creates a registry; returns its id (from Location). */
    async create(body: Record<string, unknown>): Promise<number> {
        return HarborRest.idFrom(await this.call("POST", "/registries", body));
    }

    /** PUT /registries/{id} with Harbor's flat update body. */
    async update(id: number, body: Record<string, unknown>): Promise<void> {
        await this.call("PUT", `/registries/${id}`, body);
    }

    /** DELETE /registries/{id}. */
    async delete(id: number): Promise<void> {
        await this.call("DELETE", `/registries/${id}`);
    }

    /**
     * Whether Harbor's Test Connection of a stored registry passes (`POST /registries/ping {id}`): Harbor uses the secret
     * it stores, so against a credential-checking remote this is the way to check a secret Harbor never returns.
     */
    async pingById(id: number): Promise<boolean> {
        const res = await fetch(`${this.harbor.url.replace(/\/+$/, "")}/api/v2.0/registries/ping`, {
            method: "POST",
            headers: {
                authorization: `Basic ${Buffer.from(`${this.harbor.username}:${this.harbor.password}`).toString("base64")}`,
                "content-type": "application/json",
            },
            body: JSON.stringify({ id }),
        });
        await res.arrayBuffer();
        return res.status === 200;
    }

    /** Creates a manual replication policy pulling from (or pushing to) a registry; returns its id. */
    async createReplicationPolicy(name: string, registry: { srcRegistryId: number } | { destRegistryId: number }): Promise<number> {
        const side = "srcRegistryId" in registry ? { src_registry: { id: registry.srcRegistryId } } : { dest_registry: { id: registry.destRegistryId } };
        return HarborRest.idFrom(await this.call("POST", "/replication/policies", { name, ...side, trigger: { type: "manual" }, enabled: true }));
    }

    /** This run's replication policies. */
    async listReplicationPolicies(): Promise<RestReference[]> {
        type Wire = { id: number; name: string; src_registry?: { id: number }; dest_registry?: { id: number } };
        return this.mine(await this.all<Wire>("/replication/policies")).map((p) => ({
            id: p.id, name: p.name, registryId: p.src_registry?.id || p.dest_registry?.id || undefined,
        }));
    }

    /** DELETE /replication/policies/{id}. */
    async deleteReplicationPolicy(id: number): Promise<void> {
        await this.call("DELETE", `/replication/policies/${id}`);
    }

    /** Creates a proxy-cache project whose upstream is the registry; returns its id. */
    async createProxyCacheProject(name: string, registryId: number): Promise<number> {
        return HarborRest.idFrom(await this.call("POST", "/projects", { project_name: name, registry_id: registryId, metadata: { public: "false" } }));
    }

    /** This run's projects. */
    async listProjects(): Promise<RestReference[]> {
        type Wire = { project_id: number; name: string; registry_id?: number };
        return this.mine(await this.all<Wire>("/projects")).map((p) => ({ id: p.project_id, name: p.name, registryId: p.registry_id || undefined }));
    }

    /** DELETE /projects/{id}. */
    async deleteProject(id: number): Promise<void> {
        await this.call("DELETE", `/projects/${id}`);
    }
}
