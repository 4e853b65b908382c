import type { RequestHandler } from 'express';
import { currentUser } from './auth/authenticate';
import { sendProblem } from './problem';

export interface RateLimitOptions {
  /** Sustained requests a user may make per minute; 0 turns the limit off. */
  perMinute: number;
  /** Requests a user may make at once after a quiet spell. */
  burst: number;
  now?: () => number;
}

interface Bucket {
  tokens: number;
  at: number;
}

// Past this many users held in memory, the buckets that have refilled completely (idle users) are dropped.
const SWEEP_ABOVE = 10_000;

/**
 * Per-user token buckets, in this process: each user's requests refill at `perMinute` and may burst to `burst`.
 * Over it: 429 problem+json with Retry-After (seconds until a request would pass). Every answer carries
 * RateLimit-Limit and RateLimit-Remaining. With several API processes each keeps its own buckets, so the limit a
 * user sees is per process (a shared store would be needed for an exact global limit).
 */
export function rateLimitPerUser(options: RateLimitOptions): RequestHandler {
  const now = options.now ?? (() => Date.now());
  const buckets = new Map<string, Bucket>();
  const perMs = options.perMinute / 60_000;

  const refilled = (bucket: Bucket, at: number) => Math.min(options.burst, bucket.tokens + (at - bucket.at) * perMs);

  function sweep(at: number): void {
    for (const [user, bucket] of buckets) if (refilled(bucket, at) >= options.burst) buckets.delete(user);
  }

  return (req, res, next) => {
    if (options.perMinute === 0) return next();
    const user = currentUser(req).uid;
    const at = now();
    const bucket = buckets.get(user) ?? { tokens: options.burst, at };
    bucket.tokens = refilled(bucket, at);
    bucket.at = at;
    if (!buckets.has(user)) {
      if (buckets.size >= SWEEP_ABOVE) sweep(at);
      buckets.set(user, bucket);
    }
    res.setHeader('RateLimit-Limit', String(options.burst));
    if (bucket.tokens < 1) {
      const retryAfter = Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000));
      res.setHeader('RateLimit-Remaining', '0');
      sendProblem(res, {
        status: 429,
        type: 'urn:imagepipe:problem:rate-limited',
        detail: `Too many requests: at most ${options.perMinute} a minute (bursts of ${options.burst}). Try again in ${retryAfter} s.`,
        headers: { 'Retry-After': String(retryAfter) },
      });
      return;
    }
    bucket.tokens -= 1;
    res.setHeader('RateLimit-Remaining', String(Math.floor(bucket.tokens)));
    next();
  };
}
