import crypto from 'node:crypto';
import express from 'express';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { freePort } from '../../scripts/devstack/ports';
import { rateLimitPerUser } from '../../src/api/rateLimit';
import { startApi, type RunningApi } from '../harness/apiServer';
import { freshClientAddress } from '../harness/clientAddress';
import { ApiClient } from '../harness/httpClient';
import { testStorage } from '../harness/storage';
import { createTestUser } from '../harness/users';

/** A table name nothing creates: the limits' buckets unreachable while the rest of DynamoDB answers. */
const MISSING_TABLE = 'imagepipe-rate-limits-never-created';

/** A logger whose lines the test reads. */
function recordingLogger() {
  const lines: Array<{ level: number; msg: string; requestId?: string }> = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

const signInAttempt = (url: string, username: string, password: string, address: string) =>
  fetch(`${url}/api/v1/auth/token`, {
    method: 'POST',
    // The API trusts X-Forwarded-For from a proxy on loopback (API_TRUST_PROXY's default), as the tests' client is.
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': address },
    body: new URLSearchParams({ username, password }),
  });

describe('per-user rate limit', () => {
  let api: RunningApi;
  beforeAll(async () => {
    // One request every 10 s past the burst: slow requests on a busy machine never earn a token back meanwhile.
    api = await startApi({ RATE_LIMIT_PER_MINUTE: '6', RATE_LIMIT_BURST: '3' });
  });
  afterAll(() => api.close());

  it('answers 429 problem+json with Retry-After past the burst, for that user only', async () => {
    const alice = new ApiClient(api.url, (await createTestUser(api.config)).idToken);
    const bob = new ApiClient(api.url, (await createTestUser(api.config)).idToken);
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await alice.get('/api/v1/images'));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 429]);
    expect(answers.map((answer) => answer.headers.get('ratelimit-remaining'))).toEqual(['2', '1', '0', '0']);
    expect(answers.map((answer) => answer.headers.get('ratelimit-limit'))).toEqual(['3', '3', '3', '3']);
    const limited = answers[3]!;
    expect(limited.contentType).toContain('application/problem+json');
    expect(limited.body).toMatchObject({ status: 429, type: 'urn:imagepipe:problem:rate-limited' });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(8);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(10);
    expect((await bob.get('/api/v1/images')).status).toBe(200);
    // Health and auth routes are not counted.
    expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
  });

  it('limits sign-in attempts per client address and per account, before they reach the identity provider', async () => {
    const signIns = await startApi({ SIGN_IN_RATE_LIMIT_PER_MINUTE: '6', SIGN_IN_RATE_LIMIT_BURST: '2' });
    try {
      const user = await createTestUser(signIns.config);
      const attempt = (username: string, password: string, address: string) =>
        signInAttempt(signIns.url, username, password, address);
      // Guessing one account from several addresses: the account's own bucket runs dry.
      const guesses = [];
      for (let i = 0; i < 3; i++) guesses.push((await attempt(user.email, 'wrong', freshClientAddress())).status);
      expect(guesses).toEqual([401, 401, 429]);
      // The right password for that account waits too: the limit cannot tell the owner from the guesser.
      const owner = await attempt(user.email, user.password, freshClientAddress());
      expect(owner.status).toBe(429);
      expect(Number(owner.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(owner.headers.get('content-type')).toContain('application/problem+json');
      // Guessing many accounts from one address: that address's bucket runs dry.
      const sprayer = freshClientAddress();
      const sprayed = [];
      for (let i = 0; i < 3; i++)
        sprayed.push((await attempt(`nobody-${crypto.randomUUID()}@example.test`, 'wrong', sprayer)).status);
      expect(sprayed).toEqual([401, 401, 429]);
      // Another address and another account are not held back.
      const other = await createTestUser(signIns.config);
      expect((await attempt(other.email, other.password, freshClientAddress())).status).toBe(200);
    } finally {
      await signIns.close();
    }
  });

  it('refills at the sustained rate', async () => {
    const storage = testStorage();
    let now = Date.now();
    const app = express();
    const uid = `user-${crypto.randomUUID()}`;
    app.use((req, _res, next) => {
      (req as unknown as { user: { uid: string } }).user = { uid };
      next();
    });
    app.use(rateLimitPerUser(storage.rateLimits, { perMinute: 60, burst: 2, now: () => now }));
    app.get('/', (_req, res) => {
      res.send('ok');
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      const statuses = async (count: number) => {
        const out = [];
        for (let i = 0; i < count; i++) out.push((await fetch(url)).status);
        return out;
      };
      expect(await statuses(3)).toEqual([200, 200, 429]);
      now += 1_000; // one request a second
      expect(await statuses(2)).toEqual([200, 429]);
      now += 60_000; // never more than the burst, however long the pause
      expect(await statuses(3)).toEqual([200, 200, 429]);
    } finally {
      server.close();
      storage.destroy();
    }
  });
});

describe('rate limits when their table cannot be reached', () => {
  it('let image requests through without the per-user limit, and say so in the log', async () => {
    const { logger, lines } = recordingLogger();
    const api = await startApi(
      { RATE_LIMIT_PER_MINUTE: '60', RATE_LIMIT_BURST: '1', DYNAMODB_TABLE_RATE_LIMITS: MISSING_TABLE },
      logger,
    );
    try {
      const alice = new ApiClient(api.url, (await createTestUser(api.config)).idToken);
      const answers = [await alice.get('/api/v1/images'), await alice.get('/api/v1/images')];
      expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
      // Nothing was counted: no count is claimed.
      expect(answers.map((answer) => answer.headers.get('ratelimit-remaining'))).toEqual([null, null]);
      const warnings = lines.filter((line) => line.msg === 'rate limit unavailable: request let through without it');
      expect(warnings).toHaveLength(2);
      expect(warnings.map((line) => [line.level, typeof line.requestId])).toEqual([
        [40, 'string'],
        [40, 'string'],
      ]);
    } finally {
      await api.close();
    }
  });

  it('refuse sign-in attempts with 503 and Retry-After while DynamoDB is away', async () => {
    const { logger, lines } = recordingLogger();
    // Nothing listens there: every call to DynamoDB fails as with a store that is down.
    const api = await startApi(
      { SIGN_IN_RATE_LIMIT_PER_MINUTE: '60', DYNAMODB_ENDPOINT: `http://127.0.0.1:${await freePort()}` },
      logger,
    );
    try {
      const answer = await signInAttempt(api.url, 'anyone@example.test', 'a guess', freshClientAddress());
      expect(answer.status).toBe(503);
      expect(answer.headers.get('retry-after')).toBe('5');
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      expect(((await answer.json()) as { detail: string }).detail).toMatch(/^Sign-in is unavailable for a moment/);
      expect(lines).toContainEqual(
        expect.objectContaining({ level: 50, msg: 'sign-in rate limit unavailable: attempt refused' }),
      );
    } finally {
      await api.close();
    }
  });

  it('are never asked when the limits are off (RATE_LIMIT_PER_MINUTE=0, the tests’ default)', async () => {
    const { logger, lines } = recordingLogger();
    const api = await startApi({ DYNAMODB_TABLE_RATE_LIMITS: MISSING_TABLE }, logger);
    try {
      const user = await createTestUser(api.config);
      const listed = await new ApiClient(api.url, user.idToken).get('/api/v1/images');
      expect(listed.status).toBe(200);
      expect(listed.headers.get('ratelimit-limit')).toBeNull();
      expect((await signInAttempt(api.url, user.email, 'wrong', freshClientAddress())).status).toBe(401);
      expect(lines.filter((line) => line.msg.includes('rate limit'))).toEqual([]);
    } finally {
      await api.close();
    }
  });
});
