// A token-bucket rate limit in front of the simulated Harbor, answering 429 with Retry-After as a gateway would.

/** Settings of the simulator's rate limit. */
export interface RateLimitOptions {
  /** Tokens added per second (sustained requests per second). */
  requestsPerSecond: number;
  /** Bucket size: how many requests may arrive at once after a quiet spell. Default `requestsPerSecond`. */
  burst?: number;
}

/** What {@link TokenBucket.take} answers: pass, or wait this many whole seconds (the `Retry-After` to send). */
export type TokenDecision =
  | {
      /** The request may pass. */
      ok: true;
    }
  | {
      /** The request is refused. */
      ok: false;
      /** Whole seconds, at least 1, until a token is available. */
      retryAfterSeconds: number;
    };

/** A token bucket; `take()` says whether a request may pass, or how long until it may. */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private readonly rate: number;
  private readonly burst: number;

  /** The clock, in milliseconds (tests pass a fake one). */
  private readonly now: () => number;

  /** Validates the options: both numbers must be positive. */
  constructor(options: RateLimitOptions, now: () => number = () => Date.now()) {
    this.now = now;
    if (!(options.requestsPerSecond > 0)) throw new RangeError("rateLimit.requestsPerSecond must be > 0");
    this.rate = options.requestsPerSecond / 1000;
    this.burst = options.burst ?? options.requestsPerSecond;
    if (!(this.burst >= 1)) throw new RangeError("rateLimit.burst must be >= 1");
    this.tokens = this.burst;
    this.last = this.now();
  }

  /** Takes a token: `{ ok: true }`, or `{ ok: false, retryAfterSeconds }` (whole seconds, at least 1, as Retry-After). */
  take(): TokenDecision {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + (t - this.last) * this.rate);
    this.last = t;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - this.tokens) / this.rate / 1000)) };
  }
}
