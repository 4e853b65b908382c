import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import sharp from 'sharp';
import { freePort } from '../../scripts/devstack/ports';
import { startApi, type RunningApi } from '../harness/apiServer';
import { ApiClient } from '../harness/httpClient';
import { testStorage } from '../harness/storage';
import { createTestUser } from '../harness/users';

describe('health endpoints', () => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  it('GET /healthz answers while the process is up', async () => {
    const response = await fetch(`${api.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('GET /readyz reports every dependency up', async () => {
    const response = await fetch(`${api.url}/readyz`);
    const body = (await response.json()) as { status: string; components: Record<string, { status: string }> };
    expect(response.status).toBe(200);
    expect(body.status).toBe('ready');
    expect(
      Object.fromEntries(Object.entries(body.components).map(([name, component]) => [name, component.status])),
    ).toEqual({
      s3: 'up',
      dynamodb: 'up',
      temporal: 'up',
      firebase_auth: 'up',
    });
  });

  it('echoes a sane X-Request-Id and replaces an unsafe one', async () => {
    const kept = await fetch(`${api.url}/healthz`, { headers: { 'X-Request-Id': 'client-req-42' } });
    expect(kept.headers.get('x-request-id')).toBe('client-req-42');
    const replaced = await fetch(`${api.url}/healthz`, { headers: { 'X-Request-Id': 'bad id\twith spaces' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers an unknown route with a 404 problem', async () => {
    const response = await fetch(`${api.url}/nowhere`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await response.json()).toMatchObject({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      instance: '/nowhere',
    });
  });

  it('answers malformed JSON with a 400 problem and no stack trace', async () => {
    const response = await fetch(`${api.url}/healthz`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"broken',
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 400, detail: 'The request body is not valid JSON.' });
    expect(JSON.stringify(body)).not.toMatch(/at .*\.js/);
  });
});

describe('readiness with dependencies down', () => {
  it('answers 503 problem+json naming each unreachable component', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const api = await startApi({ S3_ENDPOINT: closed, DYNAMODB_ENDPOINT: closed, READINESS_TIMEOUT_MS: '1500' });
    try {
      const response = await fetch(`${api.url}/readyz`);
      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const body = (await response.json()) as {
        detail: string;
        components: Record<string, { status: string; error?: string }>;
      };
      expect(body.detail).toBe('Not ready: s3, dynamodb down.');
      expect(body.components.s3!.status).toBe('down');
      expect(body.components.dynamodb!.status).toBe('down');
      expect(body.components.temporal!.status).toBe('up');
      // What went wrong, in the dependency's own words (hosts, ports), is for the logs, not for anyone who asks.
      expect(JSON.stringify(body)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|error/i);
    } finally {
      await api.close();
    }
  });
});

describe('routes with a dependency down', () => {
  it('answer 503 problem+json with Retry-After, not a 500', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const api = await startApi({ DYNAMODB_ENDPOINT: closed, S3_ENDPOINT: closed });
    try {
      const user = await createTestUser(api.config);
      const client = new ApiClient(api.url, user.idToken);
      for (const response of [
        await client.get('/api/v1/images'),
        await client.upload([
          {
            name: 'a.png',
            body: await sharp({ create: { width: 60, height: 60, channels: 3, background: '#000' } })
              .png({ compressionLevel: 0 })
              .toBuffer(),
          },
        ]),
      ]) {
        expect(response.status).toBe(503);
        expect(response.contentType).toMatch(/^application\/problem\+json/);
        expect(response.headers.get('retry-after')).toBe('5');
      }
    } finally {
      await api.close();
    }
  });
});

describe('routes with Temporal down', () => {
  it('answer 503 problem+json with Retry-After', async () => {
    const api = await startApi({ TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}` });
    try {
      const user = await createTestUser(api.config);
      const response = await new ApiClient(api.url, user.idToken).request('POST', '/api/v1/images/uploads', {
        body: JSON.stringify({ filename: 'a.png', content_type: 'image/png', size: 5000 }),
        headers: { 'content-type': 'application/json' },
      });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      // No upload URL was handed out, so no item may wait for one: it would never be purged.
      const storage = testStorage(api.config);
      const { Items } = await storage.clients.documents.send(
        new QueryCommand({
          TableName: api.config.dynamodb.imagesTable,
          KeyConditionExpression: 'user_id = :user',
          ExpressionAttributeValues: { ':user': user.uid },
          ConsistentRead: true,
        }),
      );
      storage.destroy();
      expect(Items).toEqual([]);
    } finally {
      await api.close();
    }
  });
});

describe('API description', () => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  it('serves an OpenAPI 3.1 document of every route, built from the validating schemas', async () => {
    const response = await fetch(`${api.url}/openapi.json`);
    const document = (await response.json()) as {
      openapi: string;
      paths: Record<string, Record<string, { parameters?: Array<{ name: string }> }>>;
    };
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths).sort()).toEqual(
      [
        '/healthz',
        '/readyz',
        '/api/v1/auth/token',
        '/api/v1/auth/signup',
        '/api/v1/auth/me',
        '/api/v1/images',
        '/api/v1/images/search',
        '/api/v1/images/events',
        '/api/v1/images/uploads',
        '/api/v1/images/checks',
        '/api/v1/images/{imageId}',
        '/api/v1/images/{imageId}/complete',
        '/api/v1/images/{imageId}/status',
        '/api/v1/images/{imageId}/download',
        '/api/v1/images/{imageId}/restore',
        '/api/v1/images/{imageId}/original',
        '/api/v1/images/{imageId}/thumbnail',
        '/api/v1/images/{imageId}/similar',
        '/api/v1/images/cluster',
        '/api/v1/images/cluster/status',
        '/api/v1/images/clusters',
        '/api/v1/webhooks',
        '/api/v1/webhooks/{webhookId}',
        '/api/v1/webhooks/{webhookId}/rotate',
        '/api/v1/webhooks/{webhookId}/deliveries',
      ].sort(),
    );
    expect(document.paths['/api/v1/images']!.get!.parameters!.map((parameter) => parameter.name)).toEqual([
      'limit',
      'cursor',
      'tag',
      'category',
      'visibility',
      'status',
      'cluster',
      'near_duplicates',
      'from',
      'to',
    ]);
  });

  it('serves Swagger UI at /docs', async () => {
    const response = await fetch(`${api.url}/docs/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('swagger-ui');
  });
});
