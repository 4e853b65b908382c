import crypto from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { startServiceProcess, stopServiceProcesses } from '../../bench/serviceProcess';
import { freePort } from '../../scripts/devstack/ports';
import { freshClientAddress } from '../harness/clientAddress';
import { testConfig } from '../harness/stackEnv';
import { createTestUser } from '../harness/users';

const BURST = 100;
// The most a process takes in one write at this burst (a tenth of it): what it may hold unspent when a burst ends.
const BATCH = 10;
const SIGN_IN_BURST = 3;

/**
 * Two API processes, as production runs them behind a load balancer, against the stack's one DynamoDB: a client's
 * requests spread over both draw on one shared limit, not one each.
 */
describe('rate limits across API processes', () => {
  const apis: ChildProcess[] = [];
  const urls: string[] = [];

  beforeAll(async () => {
    const ports = await Promise.all([freePort(), freePort()]);
    for (const port of ports) urls.push(`http://127.0.0.1:${port}`);
    const env = (port: number) => ({
      ...process.env,
      API_PORT: String(port),
      LOG_LEVEL: 'info',
      // A token a minute: nothing refills while the test runs, so what passes is the burst alone.
      RATE_LIMIT_PER_MINUTE: '1',
      RATE_LIMIT_BURST: String(BURST),
      SIGN_IN_RATE_LIMIT_PER_MINUTE: '1',
      SIGN_IN_RATE_LIMIT_BURST: String(SIGN_IN_BURST),
    });
    apis.push(
      ...(await Promise.all(ports.map((port) => startServiceProcess('src/api/main.ts', env(port), 'listening')))),
    );
  }, 120_000);
  afterAll(() => stopServiceProcesses(...apis));

  it('lets a burst split between them pass as one burst, within what each may hold unspent', async () => {
    const user = await createTestUser(testConfig());
    const began = Date.now();
    const statuses: number[][] = [[], []];
    // Four clients at once, each request to the next process in turn: 200 requests for a burst of 100.
    let next = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < 2 * BURST) {
          const target = next++ % 2;
          const response = await fetch(`${urls[target]}/api/v1/images?limit=1`, {
            headers: { authorization: `Bearer ${user.idToken}` },
          });
          await response.body?.cancel();
          statuses[target]!.push(response.status);
        }
      }),
    );
    const all = statuses.flat();
    const allowed = all.filter((status) => status === 200).length;
    expect(all.filter((status) => status !== 200 && status !== 429)).toEqual([]);
    // A token a minute may come back meanwhile; tokens a process took but did not spend are lost, never gained.
    const refilled = Math.floor((Date.now() - began) / 60_000);
    expect(allowed).toBeLessThanOrEqual(BURST + refilled);
    expect(allowed).toBeGreaterThanOrEqual(BURST - 2 * (BATCH - 1));
    // Each process let some through and refused the rest: neither had a burst of its own.
    for (const own of statuses) expect([own.includes(200), own.includes(429)]).toEqual([true, true]);
  });

  it('counts sign-in attempts from one address together, one write each', async () => {
    const address = freshClientAddress();
    const answers = [];
    for (let attempt = 0; attempt < 2 * SIGN_IN_BURST; attempt++) {
      const response = await fetch(`${urls[attempt % 2]}/api/v1/auth/token`, {
        method: 'POST',
        // Trusted from the tests' client on loopback (API_TRUST_PROXY's default): the client's address.
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': address },
        body: new URLSearchParams({ username: `nobody-${crypto.randomUUID()}@example.test`, password: 'a guess' }),
      });
      await response.body?.cancel();
      answers.push(response.status);
    }
    expect(answers).toEqual([401, 401, 401, 429, 429, 429]);
  });
});
