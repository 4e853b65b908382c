import crypto from 'node:crypto';
import http from 'node:http';
import { startApi } from '../harness/apiServer';
import { freshClientAddress } from '../harness/clientAddress';

/** A sign-in attempt at an account of its own, sent from `peer` (any 127.0.0.0/8 address is this machine's). */
function signInFrom(url: string, peer: string, forwardedFor: string): Promise<number> {
  const body = new URLSearchParams({ username: `nobody-${crypto.randomUUID()}@example.test`, password: 'a guess' });
  return new Promise((resolve, reject) => {
    const request = http.request(`${url}/api/v1/auth/token`, {
      method: 'POST',
      localAddress: peer,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': forwardedFor },
    });
    request.once('response', (response) => {
      response.resume();
      resolve(response.statusCode!);
    });
    request.once('error', reject);
    request.end(body.toString());
  });
}

/**
 * Which address a sign-in attempt is counted by (req.ip), by API_TRUST_PROXY: the client X-Forwarded-For names when
 * the peer is a trusted proxy, the peer itself otherwise. Seen through a sign-in limit of one attempt a minute: a
 * second attempt counted by the same address is refused. The peer is a loopback address of this run's own, as the
 * limit's buckets outlive a run.
 */
describe('trusted proxies (API_TRUST_PROXY)', () => {
  /** The statuses of sign-in attempts from one peer, with these X-Forwarded-For headers. */
  async function attempts(trustProxy: string, forwardedFor: string[]): Promise<number[]> {
    const api = await startApi({
      API_TRUST_PROXY: trustProxy,
      SIGN_IN_RATE_LIMIT_PER_MINUTE: '1',
      SIGN_IN_RATE_LIMIT_BURST: '1',
    });
    const peer = `127.${Array.from(crypto.randomBytes(3)).join('.')}`;
    try {
      const statuses = [];
      for (const header of forwardedFor) statuses.push(await signInFrom(api.url, peer, header));
      return statuses;
    } finally {
      await api.close();
    }
  }

  it('counts by the client a trusted proxy names (the tests reach the API from loopback, trusted by default)', async () => {
    const [first, second] = [freshClientAddress(), freshClientAddress()];
    expect(await attempts('loopback', [first, second, first])).toEqual([401, 401, 429]);
  });

  it('counts by the peer when it is not a trusted proxy, whatever X-Forwarded-For says', async () => {
    // The load balancers are elsewhere (10.0.0.0/8): this loopback peer is a client, and its header a claim.
    expect(await attempts('10.0.0.0/8', [freshClientAddress(), freshClientAddress()])).toEqual([401, 429]);
  });

  it('trusts as many hops as it is told, and no address the client wrote before them', async () => {
    const [client, other] = [freshClientAddress(), freshClientAddress()];
    // Two proxies: the peer (say a sidecar) and a load balancer before it, which appended the client's address (and
    // the sidecar the balancer's). What comes before the client is the client's own text.
    const [balancer, anotherBalancer] = [freshClientAddress(), freshClientAddress()];
    const forged = () => `${freshClientAddress()}, ${freshClientAddress()}`;
    const chains = [
      `${forged()}, ${client}, ${balancer}`,
      `${forged()}, ${client}, ${anotherBalancer}`,
      `${forged()}, ${other}, ${balancer}`,
    ];
    expect(await attempts('2', chains)).toEqual([401, 429, 401]);
  });
});
