import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import type { ChildProcess } from 'node:child_process';
import { CreateMultipartUploadCommand, ListMultipartUploadsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { API_PROCESS_ENV, startServiceProcess, stopServiceProcesses } from '../../bench/serviceProcess';
import { freePort } from '../../scripts/devstack/ports';
import { createStorageSweepActivities } from '../../src/activities/sweepStorage';
import { bucketLifecycleState } from '../../src/provisioning/bucketLifecycle';
import { testConfig } from '../harness/stackEnv';
import { testStorage } from '../harness/storage';
import { createTestUser } from '../harness/users';

const MiB = 1024 * 1024;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A JPEG of noise, which compresses badly: a big file of few pixels. */
const noiseJpeg = (width: number, height: number) =>
  sharp({
    create: { width, height, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 60 } },
  })
    .jpeg({ quality: 100 })
    .toBuffer();

/** The process's resident memory after a full garbage collection: what it holds, not garbage it has not collected. */
async function heldMb(pid: number): Promise<number> {
  process.kill(pid, 'SIGUSR2');
  await sleep(500);
  return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
}

interface Sent {
  status?: number;
  /** Bytes the client had written when the answer (or the end of the connection) came. */
  written: number;
}

/**
 * Sends one multipart upload by hand, as a careless client does: the part's header, then `body` a chunk at a time;
 * `dropAfter` bytes in, it goes away without a word. Resolves when the server answers or the connection ends.
 */
function sendUpload(url: string, token: string, body: Buffer, options: { dropAfter?: number; filename?: string } = {}) {
  const boundary = `----imagepipe${crypto.randomBytes(8).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${options.filename ?? 'big.jpg'}"\r\n` +
      'Content-Type: image/jpeg\r\n\r\n',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return new Promise<Sent>((resolve) => {
    const sent: Sent = { written: 0 };
    const request = http.request(`${url}/api/v1/images`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(head.length + body.length + tail.length),
      },
    });
    let finished = false;
    const finish = () => {
      if (!finished) resolve(sent);
      finished = true;
    };
    request.on('response', (response) => {
      sent.status = response.statusCode;
      response.resume();
      response.on('end', finish);
    });
    request.on('error', finish);
    request.on('close', finish);
    const write = async () => {
      request.write(head);
      const end = options.dropAfter ?? body.length;
      for (let offset = 0; offset < end && !finished && sent.status === undefined; offset += 256 * 1024) {
        const chunk = body.subarray(offset, Math.min(end, offset + 256 * 1024));
        sent.written += chunk.length;
        if (!request.write(chunk)) await new Promise((drained) => request.once('drain', drained));
      }
      if (options.dropAfter !== undefined) {
        await sleep(300); // the server is storing what it got
        request.destroy();
      } else if (sent.status === undefined) {
        request.end(tail);
      }
    };
    write().catch(finish);
  });
}

/**
 * The upload edge as a careless client meets it: uploads dropped half-way, a huge file that is no image, storage
 * that must stay clean. The API runs as its own process (as in production), so its memory is its own.
 */
