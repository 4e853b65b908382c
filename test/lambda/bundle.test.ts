import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { buildLambda } from '../../scripts/buildLambda';
import { httpEventV2, type HttpCall } from '../harness/lambdaEvents';

/** Loads the bundle's index.js in a Node process of its own, as Lambda does, and answers each event in turn. */
function invokeBundle(dir: string, calls: HttpCall[], env: Record<string, string | undefined>) {
  const events = calls.map((call) => httpEventV2(call));
  const script = `
    const { handler } = require(${JSON.stringify(path.join(dir, 'index.js'))});
    (async () => {
      const answers = [];
      for (const event of ${JSON.stringify(events)}) answers.push(await handler(event, {}));
      process.stdout.write(JSON.stringify(answers));
      process.exit(0);
    })();`;
  return new Promise<{
    answers: Array<{ statusCode: number; headers: Record<string, string>; body: string }>;
    stderr: string;
  }>((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], { cwd: dir, env: { ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve({ answers: JSON.parse(stdout), stderr }) : reject(new Error(`exit ${code}: ${stderr}`)),
    );
  });
}

describe('the Lambda bundle (npm run build:lambda)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imagepipe-lambda-'));
  const lambdaEnv = { ...process.env, AWS_LAMBDA_FUNCTION_NAME: 'imagepipe-api', LOG_LEVEL: 'silent' };
  let entries: string[];

  beforeAll(async () => {
    const { zip } = await buildLambda(path.join(dir, 'imagepipe-api.zip'));
    const files = unzipSync(fs.readFileSync(zip));
    entries = Object.keys(files);
    for (const [name, content] of Object.entries(files)) {
      if (name.endsWith('/')) continue;
      fs.mkdirSync(path.join(dir, path.dirname(name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), content);
    }
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('holds the minified API with its source map, the gallery and the docs assets, and no native module', () => {
    expect(entries).toEqual(
      expect.arrayContaining([
        'index.js',
        'index.js.map',
        'public/index.html',
        'node_modules/swagger-ui-dist/swagger-ui-bundle.js',
      ]),
    );
    expect(entries.filter((name) => name.endsWith('.node'))).toEqual([]);
  });

  it('answers from the bundle as the API does: readiness, a problem, the docs and the gallery', async () => {
    const { answers } = await invokeBundle(
      dir,
      [
        { method: 'GET', url: '/readyz' },
        { method: 'GET', url: '/api/v1/images' },
        { method: 'GET', url: '/docs/' },
        { method: 'GET', url: '/' },
      ],
      lambdaEnv,
    );
    expect(answers.map((answer) => answer.statusCode)).toEqual([200, 401, 200, 200]);
    expect(answers[1]!.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(answers[3]!.body).toContain('<html');
  });

  it('answers 503 while it cannot start, and says why in its log', async () => {
    const { answers, stderr } = await invokeBundle(dir, [{ method: 'GET', url: '/healthz' }], {
      ...lambdaEnv,
      IMAGE_URL_MODE: 'proxy',
    });
    expect(answers[0]!.statusCode).toBe(503);
    expect(answers[0]!.headers['content-type']).toBe('application/problem+json');
    expect(stderr).toMatch(/api failed to start: .*\n.*IMAGE_URL_MODE: proxy/);
  });
});
