// Reads that arrive together are answered from one listing of Harbor's registries. `pulumi refresh` reads every
// endpoint of a stack at once (the engine runs up to 4 reads per CPU in parallel), so one GET /registries/{id} per
// endpoint makes a refresh of N endpoints wait about N / parallelism round trips to Harbor; the listing costs a few.
// Only what a listing *shows* is used: an endpoint it does not show is asked for by id, so only Harbor's 404 says gone.
import { isHarborApiError, isHarborResponseShapeError } from "../errors";
import type { HarborRegistry } from "../harbor";

/** What the coalescer needs from the Harbor client. */
export interface RegistryReadSource {
  /** `GET /registries/{id}`; a missing registry rejects with Harbor's 404. */
  getRegistry(id: number): Promise<HarborRegistry>;
  /** Every registry, or `undefined` when Harbor holds more than `limit`. */
  listRegistriesUpTo(limit: number): Promise<HarborRegistry[] | undefined>;
}

/** Tuning of {@link RegistryReads}; the defaults suit `pulumi refresh`. */
export interface RegistryReadsOptions {
  /** Whether reads that overlap may share a listing (`harbor:refreshListing`). Default true; false: one GET per read. */
  listing?: boolean;
  /** How long after it was requested a listing may answer a read, in ms. Default 2000. */
  freshMs?: number;
  /** The most registries a listing may hold; a larger Harbor is read one GET per endpoint. Default 1000. */
  maxListed?: number;
  /** Monotonic clock in ms (tests pass a fake one). Default `performance.now`. */
  now?: () => number;
}

/**
 * The writes of one provider process to one Harbor (every connection with that URL shares it): a listing requested
 * before or during a write may predate it.
 */
export class HarborWrites {
  /** Bumped when a write starts and when it ends. */
  generation = 0;
  /** Writes in flight. */
  inFlight = 0;

  /** Runs a write (POST, PUT, DELETE) so that no read answers from a listing that may predate it. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    this.generation++;
    this.inFlight++;
    try {
      return await work();
    } finally {
      this.inFlight--;
      this.generation++;
    }
  }
}

interface Listing {
  requestedAt: number;
  /** The writes' generation when the listing was requested: any write since makes its answer unusable. */
  generation: number;
  byId: Promise<Map<number, HarborRegistry> | undefined>;
}

/** Answers of a listing that say listing cannot work in this process: a refusal, an oversized or a foreign answer. */
function listingImpossible(e: unknown): boolean {
  return (isHarborApiError(e) && (e.status === 401 || e.status === 403)) || isHarborResponseShapeError(e);
}

/**
 * Reads registries by id for one Harbor connection of one provider process. A read is one `GET /registries/{id}`
 * unless a listing answers it: a read that starts while another is in flight starts a listing of every registry
 * (unless one requested in the last `freshMs` exists), and the reads of the next `freshMs` take their answer from it.
 * A listing Harbor refuses (401/403: no `registry:list` permission), that is not Harbor's answer, or that would exceed
 * `maxListed` switches listing off for the process; any other failure (a timeout, a 5xx) only sends the reads waiting
 * on it to GET. A write to the same Harbor through {@link HarborWrites} makes every listing requested before it
 * unusable, and no listing starts while a write is in flight, so a read never sees an answer older than a write of
 * this process.
 */
export class RegistryReads {
  private readonly freshMs: number;
  private readonly maxListed: number;
  private readonly now: () => number;
  private reading = 0;
  private listing: Listing | undefined;
  private listingOff: boolean;

  constructor(
    private readonly source: RegistryReadSource,
    private readonly writes: HarborWrites = new HarborWrites(),
    options: RegistryReadsOptions = {},
  ) {
    this.freshMs = options.freshMs ?? 2000;
    this.maxListed = options.maxListed ?? 1000;
    this.now = options.now ?? (() => performance.now());
    this.listingOff = options.listing === false;
  }

  /** The registry with this id, as `GET /registries/{id}` answers (rejecting with Harbor's 404 when it is gone). */
  async get(id: number): Promise<HarborRegistry> {
    this.reading++;
    try {
      return (await this.fromListing(id)) ?? (await this.source.getRegistry(id));
    } finally {
      this.reading--;
    }
  }

  private async fromListing(id: number): Promise<HarborRegistry | undefined> {
    if (this.listingOff || this.writes.inFlight > 0) return undefined;
    let listing = this.listing;
    if (listing === undefined || listing.generation !== this.writes.generation || this.now() - listing.requestedAt > this.freshMs) {
      // `reading` counts this read: another one is in flight, so the engine is reading many at once.
      if (this.reading < 2) return undefined;
      listing = this.startListing();
    }
    const byId = await listing.byId;
    // A write started since the listing was requested: its answer may predate the write.
    if (byId === undefined || listing.generation !== this.writes.generation) return undefined;
    return byId.get(id);
  }

  private startListing(): Listing {
    const listing: Listing = {
      requestedAt: this.now(),
      generation: this.writes.generation,
      byId: this.source.listRegistriesUpTo(this.maxListed).then(
        (all) => {
          if (all === undefined) {
            this.listingOff = true;
            return undefined;
          }
          return new Map(all.map((r) => [r.id, r]));
        },
        (e: unknown) => {
          // The reads waiting on it ask by id, which reports what went wrong if it goes on going wrong.
          if (listingImpossible(e)) this.listingOff = true;
          if (this.listing === listing) this.listing = undefined;
          return undefined;
        },
      ),
    };
    this.listing = listing;
    return listing;
  }
}
