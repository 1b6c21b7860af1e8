// Who owns which Harbor name and endpoint within one provider process (one Pulumi program run): the guard against two
// RegistryEndpoints of one stack claiming one Harbor endpoint, which ends with one deleting what the other manages.

export { LOGICAL_NAME_KEY } from "./vocabulary";

/** Where a Harbor name lives: the Harbor (its URL, so two connections to one Harbor are one) and the name. */
export interface HarborName {
  /** Harbor's URL as configured, compared case-insensitively. */
  harbor: string;
  /** How the connection is named in messages (e.g. `"default"`). */
  connection: string;
  /** The endpoint's Harbor name. */
  name: string;
}

interface Claim {
  logical: string;
  connection: string;
}

const key = (harbor: string, name: string) => `${harbor.toLowerCase()}\u0000${name}`;

/**
 * The names and endpoint ids the resources of this program claimed so far. The engine checks every registered
 * resource before it deletes the ones the program dropped, and deletes run after every create, so what the ledger
 * holds when `create` or `delete` runs covers the whole program.
 */
export class OwnershipLedger {
  private readonly names = new Map<string, Claim>();
  private readonly vacated = new Map<string, Claim>();
  private readonly ids = new Map<string, string>();

  /**
   * Records that `logical` wants `next` (and gives up `previous` when it is renamed or moved); returns one sentence
   * when another resource of the program wants the same Harbor name, or takes over a name this one gives up (or the
   * reverse) in the same update.
   */
  claim(logical: string, next: HarborName, previous?: HarborName): string | undefined {
    const k = key(next.harbor, next.name);
    const where = `on the Harbor at ${next.harbor} (connection "${next.connection}")`;
    const other = this.names.get(k);
    if (other && other.logical !== logical) {
      const via = other.connection === next.connection ? "" : ` (through connection "${other.connection}")`;
      return (
        `RegistryEndpoint "${logical}" and RegistryEndpoint "${other.logical}"${via} both resolve to the Harbor name "${next.name}" ${where}; ` +
        "Harbor names are unique, so one create would fail, and adopting would give one endpoint two owners (deleting either deletes it): " +
        "give one of them another `name` (the Harbor name defaults to the logical name)"
      );
    }
    const leaving = this.vacated.get(k);
    if (leaving && leaving.logical !== logical) return swapReason(logical, leaving.logical, next.name, where);
    if (previous && key(previous.harbor, previous.name) !== k) {
      const pk = key(previous.harbor, previous.name);
      const taker = this.names.get(pk);
      if (taker && taker.logical !== logical) {
        return swapReason(taker.logical, logical, previous.name, `on the Harbor at ${previous.harbor} (connection "${previous.connection}")`);
      }
      this.vacated.set(pk, { logical, connection: previous.connection });
    }
    this.names.set(k, { logical, connection: next.connection });
    return undefined;
  }

  /** Records that a resource of this program manages Harbor endpoint `id` on `harbor` (kept, created or adopted). */
  manage(harbor: string, id: string, owner: string): void {
    this.ids.set(key(harbor, id), owner);
  }

  /** Which resource of this program manages Harbor endpoint `id` on `harbor`, if any (see {@link manage}). */
  managedBy(harbor: string, id: string): string | undefined {
    return this.ids.get(key(harbor, id));
  }

  /** The logical name that claimed a Harbor name, if any. */
  ownerOfName(harbor: string, name: string): string | undefined {
    return this.names.get(key(harbor, name))?.logical;
  }
}

function swapReason(taker: string, leaver: string, name: string, where: string): string {
  return (
    `RegistryEndpoint "${taker}" takes the Harbor name "${name}" ${where} that RegistryEndpoint "${leaver}" gives up in the same update; ` +
    "the engine runs both changes at once, so Harbor may refuse the new name before the old owner lets go of it (and adopting would make both own one endpoint): " +
    `rename "${leaver}" in one \`pulumi up\`, then give the name to "${taker}" in the next`
  );
}
