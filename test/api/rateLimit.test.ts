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
