import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { freePort } from '../../scripts/devstack/ports';
import { STACK_DIR_VARIABLE } from '../harness/stackEnv';

const ROOT = path.resolve(__dirname, '..', '..');
const TSX = pathToFileURL(require.resolve('tsx')).href;

/** `npm run lambda:local`: the package served as a function URL on the test stack, driven over HTTP. */
describe('lambda:local', () => {
  let child: ChildProcess;
  let base: string;

  beforeAll(async () => {
    const port = await freePort();
    const stackDir = process.env[STACK_DIR_VARIABLE] ?? path.dirname(process.env.IMAGEPIPE_TEST_STACK_ENV ?? '');
    child = spawn(process.execPath, ['--import', TSX, path.join(ROOT, 'scripts', 'lambdaLocal.ts'), String(port)], {
      cwd: ROOT,
      env: { ...process.env, STACK_DIR: stackDir, LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('served as a function URL')) resolve();
      });
      child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('exit', (code) => reject(new Error(`lambda:local exited ${code}: ${output}`)));
    });
    base = `http://127.0.0.1:${port}`;
  }, 60_000);
  afterAll(() => {
    child.kill();
  });

  it('answers through the handler: readiness, and a problem naming the request', async () => {
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    const refused = await fetch(`${base}/api/v1/images`, { headers: { 'x-request-id': 'local-1' } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(refused.headers.get('x-request-id')).toBe('local-1');
  });

  it('refuses a request over 6 MB itself, as AWS does, before the function sees it', async () => {
    const answer = await fetch(`${base}/api/v1/images`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: crypto.randomBytes(6 * 1024 * 1024 + 1),
    });
    expect(answer.status).toBe(413);
    expect(await answer.json()).toEqual({ Message: 'Request Entity Too Large' });
  });
});
