import { postWebhook } from '../../src/webhooks/postWebhook';
import type { WebhookNetworkPolicy } from '../../src/webhooks/webhookNetworkPolicy';
import { startRecordingServer, type RecordingServer } from '../harness/recordingServer';

const NONE: WebhookNetworkPolicy = { insecureHosts: [] };

/**
 * Where postWebhook connects (issue 29, item 3): never to a private, loopback, link-local or metadata address, checked
 * on the address a name resolves to, unless the operator allows that very host. The receiver is a real HTTP server on
 * loopback; `localhost` reaches it through /etc/hosts, so its refusal is made after DNS resolution.
 */
describe('where postWebhook connects', () => {
  let receiver: RecordingServer;
  let port: string;

  const post = (url: string, policy: WebhookNetworkPolicy) =>
    postWebhook(new URL(url), '{"type":"image.completed"}', { 'webhook-id': 'msg_1' }, policy, { timeoutMs: 5000 });

  beforeAll(async () => {
    receiver = await startRecordingServer((res) => res.writeHead(204).end());
    port = new URL(receiver.url).port;
  });
  afterAll(() => receiver.close());

  it('refuses a name that resolves to loopback, after resolving it, over http and https alike', async () => {
    expect(await post(`http://localhost:${port}/hook`, NONE)).toEqual({
      kind: 'unreachable',
      reason: 'refused: localhost resolves to 127.0.0.1, a loopback address',
      latencyMs: expect.any(Number),
    });
    expect(await post(`https://localhost:${port}/hook`, NONE)).toMatchObject({
      reason: 'refused: localhost resolves to 127.0.0.1, a loopback address',
    });
    expect(receiver.connections()).toBe(0);
  });

  it('refuses loopback, metadata and unspecified addresses given as the host, before connecting', async () => {
    for (const [url, reason] of [
      [`http://127.0.0.1:${port}/hook`, 'refused: 127.0.0.1 is a loopback address'],
      [`https://127.0.0.1:${port}/hook`, 'refused: 127.0.0.1 is a loopback address'],
      [`http://[::ffff:127.0.0.1]:${port}/hook`, 'refused: ::ffff:7f00:1 is a loopback address'],
      ['http://169.254.169.254/latest/meta-data/', 'refused: 169.254.169.254 is the cloud metadata address'],
      [`http://0.0.0.0:${port}/hook`, 'refused: 0.0.0.0 is the unspecified address (this machine)'],
    ]) {
      expect([url, await post(url!, NONE)]).toEqual([
        url,
        { kind: 'unreachable', reason, latencyMs: expect.any(Number) },
      ]);
    }
    expect(receiver.connections()).toBe(0);
  });

  it('delivers to the host the operator allows, by name or address, and to no other', async () => {
    expect(await post(`http://localhost:${port}/by-name`, { insecureHosts: ['localhost'] })).toEqual({
      kind: 'answered',
      status: 204,
      latencyMs: expect.any(Number),
      excerpt: '',
    });
    expect(await post(`http://127.0.0.1:${port}/by-address`, { insecureHosts: ['127.0.0.1'] })).toMatchObject({
      kind: 'answered',
      status: 204,
    });
    // Allowing the name allows no address written out, and the reverse.
    expect(await post(`http://127.0.0.1:${port}/not`, { insecureHosts: ['localhost'] })).toMatchObject({
      reason: 'refused: 127.0.0.1 is a loopback address',
    });
    expect(await post(`http://localhost:${port}/not`, { insecureHosts: ['127.0.0.1'] })).toMatchObject({
      reason: 'refused: localhost resolves to 127.0.0.1, a loopback address',
    });
    expect(receiver.requests.map(({ method, url, body }) => ({ method, url, body }))).toEqual([
      { method: 'POST', url: '/by-name', body: '{"type":"image.completed"}' },
      { method: 'POST', url: '/by-address', body: '{"type":"image.completed"}' },
    ]);
    expect(receiver.requests[0]!.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': expect.stringMatching(/^imagepipe/),
      'webhook-id': 'msg_1',
      'content-length': '26',
      connection: 'close',
    });
  });

  it('refuses the metadata and unspecified addresses even to a host the operator allows', async () => {
    const policy = { insecureHosts: ['169.254.169.254', '0.0.0.0'] };
    expect(await post('http://169.254.169.254/latest/meta-data/', policy)).toMatchObject({
      reason: 'refused: 169.254.169.254 is the cloud metadata address',
    });
    expect(await post(`http://0.0.0.0:${port}/hook`, policy)).toMatchObject({
      reason: 'refused: 0.0.0.0 is the unspecified address (this machine)',
    });
  });
});