describe('the upload edge', () => {
  const config = testConfig();
  const storage = testStorage(config);
  let api: ChildProcess;
  let url: string;

  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    api = await startServiceProcess(
      'src/api/main.ts',
      {
        ...process.env,
        API_PORT: String(port),
        LOG_LEVEL: 'info',
        RATE_LIMIT_PER_MINUTE: '0',
        // The same bytes are sent again and again: each a whole upload, as this edge is measured.
        DUPLICATES: 'allow',
        ...API_PROCESS_ENV,
        NODE_OPTIONS: `--expose-gc --require ${path.join(__dirname, '..', 'harness', 'gcOnSignal.cjs')}`,
      },
      'listening',
    );
  }, 60_000);
  afterAll(async () => {
    await stopServiceProcesses(api);
    storage.destroy();
  });

  const underUser = async (prefix: string, command: 'uploads' | 'objects') => {
    const { s3 } = storage.clients;
    if (command === 'uploads') {
      return (
        (await s3.send(new ListMultipartUploadsCommand({ Bucket: config.s3.bucket, Prefix: prefix }))).Uploads ?? []
      );
    }
    return (await s3.send(new ListObjectsV2Command({ Bucket: config.s3.bucket, Prefix: prefix }))).Contents ?? [];
  };
  const inFlight = async () => {
    const metrics = await (await fetch(`${url}/metrics`)).text();
    return Number(/^imagepipe_http_requests_in_flight (\d+)/m.exec(metrics)![1]);
  };

  it('leaves nothing behind of 20 uploads dropped half-way: no part, no object, no request, no memory', async () => {
    const user = await createTestUser(config);
    const prefix = `users/${user.uid}/`;
    const [small, big] = [await noiseJpeg(1600, 1200), await noiseJpeg(2800, 2400)];
    expect(small.length).toBeLessThan(5 * MiB);
    expect(big.length).toBeGreaterThan(7 * MiB);
    // Warm up: whole uploads and a dropped one of each size, so the baseline already holds what serving them needs
    // once (code compiled, clients' pools filled): what grows after is what the drops keep.
    for (let i = 0; i < 2; i++) expect((await sendUpload(url, user.idToken, big)).status).toBe(202);
    await sendUpload(url, user.idToken, small, { dropAfter: Math.floor(small.length / 2) });
    await sendUpload(url, user.idToken, big, { dropAfter: 6 * MiB });
    await sleep(2_000);
    const baseline = await heldMb(api.pid!);
    const stored = (await underUser(prefix, 'objects')).length;

    const drops = Array.from({ length: 20 }, (_, i) =>
      i % 2 === 0 ? { body: small, dropAfter: Math.floor(small.length / 2) } : { body: big, dropAfter: 6 * MiB },
    );
    for (let start = 0; start < drops.length; start += 4) {
      const batch = drops
        .slice(start, start + 4)
        .map(({ body, dropAfter }) => sendUpload(url, user.idToken, body, { dropAfter }));
      for (const sent of await Promise.all(batch)) expect(sent.status).toBeUndefined();
    }

    // Every dropped upload is aborted and removed at once, not left for a lifecycle rule a day later.
    let uploads = await underUser(prefix, 'uploads');
    for (let i = 0; i < 50 && uploads.length > 0; i++) {
      await sleep(200);
      uploads = await underUser(prefix, 'uploads');
    }
    expect(uploads).toEqual([]);
    expect(await underUser(prefix, 'objects')).toHaveLength(stored);
    // Only this /metrics request, once each dropped request has been cleaned up (on a busy machine, a moment later).
    let requests = await inFlight();
    for (let i = 0; i < 50 && requests > 1; i++) {
      await sleep(200);
      requests = await inFlight();
    }
    expect(requests).toBe(1);
    const rss = await heldMb(api.pid!);
    process.stdout.write(`API RSS: ${baseline.toFixed(0)} MB before 20 dropped uploads, ${rss.toFixed(0)} MB after\n`);
    expect(rss).toBeLessThan(baseline + 20);
  }, 120_000);

  it('reads no file past the size limit, even one refused from its first bytes', async () => {
    const user = await createTestUser(config);
    const notAnImage = Buffer.concat([
      Buffer.from('GIF? no: plain text, then a great deal more '),
      Buffer.alloc(40 * MiB, 0x20),
    ]);
    const began = Date.now();
    const sent = await sendUpload(url, user.idToken, notAnImage, { filename: 'huge.jpg' });
    expect(sent.status).toBe(413);
    // Answered at the limit (10 MiB), give or take the socket's buffers, not after 40 MiB.
    expect(sent.written).toBeLessThan(config.uploads.maxBytes + 6 * MiB);
    expect(Date.now() - began).toBeLessThan(15_000);
    expect(await underUser(`users/${user.uid}/`, 'objects')).toEqual([]);
  }, 60_000);

  it('sweeps multipart uploads left incomplete long ago, on any S3', async () => {
    const key = `users/user-${crypto.randomUUID()}/images/${crypto.randomUUID()}/original`;
    await storage.clients.s3.send(new CreateMultipartUploadCommand({ Bucket: config.s3.bucket, Key: key }));
    const sweep = (hoursLater: number) =>
      createStorageSweepActivities({
        objects: storage.objects,
        now: () => new Date(Date.now() + hoursLater * 3_600_000),
      });
    expect(await sweep(0).abortStaleUploads({ olderThanHours: 6 })).toEqual({ aborted: 0 }); // still in progress
    expect(await sweep(7).abortStaleUploads({ olderThanHours: 6 })).toMatchObject({ aborted: expect.any(Number) });
    expect(await underUser(key, 'uploads')).toEqual([]);
  });

  it('knows whether the bucket aborts incomplete uploads itself (versitygw keeps no lifecycle rules)', async () => {
    expect(await bucketLifecycleState(storage.clients.s3, config.s3.bucket)).toBe('unsupported');
  });
});
