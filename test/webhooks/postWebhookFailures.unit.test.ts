import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { postWebhook } from '../../src/webhooks/postWebhook';
import { startRecordingServer } from '../harness/recordingServer';

const LOCAL = { insecureHosts: ['localhost', '127.0.0.1'] };

const post = (url: string, timeoutMs = 5000, policy = LOCAL) =>
  postWebhook(new URL(url), '{}', {}, policy, { timeoutMs });

/** Listens on loopback; `close` drops the connections it accepted, then stops listening. */
async function listen(server: net.Server): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (socket: net.Socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((done) => server.close(done));
    },
  };
}

/**
 * How postWebhook reports an attempt that got no answer (issue 29, item 3): `unreachable`, with one line for the
 * delivery log saying what failed, never an exception. Each failure is made for real on loopback: a port nobody
 * listens on, a receiver that never answers, TLS that does not hold; DNS failure asks the machine's resolver for a
 * name under .invalid, which never exists (RFC 6761).
 */
describe('postWebhook when no answer comes', () => {
  it('reports a closed port as connection refused', async () => {
    const closed = await listen(net.createServer());
    await closed.close();
    expect(await post(`http://127.0.0.1:${closed.port}/hook`)).toEqual({
      kind: 'unreachable',
      reason: `connection refused by 127.0.0.1:${closed.port}`,
      latencyMs: expect.any(Number),
    });
    expect(await post(`http://localhost:${closed.port}/hook`)).toMatchObject({
      reason: `connection refused by localhost:${closed.port}`,
    });
  });

  it('gives up on a receiver that never answers once the timeout is over, and says so', async () => {
    const silent = await startRecordingServer(() => {});
    try {
      const started = performance.now();
      const result = await post(`${silent.url}/hook`, 300);
      expect(result).toEqual({
        kind: 'unreachable',
        reason: 'no answer within 300 ms (timed out waiting for the answer)',
        latencyMs: expect.any(Number),
      });
      // Loose bounds: the attempt ends at its timeout, not at jest's.
      expect(result.latencyMs).toBeGreaterThanOrEqual(299);
      expect(performance.now() - started).toBeLessThan(3000);
      expect(silent.requests).toHaveLength(1);
    } finally {
      await silent.close();
    }
  });

  it('counts the TLS handshake in the timeout', async () => {
    const mute = await listen(net.createServer());
    try {
      expect(await post(`https://localhost:${mute.port}/hook`, 300)).toMatchObject({
        kind: 'unreachable',
        reason: 'no answer within 300 ms (timed out during the TLS handshake)',
      });
    } finally {
      await mute.close();
    }
  });

  it('reports a certificate it cannot trust, and a receiver that does not speak TLS, as TLS failures', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imagepipe-webhook-tls-'));
    try {
      // A certificate for localhost that nothing trusts.
      const subject = ['-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost'];
      const files = ['-keyout', 'key.pem', '-out', 'cert.pem'];
      const key = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1'];
      execFileSync('openssl', ['req', '-x509', ...key, ...subject, ...files], { cwd: dir, stdio: 'pipe' });
      const selfSigned = await listen(
        https.createServer(
          { key: fs.readFileSync(path.join(dir, 'key.pem')), cert: fs.readFileSync(path.join(dir, 'cert.pem')) },
          (_req, res) => res.end(),
        ),
      );
      try {
        expect(await post(`https://localhost:${selfSigned.port}/hook`)).toMatchObject({
          kind: 'unreachable',
          reason:
            `TLS handshake with localhost:${selfSigned.port} failed: ` +
            'self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)',
        });
      } finally {
        await selfSigned.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const plain = await startRecordingServer();
    try {
      expect(await post(`${plain.url.replace('http:', 'https:')}/hook`)).toMatchObject({
        kind: 'unreachable',
        reason: expect.stringMatching(/^TLS handshake with 127\.0\.0\.1:\d+ failed: wrong version number/),
      });
    } finally {
      await plain.close();
    }
  });

  it('reports a receiver that hangs up before answering', async () => {
    const hangingUp = await startRecordingServer((res) => res.socket?.destroy());
    try {
      expect(await post(`${hangingUp.url}/hook`)).toMatchObject({
        kind: 'unreachable',
        reason: `socket hang up (ECONNRESET), waiting for the answer from ${new URL(hangingUp.url).host}`,
      });
    } finally {
      await hangingUp.close();
    }
  });

  it('reports a name that does not resolve as a DNS failure', async () => {
    // The resolver's own time to give up is bounded by glibc (5 s, twice), well within this timeout.
    expect(await post('https://webhook-test.invalid/hook', 20_000, { insecureHosts: [] })).toMatchObject({
      kind: 'unreachable',
      reason: expect.stringMatching(/^DNS lookup of webhook-test\.invalid failed \((ENOTFOUND|EAI_\w+)\)$/),
    });
  });
});
