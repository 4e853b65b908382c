import express from 'express';
import type { AddressInfo } from 'node:net';
import { rateLimitPerUser } from '../../src/api/rateLimit';
import { startApi, type RunningApi } from '../harness/apiServer';
import { ApiClient } from '../harness/httpClient';
import { createTestUser } from '../harness/users';

describe('per-user rate limit', () => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startApi({ RATE_LIMIT_PER_MINUTE: '60', RATE_LIMIT_BURST: '3' });
  });
  afterAll(() => api.close());

  it('answers 429 problem+json with Retry-After past the burst, for that user only', async () => {
    const alice = new ApiClient(api.url, (await createTestUser(api.config)).idToken);
    const bob = new ApiClient(api.url, (await createTestUser(api.config)).idToken);
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await alice.get('/api/v1/images'));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 429]);
    expect(answers.map((answer) => answer.headers.get('ratelimit-remaining'))).toEqual(['2', '1', '0', '0']);
    const limited = answers[3]!;
    expect(limited.contentType).toContain('application/problem+json');
    expect(limited.body).toMatchObject({ status: 429, type: 'urn:imagepipe:problem:rate-limited' });
    expect(Number(limited.headers.get('retry-after'))).toBe(1);
    expect((await bob.get('/api/v1/images')).status).toBe(200);
    // Health and auth routes are not counted.
    expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
  });

  it('limits sign-in attempts per client address and per account, before they reach the identity provider', async () => {
    const signIns = await startApi({ SIGN_IN_RATE_LIMIT_PER_MINUTE: '60', SIGN_IN_RATE_LIMIT_BURST: '2' });
    try {
      const user = await createTestUser(signIns.config);
      const attempt = (username: string, password: string, address = '127.0.0.1') =>
        fetch(`${signIns.url}/api/v1/auth/token`, {
          method: 'POST',
          // The API trusts X-Forwarded-For from a proxy on loopback only, as the tests' client is.
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': address },
          body: new URLSearchParams({ username, password }),
        });
      // Guessing one account from several addresses: the account's own bucket runs dry.
      const guesses = [];
      for (const address of ['10.0.0.1', '10.0.0.2', '10.0.0.3'])
        guesses.push((await attempt(user.email, 'wrong', address)).status);
      expect(guesses).toEqual([401, 401, 429]);
      // The right password for that account waits too: the limit cannot tell the owner from the guesser.
      const owner = await attempt(user.email, user.password, '10.0.0.9');
      expect(owner.status).toBe(429);
      expect(Number(owner.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(owner.headers.get('content-type')).toContain('application/problem+json');
      // Guessing many accounts from one address: that address's bucket runs dry.
      const sprayed = [];
      for (let i = 0; i < 3; i++) sprayed.push((await attempt(`nobody-${i}@example.test`, 'wrong', '10.0.1.1')).status);
      expect(sprayed).toEqual([401, 401, 429]);
      // Another address and another account are not held back.
      const other = await createTestUser(signIns.config);
      expect((await attempt(other.email, other.password, '10.0.2.1')).status).toBe(200);
    } finally {
      await signIns.close();
    }
  });

  it('refills at the sustained rate', async () => {
    let now = 0;
    const app = express();
    app.use((req, _res, next) => {
      (req as unknown as { user: { uid: string } }).user = { uid: 'u' };
      next();
    });
    app.use(rateLimitPerUser({ perMinute: 60, burst: 2, now: () => now }));
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
    }
  });
});
