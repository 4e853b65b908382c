import crypto from 'node:crypto';
import pino from 'pino';
import { createApiClients, type ApiClients } from '../../src/api/apiClients';
import { createApp } from '../../src/api/app';
import { LAMBDA_MAX_REQUEST_BYTES } from '../../src/config';
import { lambdaHandlerFor, type ApiHandler } from '../../src/lambda/apiHandler';
import { createLogger } from '../../src/logging/logger';
import { gradientJpeg } from '../fixtures/images';
import { startApi, type RunningApi } from '../harness/apiServer';
import { freshClientAddress } from '../harness/clientAddress';
import {
  fetchFromServer,
  httpEventV2,
  invokeHandler,
  invokeWithEvent,
  multipartBody,
  originOf,
  type EventSource,
  type HttpAnswer,
  type HttpCall,
} from '../harness/lambdaEvents';
import { testConfig } from '../harness/stackEnv';
import { createTestUser, type TestUser } from '../harness/users';

/** Headers a client relies on that must not depend on how the API is run. */
const COMPARED_HEADERS = [
  'content-type',
  'access-control-allow-origin',
  'access-control-expose-headers',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'vary',
  'www-authenticate',
  'retry-after',
] as const;

describe('the API as a Lambda function (API Gateway payload 2.0 and function URLs)', () => {
  let api: RunningApi;
  let clients: ApiClients;
  let handler: ApiHandler;
  let alice: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    // As in AWS Lambda: the function's name is set, so multipart requests are capped at what an event carries.
    api = await startApi({ AWS_LAMBDA_FUNCTION_NAME: 'imagepipe-api', CORS_ORIGINS: 'https://app.example.test' });
    clients = createApiClients(api.config);
    const logger = createLogger('api', api.config.logLevel);
    handler = lambdaHandlerFor(createApp({ config: api.config, logger, clients }), logger);
    [alice, bob] = await Promise.all([createTestUser(api.config), createTestUser(api.config)]);
  });
  afterAll(async () => {
    await api.close();
    await clients.close();
  });

  const bearer = (user: TestUser) => ({ authorization: `Bearer ${user.idToken}` });
  const viaServer = (call: HttpCall) => fetchFromServer(api.url, call);
  const viaLambda = (call: HttpCall, source: EventSource = 'http-api') => invokeHandler(handler, call, source);

  /** Absolute URLs name the origin each side was reached at: the same once that is taken out. */
  const sameOrigin = (answer: HttpAnswer, origin: string) =>
    JSON.parse(JSON.stringify(answer.body).replaceAll(origin, '<origin>')) as unknown;

  function expectSameAnswers(server: HttpAnswer, lambda: HttpAnswer, source: EventSource = 'http-api') {
    expect(lambda.status).toBe(server.status);
    for (const name of COMPARED_HEADERS) expect([name, lambda.headers[name]]).toEqual([name, server.headers[name]]);
    expect(lambda.headers['x-request-id']).toBeTruthy();
    expect(sameOrigin(lambda, originOf(source))).toEqual(sameOrigin(server, api.url));
  }

  async function imageForm(width: number, height: number) {
    const form = new FormData();
    form.append('files', new Blob([await gradientJpeg(width, height)], { type: 'image/jpeg' }), 'photo.jpg');
    form.append('title', 'From Lambda');
    return multipartBody(form);
  }

  /** The image ids of an upload's answer (`images`) or of a list (`items`). */
  const ids = (answer: HttpAnswer) => {
    const body = answer.body as { images?: Array<{ image_id: string }>; items?: Array<{ image_id: string }> };
    return (body.images ?? body.items ?? []).map((image) => image.image_id);
  };

  it('signs in, and refuses a wrong password, as the server does', async () => {
    const form = (password: string) => ({
      method: 'POST',
      url: '/api/v1/auth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://app.example.test' },
      body: new URLSearchParams({ username: alice.email, password }).toString(),
    });
    const [server, lambda] = await Promise.all([viaServer(form(alice.password)), viaLambda(form(alice.password))]);
    expect(lambda.status).toBe(200);
    expect(lambda.headers['access-control-allow-origin']).toBe('https://app.example.test');
    expect(Object.keys(lambda.body as object).sort()).toEqual(Object.keys(server.body as object).sort());
    expect(lambda.body).toMatchObject({ token_type: 'bearer', expires_in: 3600 });

    const [refused, refusedByLambda] = await Promise.all([viaServer(form('wrong')), viaLambda(form('wrong'))]);
    expect(refusedByLambda.status).toBe(401);
    expectSameAnswers(refused, refusedByLambda);
  });

  it('takes a small multipart upload, lists it, and hides it from another user', async () => {
    const [first, second] = await Promise.all([imageForm(160, 120), imageForm(180, 120)]);
    const upload = (form: { body: Buffer; contentType: string }) => ({
      method: 'POST',
      url: '/api/v1/images',
      headers: { ...bearer(alice), 'content-type': form.contentType },
      body: form.body,
    });
    const server = await viaServer(upload(first));
    const lambda = await viaLambda(upload(second));
    expect([server.status, server.body]).toEqual([202, expect.anything()]);
    expect([lambda.status, lambda.body]).toEqual([202, expect.anything()]);
    const [fromServer] = ids(server);
    const [fromLambda] = ids(lambda);
    expect(lambda.headers['location']).toBe(`${originOf('http-api')}/api/v1/images/${fromLambda}/status`);
    const withoutId = (body: unknown, id: string) => JSON.parse(JSON.stringify(body).replaceAll(id, '<id>')) as unknown;
    expect(withoutId(sameOrigin(lambda, originOf('http-api')), fromLambda!)).toEqual(
      withoutId(sameOrigin(server, api.url), fromServer!),
    );

    const list = { method: 'GET', url: '/api/v1/images?limit=10', headers: bearer(alice) };
    const [listed, listedByLambda, listedByUrl] = await Promise.all([
      viaServer(list),
      viaLambda(list),
      viaLambda(list, 'function-url'),
    ]);
    expect(listedByLambda.status).toBe(200);
    expect(ids(listedByLambda)).toEqual(ids(listed));
    expect(ids(listedByUrl)).toEqual(ids(listed));
    expect(ids(listed).sort()).toEqual([fromServer, fromLambda].sort());

    const peek = { method: 'GET', url: `/api/v1/images/${fromLambda}`, headers: bearer(bob) };
    const [hidden, hiddenByLambda] = await Promise.all([viaServer(peek), viaLambda(peek)]);
    expect(hiddenByLambda.status).toBe(404);
    expectSameAnswers(hidden, hiddenByLambda);
  });

  it('takes a large file by the presigned flow', async () => {
    const image = await gradientJpeg(400, 300);
    const created = await viaLambda({
      method: 'POST',
      url: '/api/v1/images/uploads',
      headers: { ...bearer(alice), 'content-type': 'application/json' },
      body: JSON.stringify({ filename: 'direct.jpg', content_type: 'image/jpeg', size: image.length }),
    });
    expect(created.status).toBe(201);
    const {
      image_id: imageId,
      upload,
      complete_url: completeUrl,
    } = created.body as {
      image_id: string;
      upload: { url: string; method: string; headers: Record<string, string> };
      complete_url: string;
    };
    expect(completeUrl).toBe(`${originOf('http-api')}/api/v1/images/${imageId}/complete`);
    const { 'Content-Length': _length, ...headers } = upload.headers;
    expect((await fetch(upload.url, { method: upload.method, headers, body: image })).status).toBe(200);

    const completed = await viaLambda({
      method: 'POST',
      url: new URL(completeUrl).pathname,
      headers: bearer(alice),
    });
    expect(completed.status).toBe(202);
    // Its run is under way (no worker takes it here): the item says so.
    const view = await viaLambda({ method: 'GET', url: `/api/v1/images/${imageId}`, headers: bearer(alice) });
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ image_id: imageId, status: 'processing', filename: 'direct.jpg' });
  });

  it('answers a multipart request past what Lambda carries with 413 naming the direct-upload route', async () => {
    const form = new FormData();
    const tooLarge = crypto.randomBytes(LAMBDA_MAX_REQUEST_BYTES + 1);
    form.append('files', new Blob([tooLarge], { type: 'image/jpeg' }), 'huge.jpg');
    const { body, contentType } = await multipartBody(form);
    const call = {
      method: 'POST',
      url: '/api/v1/images',
      headers: { ...bearer(bob), 'content-type': contentType },
      body,
    };
    const [server, lambda] = await Promise.all([viaServer(call), viaLambda(call)]);
    expect(lambda.status).toBe(413);
    expect(lambda.body).toMatchObject({
      rule: 'max_request_bytes',
      max_request_bytes: LAMBDA_MAX_REQUEST_BYTES,
      direct_upload_url: `${originOf('http-api')}/api/v1/images/uploads`,
    });
    expectSameAnswers(server, lambda);
    const listed = await viaLambda({ method: 'GET', url: '/api/v1/images', headers: bearer(bob) });
    expect(ids(listed)).toEqual([]);
  });

  it('answers CORS preflights as the server does', async () => {
    const preflight = {
      method: 'OPTIONS',
      url: '/api/v1/images',
      headers: {
        origin: 'https://app.example.test',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization',
      },
    };
    const [server, lambda] = await Promise.all([viaServer(preflight), viaLambda(preflight)]);
    expect(lambda.status).toBe(204);
    expectSameAnswers(server, lambda);
  });

  it("names each answer with API Gateway's request id, or the client's own", async () => {
    const own = await viaLambda({ method: 'GET', url: '/api/v1/images', headers: { 'x-request-id': 'client-42' } });
    expect(own.headers['x-request-id']).toBe('client-42');
    const given = await viaLambda({ method: 'GET', url: '/api/v1/images' });
    expect(given.status).toBe(401);
    expect(given.headers['x-request-id']).toBe(given.event.requestContext.requestId);
  });

  it('logs each request as completed, with its request id, as the server does', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const logged = lambdaHandlerFor(createApp({ config: api.config, logger, clients }), logger);
    const answer = await invokeHandler(logged, { method: 'GET', url: '/api/v1/images', headers: bearer(alice) });
    expect(answer.status).toBe(200);
    expect(lines).toContainEqual(
      expect.objectContaining({
        msg: 'request completed',
        requestId: answer.event.requestContext.requestId,
        res: { statusCode: 200 },
      }),
    );
  });

  it('limits sign-in by the address API Gateway saw, whatever X-Forwarded-For the client wrote', async () => {
    // Limits on, and as many proxies trusted as X-Forwarded-For will hold: were the header read, it would decide.
    const config = testConfig({
      API_TRUST_PROXY: '2',
      SIGN_IN_RATE_LIMIT_PER_MINUTE: '1',
      SIGN_IN_RATE_LIMIT_BURST: '1',
      AWS_LAMBDA_FUNCTION_NAME: 'imagepipe-api',
    });
    const limitedClients = createApiClients(config);
    try {
      const logger = createLogger('api', config.logLevel);
      const limited = lambdaHandlerFor(createApp({ config, logger, clients: limitedClients }), logger);
      /** A sign-in attempt at an account of its own from `sourceIp`, which wrote X-Forwarded-For addresses of its own. */
      const attempt = async (sourceIp: string) => {
        const event = httpEventV2(
          {
            method: 'POST',
            url: '/api/v1/auth/token',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({
              username: `nobody-${crypto.randomUUID()}@example.test`,
              password: 'a guess',
            }).toString(),
          },
          'http-api',
          sourceIp,
        );
        event.headers['x-forwarded-for'] = `${freshClientAddress()}, ${freshClientAddress()}, ${sourceIp}`;
        return (await invokeWithEvent(limited, event)).status;
      };
      const [client, other] = [freshClientAddress(), freshClientAddress()];
      expect([await attempt(client), await attempt(client), await attempt(other)]).toEqual([401, 429, 401]);
    } finally {
      await limitedClients.close();
    }
  });

  it('serves no metrics from a public function whose containers each count alone', async () => {
    const call = { method: 'GET', url: '/metrics' };
    const [server, lambda] = await Promise.all([viaServer(call), viaLambda(call)]);
    expect(lambda.status).toBe(404);
    expectSameAnswers(server, lambda);
  });

  it('does not offer the image event stream, which API Gateway would buffer and cut at 30 s', async () => {
    const call = { method: 'GET', url: '/api/v1/images/events?seconds=60', headers: bearer(alice) };
    const [server, lambda] = await Promise.all([viaServer(call), viaLambda(call)]);
    expect(lambda.status).toBe(501);
    expect(lambda.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.stringify(lambda.body)).toContain('status?wait=');
    expectSameAnswers(server, lambda);
  });

  it('refuses events of any other shape', async () => {
    const restApiEvent = { httpMethod: 'GET', path: '/healthz', headers: {}, requestContext: {} };
    await expect(handler(restApiEvent as never, {} as never)).rejects.toThrow(/payload format 2\.0/);
  });
});
