import type http from 'node:http';
import { postWebhook, WEBHOOK_EXCERPT_BYTES } from '../../src/webhooks/postWebhook';
import { startRecordingServer, type RecordingServer } from '../harness/recordingServer';

const LOOPBACK = { insecureHosts: ['127.0.0.1'] };

/**
 * What postWebhook takes of a receiver's answer (issue 29, item 3): its status, whatever it is (a redirect is not
 * followed), and the first 512 bytes of its body, without reading the rest. Real HTTP servers on loopback, which the
 * policy allows.
 */
describe("postWebhook's answers", () => {
  const receivers: RecordingServer[] = [];
  const receiver = async (answer: (res: http.ServerResponse) => void) => {
    const started = await startRecordingServer(answer);
    receivers.push(started);
    return started;
  };
  const post = (url: string, timeoutMs = 5000) => postWebhook(new URL(url), '{}', {}, LOOPBACK, { timeoutMs });

  afterAll(() => Promise.all(receivers.map((started) => started.close())));

  it('answers a redirect with its status and never requests its Location', async () => {
    const redirecting = await receiver((res) => res.writeHead(302, { location: '/elsewhere' }).end('moved'));
    expect(await post(`${redirecting.url}/hook`)).toEqual({
      kind: 'answered',
      status: 302,
      latencyMs: expect.any(Number),
      excerpt: 'moved',
    });
    expect(redirecting.requests.map(({ method, url }) => `${method} ${url}`)).toEqual(['POST /hook']);
    expect(redirecting.connections()).toBe(1);
  });

  it('answers any status as the receiver gave it, with its body', async () => {
    for (const status of [200, 410, 500]) {
      const answering = await receiver((res) => res.writeHead(status).end(`status ${status}`));
      expect(await post(answering.url)).toMatchObject({ kind: 'answered', status, excerpt: `status ${status}` });
    }
  });

  it('keeps the first 512 bytes of an endless body, and hangs up instead of reading on', async () => {
    let hungUp!: () => void;
    const receiverSawTheEnd = new Promise<void>((resolve) => (hungUp = resolve));
    const endless = await receiver((res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(64 * 1024, 'x');
      const write = () => {
        while (!res.destroyed && res.write(chunk));
      };
      res.on('drain', write);
      res.on('close', hungUp);
      write();
    });
    const started = performance.now();
    expect(await post(endless.url, 30_000)).toEqual({
      kind: 'answered',
      status: 200,
      latencyMs: expect.any(Number),
      excerpt: 'x'.repeat(WEBHOOK_EXCERPT_BYTES),
    });
    // Done with the excerpt, not at the timeout (a bound, not a measurement: it takes milliseconds).
    expect(performance.now() - started).toBeLessThan(10_000);
    await receiverSawTheEnd;
  });

  it('cuts the excerpt before a character the 512th byte would split', async () => {
    const euros = await receiver((res) => res.writeHead(200).end('€'.repeat(1000)));
    // € is 3 bytes in UTF-8: 170 of them fill 510 bytes, the 171st would end at byte 513.
    expect(await post(euros.url)).toMatchObject({ excerpt: '€'.repeat(170) });
  });

  it('keeps the status of a receiver that hangs up, or stalls, half-way through its body', async () => {
    const hangingUp = await receiver((res) => {
      res.writeHead(200, { 'content-length': '1000' });
      res.write('the start', () => res.destroy());
    });
    expect(await post(hangingUp.url)).toMatchObject({ kind: 'answered', status: 200, excerpt: 'the start' });
    const stalling = await receiver((res) => {
      res.writeHead(202, { 'content-length': '1000' });
      res.write('the start');
    });
    expect(await post(stalling.url, 500)).toMatchObject({ kind: 'answered', status: 202, excerpt: 'the start' });
  });
});
