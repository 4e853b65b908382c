import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildLambda, unpackLambda } from '../../scripts/buildLambda';
import { invokeBundle } from '../harness/lambdaBundle';

describe('the Lambda bundle (npm run build:lambda)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imagepipe-lambda-'));
  const lambdaEnv = { ...process.env, AWS_LAMBDA_FUNCTION_NAME: 'imagepipe-api', LOG_LEVEL: 'silent' };
  let entries: string[];

  beforeAll(async () => {
    const { zip } = await buildLambda(path.join(dir, 'imagepipe-api.zip'));
    entries = unpackLambda(zip, dir);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('holds the minified API with its source map, the gallery, its client and the docs assets, no native module', () => {
    expect(entries).toEqual(
      expect.arrayContaining([
        'index.js',
        'index.js.map',
        'public/index.html',
        'node_modules/swagger-ui-dist/swagger-ui-bundle.js',
        'node_modules/openapi-fetch/dist/index.mjs',
      ]),
    );
    expect(entries.filter((name) => name.endsWith('.node'))).toEqual([]);
    // The gallery's modules import one another: a file left out breaks the whole page.
    const gallery = fs.readdirSync(path.join(__dirname, '..', '..', 'public')).map((name) => `public/${name}`);
    expect(entries).toEqual(expect.arrayContaining(gallery));
  });

  it('answers from the bundle as the API does: readiness, a problem, the docs and the gallery', async () => {
    const { answers } = await invokeBundle(
      dir,
      [
        { method: 'GET', url: '/readyz' },
        { method: 'GET', url: '/api/v1/images' },
        { method: 'GET', url: '/docs/' },
        { method: 'GET', url: '/' },
        { method: 'GET', url: '/api.js' },
        { method: 'GET', url: '/openapi-fetch.mjs' },
      ],
      lambdaEnv,
    );
    expect(answers.map((answer) => answer.statusCode)).toEqual([200, 401, 200, 200, 200, 200]);
    expect(answers[1]!.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(answers[3]!.body).toContain('<html');
    // Browsers run a module only when it comes as JavaScript.
    expect(answers[4]!.headers['content-type']).toMatch(/^text\/javascript/);
    // The gallery's typed client, from the package the bundle carries.
    expect(answers[5]!.headers['content-type']).toMatch(/^text\/javascript/);
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

  it('does not start where revocations cannot be checked, and names the secret to give it', async () => {
    const { answers, stderr } = await invokeBundle(dir, [{ method: 'GET', url: '/healthz' }], {
      ...lambdaEnv,
      FIREBASE_PROJECT_ID: 'imagepipe-prod',
      FIREBASE_AUTH_EMULATOR_HOST: '',
    });
    expect(answers[0]!.statusCode).toBe(503);
    expect(stderr).toMatch(
      /api failed to start: .*\n.*FIREBASE_SERVICE_ACCOUNT_SECRET_ARN or FIREBASE_SERVICE_ACCOUNT:/,
    );
  });
});
