import type { RateLimitRepository } from '../storage/rateLimitRepository';
import type { RateLimitRule } from '../storage/rateLimitRule';

export type RateLimitAnswer = { allowed: true; remaining: number } | { allowed: false; retryAfter: number };

/** The tokens one process holds for one key, and what it last saw of the key's shared bucket. */
interface Allowance {
  /** Taken from the shared bucket (paid for there) and not spent yet. */
  tokens: number;
  /** When unspent tokens are dropped; 0 once the last refill was refused. */
  expiresUs: number;
  /** How many tokens the next refill asks for. */
  batch: number;
  /** The shared bucket's theoretical arrival time, as the last refill saw it. */
  arrivalUs?: number;
  /** The refill under way: other requests for the key wait for it rather than write too. */
  refilling?: Promise<number>;
}

// A process keeps tokens for a second at most: what it spends was paid for in the shared bucket within the last
// second, so a client spread over several processes gets no more than the shared limit, save what each process
// held when the window began. A busy client (10 requests a second) spends a batch of 10 within it.
const ALLOWANCE_LIFETIME_US = 1_000_000;

// Past this many keys held in memory, the allowances that say nothing any more (idle keys) are dropped.
const SWEEP_ABOVE = 10_000;

/**
 * A rate limit shared by every API process, spent through a local allowance per key: a process takes a batch of
 * tokens from the key's bucket in DynamoDB with one conditional write, and spends them on the key's requests for
 * up to a second. The batch starts at one token; each batch spent within its second doubles the next, up to
 * `maxBatch`, and one left to expire starts over at one. So an occasional request costs one token and one write,
 * and a busy key one write per `maxBatch` requests; a process holds at most `maxBatch - 1` unspent tokens of a key,
 * which its client loses if its requests go elsewhere (never gains). A bucket seen empty is refused here, without a
 * write, until it holds a token again.
 */
export class SharedRateLimit {
  private readonly allowances = new Map<string, Allowance>();

  constructor(
    private readonly buckets: RateLimitRepository,
    private readonly rule: RateLimitRule,
    private readonly maxBatch: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one token of the key's: `remaining` is what the key has left, here and in the shared bucket. */
  async take(key: string): Promise<RateLimitAnswer> {
    const allowance = this.allowanceOf(key);
    for (;;) {
      const nowUs = this.nowUs();
      if (allowance.tokens > 0 && nowUs < allowance.expiresUs) {
        allowance.tokens -= 1;
        return { allowed: true, remaining: allowance.tokens + this.rule.available(allowance.arrivalUs, nowUs) };
      }
      if (allowance.refilling) {
        await allowance.refilling;
        continue;
      }
      if (this.rule.available(allowance.arrivalUs, nowUs) < 1 || (await this.refill(key, allowance, nowUs)) < 1) {
        const waitUs = this.rule.untilAvailable(allowance.arrivalUs ?? nowUs, nowUs);
        return { allowed: false, retryAfter: Math.max(1, Math.ceil(waitUs / 1_000_000)) };
      }
    }
  }

  /** The clock in whole microseconds, as the buckets count (see RateLimitRule). */
  private nowUs(): number {
    return Math.round(this.now() * 1000);
  }

  /** Takes the next batch from the shared bucket; resolves to the tokens granted. */
  private refill(key: string, allowance: Allowance, nowUs: number): Promise<number> {
    const spentInTime = allowance.tokens === 0 && nowUs < allowance.expiresUs;
    allowance.batch = spentInTime ? Math.min(this.maxBatch, allowance.batch * 2) : 1;
    allowance.refilling = this.buckets
      .take(key, this.rule, allowance.batch, nowUs, allowance.arrivalUs)
      .then(({ granted, arrivalUs }) => {
        allowance.tokens = granted;
        allowance.arrivalUs = arrivalUs;
        allowance.expiresUs = granted > 0 ? nowUs + ALLOWANCE_LIFETIME_US : 0;
        return granted;
      })
      .finally(() => {
        allowance.refilling = undefined;
      });
    return allowance.refilling;
  }

  private allowanceOf(key: string): Allowance {
    let allowance = this.allowances.get(key);
    if (allowance) return allowance;
    if (this.allowances.size >= SWEEP_ABOVE) this.sweep(this.nowUs());
    allowance = { tokens: 0, expiresUs: 0, batch: 1 };
    this.allowances.set(key, allowance);
    return allowance;
  }

  /** Drops the allowances holding no token, no refill, and no sight of a bucket that is not full. */
  private sweep(nowUs: number): void {
    for (const [key, allowance] of this.allowances) {
      const holds = allowance.tokens > 0 && nowUs < allowance.expiresUs;
      const sawShortBucket = allowance.arrivalUs !== undefined && allowance.arrivalUs > nowUs;
      if (!holds && !allowance.refilling && !sawShortBucket) this.allowances.delete(key);
    }
  }
}
