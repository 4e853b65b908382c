/**
 * `npm run image:check`: the container image's application folder, made without Docker as the Dockerfile's runtime
 * stage makes it, then run against the local stack (`npm run stack -- up` first) as the image runs it: no Docker
 * engine runs here, so this is how the image's contents are tried.
 *
 *   package.json and package-lock.json, `npm ci --omit=dev` (runtime dependencies only, install scripts run)
 *   dist/ (the TypeScript build) and public/
 *
 * It starts `node dist/workers/main.js` and `node dist/api/main.js` from that folder (on a task queue and port of
 * their own), waits for the worker's metrics endpoint and the API's /readyz (the image's health checks), signs a
 * user up on the Auth emulator, uploads a photo and waits until it is completed. A package the code needs at run
 * time but declares only for development fails it here. What it does not check: the base image, the platform's
 * native builds (it installs for this machine's), the non-root user, NODE_ENV=production (which refuses the local
 * stack's Auth emulator).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseEnv } from 'dotenv';
import sharp from 'sharp';
import { freePort } from './devstack/ports';
import { envFileOf } from './devstack/stack';
import { resolveSettings } from './devstack/settings';

const ROOT = path.resolve(__dirname, '..');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, attempt: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(500)) {
    const value = await attempt().catch(() => undefined);
    if (value !== undefined) return value;
  }
  throw new Error(`image:check: ${what} did not happen within ${timeoutMs / 1000} s`);
}

/** The Dockerfile's runtime stage, in a folder. */
function assemble(app: string): void {
  for (const file of ['package.json', 'package-lock.json'])
    fs.copyFileSync(path.join(ROOT, file), path.join(app, file));
  execFileSync('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund'], { cwd: app, stdio: 'inherit' });
  execFileSync(
    path.join(ROOT, 'node_modules/.bin/tsc'),
    ['-p', 'tsconfig.build.json', '--outDir', path.join(app, 'dist')],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  );
  fs.cpSync(path.join(ROOT, 'public'), path.join(app, 'public'), { recursive: true });
}

function run(app: string, entry: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, [entry], { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const name = path.basename(path.dirname(entry));
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`[${name}] ${chunk.toString()}`));
  child.once('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGTERM') process.stderr.write(`[${name}] exited: ${code ?? signal}\n`);
  });
  return child;
}

async function main(): Promise<void> {
  const settings = await resolveSettings();
  const envFile = envFileOf(settings);
  if (!fs.existsSync(envFile)) throw new Error(`No ${envFile}: start the stack first (npm run stack -- up)`);
  const stackEnv = parseEnv(fs.readFileSync(envFile));
  const app = fs.mkdtempSync(path.join(os.tmpdir(), 'imagepipe-image-'));
  const children: ChildProcess[] = [];
  try {
    const began = Date.now();
    assemble(app);
    console.log(`image:check: application folder made in ${((Date.now() - began) / 1000).toFixed(0)} s (${app})`);
    const [apiPort, metricsPort] = [await freePort(), await freePort()];
    const env = {
      ...process.env,
      ...stackEnv,
      // Not production, as the image sets: the local stack's Auth emulator is refused there, rightly.
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      TEMPORAL_TASK_QUEUE: `image-check-${crypto.randomUUID()}`,
      API_PORT: String(apiPort),
      WORKER_METRICS_ADDRESS: `127.0.0.1:${metricsPort}`,
    };
    children.push(run(app, 'dist/workers/main.js', env), run(app, 'dist/api/main.js', env));
    const api = `http://127.0.0.1:${apiPort}`;
    await until(
      'the worker metrics endpoint',
      async () => (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).ok || undefined,
    );
    await until('the API ready', async () => (await fetch(`${api}/readyz`)).ok || undefined);
    console.log('image:check: the worker answers on its metrics endpoint, the API /readyz: 200');

    const signUp = await fetch(
      `http://${stackEnv.FIREBASE_AUTH_EMULATOR_HOST}/identitytoolkit.googleapis.com/v1/accounts:signUp?key=local`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          email: `image-check-${crypto.randomUUID()}@example.com`,
          password: 'image-check-1',
          returnSecureToken: true,
        }),
      },
    );
    const { idToken } = (await signUp.json()) as { idToken: string };
    const photo = await sharp({
      create: { width: 640, height: 480, channels: 3, background: { r: 30, g: 120, b: 200 } },
    })
      .jpeg()
      .toBuffer();
    const form = new FormData();
    form.append('file', new Blob([photo], { type: 'image/jpeg' }), 'check.jpg');
    const uploaded = await fetch(`${api}/api/v1/images`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${idToken}` },
      body: form,
    });
    if (uploaded.status !== 202)
      throw new Error(`image:check: upload answered ${uploaded.status}: ${await uploaded.text()}`);
    const imageId = ((await uploaded.json()) as { images: Array<{ image_id: string }> }).images[0]!.image_id;
    const status = await until('the upload completed', async () => {
      const image = (await (
        await fetch(`${api}/api/v1/images/${imageId}`, { headers: { Authorization: `Bearer ${idToken}` } })
      ).json()) as { status: string };
      return image.status === 'processing' ? undefined : image.status;
    });
    if (status !== 'completed') throw new Error(`image:check: the upload ended ${status}`);
    console.log(`image:check: an upload through the image's API was completed by its worker (${imageId})`);
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await sleep(1_000);
    fs.rmSync(app, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
