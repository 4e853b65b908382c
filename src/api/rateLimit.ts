import type { Request, RequestHandler, Response } from 'express';
import { currentUser } from './auth/authenticate';
import { sendProblem } from './problem';

export interface RateLimitOptions {
  /** Sustained requests a key may make per minute; 0 turns the limit off. */
  perMinute: number;
  /** Requests a key may make at once after a quiet spell. */
  burst: number;
  now?: () => number;
}

interface Bucket {
  tokens: number;
  at: number;
}

// Past this many keys held in memory, the buckets that have refilled completely (idle keys) are dropped.
const SWEEP_ABOVE = 10_000;

/**
 * Token buckets by key, in this process: each key's requests refill at `perMinute` and may burst to `burst`. With
 * several API processes each keeps its own buckets, so the limit a client sees is per process (a shared store
 * would be needed for an exact global limit).
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;
  private readonly now: () => number;

  constructor(private readonly options: RateLimitOptions) {
    this.perMs = options.perMinute / 60_000;
    this.now = options.now ?? (() => Date.now());
  }

  get burst(): number {
    return this.options.burst;
  }

  private refilled(bucket: Bucket, at: number): number {
    return Math.min(this.options.burst, bucket.tokens + (at - bucket.at) * this.perMs);
  }

  private bucketOf(key: string, at: number): Bucket {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= SWEEP_ABOVE) {
        for (const [idle, candidate] of this.buckets) {
          if (this.refilled(candidate, at) >= this.options.burst) this.buckets.delete(idle);
        }
      }
      bucket = { tokens: this.options.burst, at };
      this.buckets.set(key, bucket);
    }
    bucket.tokens = this.refilled(bucket, at);
    bucket.at = at;
    return bucket;
  }

  /**
   * Takes a token from each key's bucket when every one of them has one: `remaining` is what is left in the
   * emptiest. Otherwise takes nothing: `retryAfter` is the seconds until all of them would have a token again.
   */
  take(...keys: string[]): { allowed: true; remaining: number } | { allowed: false; retryAfter: number } {
    if (this.options.perMinute === 0) return { allowed: true, remaining: this.options.burst };
    const at = this.now();
    const buckets = keys.map((key) => this.bucketOf(key, at));
    const lowest = Math.min(...buckets.map((bucket) => bucket.tokens));
    if (lowest < 1) return { allowed: false, retryAfter: Math.max(1, Math.ceil((1 - lowest) / this.perMs / 1000)) };
    for (const bucket of buckets) bucket.tokens -= 1;
    return { allowed: true, remaining: Math.floor(lowest - 1) };
  }
}

/** 429 problem+json with Retry-After (seconds until a request would pass). */
function tooManyRequests(res: Response, retryAfter: number, detail: string): void {
  sendProblem(res, {
    status: 429,
    type: 'urn:imagepipe:problem:rate-limited',
    detail: `${detail} Try again in ${retryAfter} s.`,
    headers: { 'Retry-After': String(retryAfter) },
  });
}

/**
 * Per-user limit of the image routes. Every answer carries RateLimit-Limit and RateLimit-Remaining; over it, 429.
 */
export function rateLimitPerUser(options: RateLimitOptions): RequestHandler {
  const buckets = new TokenBuckets(options);
  return (req, res, next) => {
    if (options.perMinute === 0) return next();
    const taken = buckets.take(currentUser(req).uid);
    res.setHeader('RateLimit-Limit', String(options.burst));
    res.setHeader('RateLimit-Remaining', String(taken.allowed ? taken.remaining : 0));
    if (!taken.allowed) {
      tooManyRequests(
        res,
        taken.retryAfter,
        `Too many requests: at most ${options.perMinute} a minute (bursts of ${options.burst}).`,
      );
      return;
    }
    next();
  };
}

/**
 * Sign-in attempts, limited by client address and by account name: password guessing from one address, or at one
 * account from many, is slowed here, before it reaches the identity provider (which would otherwise throttle this
 * server's own address for every user). The account name is read from the form's `accountField` as it came,
 * lower-cased; a request that names none (a refresh grant) is limited by its address alone, as one bucket for every
 * such request would hold back all clients together.
 */
export function rateLimitSignIn(options: RateLimitOptions, accountField = 'username'): RequestHandler {
  const buckets = new TokenBuckets(options);
  const keysOf = (req: Request) => {
    const address = `address:${req.ip ?? 'unknown'}`;
    const account: unknown = (req.body as Record<string, unknown> | undefined)?.[accountField];
    return typeof account === 'string' ? [address, `account:${account.trim().toLowerCase().slice(0, 320)}`] : [address];
  };
  return (req, res, next) => {
    const taken = buckets.take(...keysOf(req));
    if (!taken.allowed) {
      tooManyRequests(
        res,
        taken.retryAfter,
        `Too many sign-in attempts from this address or for this account: at most ${options.perMinute} a minute.`,
      );
      return;
    }
    next();
  };
}
