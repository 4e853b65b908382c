/**
 * bench/upload-memory: streams one large file (default 1 GiB) through POST /api/v1/images of a real API process
 * into S3 on the local stack, and prints the API's peak RSS growth. Target: < 64 MB.
 *   npx tsx bench/uploadMemory.ts [megabytes=1024]
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { loadConfig } from '../src/config';
import { freePort } from '../scripts/devstack/ports';
import { PNG_END, pngHeader } from '../test/fixtures/images';
import { createTestUser } from '../test/harness/users';
import { withBenchStack } from './benchStack';
import { API_PROCESS_ENV } from './serviceProcess';

const MEGABYTES = Number(process.argv[2] ?? 1024);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function rssKb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]);
}

withBenchStack(async (env) => {
  const port = await freePort();
  const apiEnv = {
    ...process.env,
    ...env,
    ...API_PROCESS_ENV,
    API_PORT: String(port),
    LOG_LEVEL: 'warn',
    UPLOAD_MAX_BYTES: String((MEGABYTES + 10) * 1024 * 1024),
  };
  const api = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '..', 'src', 'api', 'main.ts')], {
    env: apiEnv,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  try {
    for (let tries = 0; tries < 100; tries++) {
      if (
        await fetch(`http://127.0.0.1:${port}/healthz`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      await sleep(200);
    }
    const user = await createTestUser(loadConfig(env));
    // Warm the upload path once, so lazily loaded code counts in the baseline, not in the growth.
    const warm = await fetch(`http://127.0.0.1:${port}/api/v1/images`, {
      method: 'POST',
      headers: { authorization: `Bearer ${user.idToken}` },
      body: (() => {
        const form = new FormData();
        form.append('files', new Blob([pngHeader(1000, 1000, 64 * 1024, true)]), 'warm.png');
        return form;
      })(),
    });
    if (warm.status !== 202) throw new Error(`warm-up upload answered ${warm.status}`);
    await sleep(500);
    const baseline = rssKb(api.pid!);

    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssKb(api.pid!));
    }, 25);
    const boundary = 'imagepipe-bench-boundary';
    const began = performance.now();
    const status = await new Promise<number>((resolve, reject) => {
      const request = http.request({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/api/v1/images',
        headers: {
          authorization: `Bearer ${user.idToken}`,
          'content-type': `multipart/form-data; boundary=${boundary}`,
        },
      });
      request.on('response', (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on('error', reject);
      request.write(
        `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="huge.png"\r\nContent-Type: image/png\r\n\r\n`,
      );
      request.write(pngHeader(1000, 1000, 0));
      const chunk = Buffer.alloc(1024 * 1024);
      let sent = 0;
      const pump = () => {
        while (sent < MEGABYTES) {
          sent++;
          if (!request.write(chunk)) return void request.once('drain', pump);
        }
        request.write(PNG_END);
        request.end(`\r\n--${boundary}--\r\n`);
      };
      pump();
    });
    const seconds = (performance.now() - began) / 1000;
    clearInterval(sampler);
    console.log(
      `bench/upload-memory: ${MEGABYTES} MiB streamed to S3 through the API in ${seconds.toFixed(1)} s (${(MEGABYTES / seconds).toFixed(0)} MiB/s), answer ${status}`,
    );
    console.log(
      `API RSS: baseline ${(baseline / 1024).toFixed(1)} MB, peak ${(peak / 1024).toFixed(1)} MB, growth ${((peak - baseline) / 1024).toFixed(1)} MB (target < 64 MB)`,
    );
    if (status !== 202) throw new Error(`upload answered ${status}`);
  } finally {
    api.kill('SIGTERM');
  }
}).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
