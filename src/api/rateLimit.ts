import type { Request, RequestHandler, Response } from 'express';
import type { RateLimitSetting } from '../config';
import type { RateLimitRepository } from '../storage/rateLimitRepository';
import { RateLimitRule } from '../storage/rateLimitRule';
import { currentUser } from './auth/authenticate';
import { sendProblem } from './problem';
import { SharedRateLimit } from './sharedRateLimit';

export interface RateLimitOptions extends RateLimitSetting {
  /** The clock, in milliseconds since the epoch. */
  now?: () => number;
}

// The most tokens a process takes from a user's shared bucket in one write: a tenth of the burst, so what a process
// may hold unspent stays small beside it, and at most 10, so a busy user costs a write every 10 requests.
const PER_USER_MAX_BATCH = 10;
const perUserBatch = (burst: number) => Math.max(1, Math.min(PER_USER_MAX_BATCH, Math.floor(burst / 10)));

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
 * Per-user limit of the image routes, shared by every API process (SharedRateLimit: a busy user's process takes
 * tokens in batches). Every answer carries RateLimit-Limit and RateLimit-Remaining; over it, 429. With the buckets'
 * table unreachable the request goes on without the limit, logged: the user is signed in, and an image route that
 * needs DynamoDB answers 503 itself, while refusing every request for the limit's sake would turn a fault of its
 * table alone into an outage of the API.
 */
export function rateLimitPerUser(buckets: RateLimitRepository, options: RateLimitOptions): RequestHandler {
  if (options.perMinute === 0) return (_req, _res, next) => next();
  const rule = new RateLimitRule(options.perMinute, options.burst);
  const limit = new SharedRateLimit(buckets, rule, perUserBatch(options.burst), options.now);
  return async (req, res, next) => {
    const key = `user:${currentUser(req).uid}`;
    let taken;
    try {
      taken = await limit.take(key);
    } catch (error) {
      req.log.warn({ err: error }, 'rate limit unavailable: request let through without it');
      return next();
    }
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

/** Which sign-in route a limit guards (each has buckets of its own), and the form field that names the account. */
export interface SignInRoute {
  name: 'sign-in' | 'sign-up';
  accountField: string;
}

/**
 * Sign-in attempts, limited by client address and by account name, shared by every API process: password guessing
 * from one address, or at one account from many, is slowed here, before it reaches the identity provider (which
 * would otherwise throttle this server's own address for every user). The account name is read from the form's
 * `accountField` as it came, lower-cased; a request that names none (a refresh grant) is limited by its address
 * alone, as one bucket for every such request would hold back all clients together.
 *
 * Each attempt takes one token from its address's bucket, then one from its account's: one write each, no batches
 * (attempts are rare, and each is worth a guess). The address goes first, so that an address out of attempts spends
 * no account's: from one address, nobody can lock many accounts out. With the buckets' table unreachable, sign-in
 * answers 503: letting attempts through unlimited is what a guesser would wait for.
 */
export function rateLimitSignIn(
  buckets: RateLimitRepository,
  options: RateLimitOptions,
  route: SignInRoute,
): RequestHandler {
  if (options.perMinute === 0) return (_req, _res, next) => next();
  const limit = new SharedRateLimit(buckets, new RateLimitRule(options.perMinute, options.burst), 1, options.now);
  const keysOf = (req: Request) => {
    const address = `${route.name}:address:${req.ip ?? 'unknown'}`;
    const account: unknown = (req.body as Record<string, unknown> | undefined)?.[route.accountField];
    return typeof account === 'string'
      ? [address, `${route.name}:account:${account.trim().toLowerCase().slice(0, 320)}`]
      : [address];
  };
  return async (req, res, next) => {
    try {
      for (const key of keysOf(req)) {
        const taken = await limit.take(key);
        if (!taken.allowed) {
          tooManyRequests(
            res,
            taken.retryAfter,
            `Too many sign-in attempts from this address or for this account: at most ${options.perMinute} a minute.`,
          );
          return;
        }
      }
    } catch (error) {
      req.log.error({ err: error }, 'sign-in rate limit unavailable: attempt refused');
      sendProblem(res, {
        status: 503,
        detail: 'Sign-in is unavailable for a moment: its attempts cannot be counted. Try again shortly.',
        headers: { 'Retry-After': '5' },
      });
      return;
    }
    next();
  };
}
