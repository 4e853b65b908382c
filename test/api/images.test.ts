import crypto from 'node:crypto';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { uploadPurgeWorkflowId } from '../../src/contracts';
import { startApi, type RunningApi } from '../harness/apiServer';
import { ApiClient, waitForImage } from '../harness/httpClient';
import { startService, type RunningService } from '../harness/service';
import { createTestUser, type TestUser } from '../harness/users';
import type { RunningWorker } from '../harness/worker';
import { stepAttempts } from '../harness/stepAttempts';
import { gradientJpeg, pngHeader, undecodableJpeg } from '../fixtures/images';

const png = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: '#3a7' } })
    .png({ compressionLevel: 0 })
    .toBuffer();

describe('images API', () => {
  let service: RunningService;
  let worker: RunningWorker;
  let api: RunningApi;
  let alice: ApiClient;
  let bob: ApiClient;
  let aliceUser: TestUser;

  beforeAll(async () => {
    service = await startService();
    ({ api, worker } = service);
    aliceUser = await createTestUser(api.config);
    alice = new ApiClient(api.url, aliceUser.idToken);
    bob = new ApiClient(api.url, (await createTestUser(api.config)).idToken);
  });
  afterAll(() => service.stop());

  const objectsOf = async (userId: string) => {
    const listed = await service.storage.clients.s3.send(
      new ListObjectsV2Command({ Bucket: api.config.s3.bucket, Prefix: `users/${userId}/` }),
    );
    return (listed.Contents ?? []).map((object) => object.Key!);
  };

  it('accepts an upload with 202, processes it, and serves its metadata, thumbnails and download', async () => {
    const original = await gradientJpeg(640, 480);
    const upload = await alice.upload(
      [{ name: '../../etc/holiday\u202e.jpg', body: original, type: 'application/pdf' }],
      {
        title: 'Holiday',
        tags: 'beach, sun,beach',
        visibility: 'public',
      },
    );
    expect(upload.status).toBe(202);
    const [accepted] = upload.body.images;
    expect(accepted).toMatchObject({ filename: 'holiday.jpg', status: 'processing' });
    expect(upload.headers.get('location')).toBe(accepted.status_url);
    expect(accepted.status_url).toBe(`${api.url}/api/v1/images/${accepted.image_id}/status`);

    const status = await waitForImage(alice, accepted.image_id);
    expect(status.body).toMatchObject({
      status: 'completed',
      workflow_id: `image-${accepted.image_id}`,
      // The run in the Temporal Web UI, for operators (TEMPORAL_UI_URL).
      run_url: `${api.config.temporal.uiUrl}/namespaces/${api.config.temporal.namespace}/workflows/image-${accepted.image_id}`,
    });
    // The image is complete once its metadata is written; cluster assignment may still be finishing.
    expect(status.body.steps?.map((step) => `${step.name}:${step.status}`).slice(0, 5)).toEqual([
      'validate:completed',
      'thumbnails:completed',
      'description:completed',
      'embedding:completed',
      'metadata:completed',
    ]);
    expect(status.body.steps?.slice(5).map((step) => step.name)).toEqual(['cluster']);

    const image = await alice.get(`/api/v1/images/${accepted.image_id}`);
    expect(image.status).toBe(200);
    expect(image.body).toMatchObject({
      image_id: accepted.image_id,
      status: 'completed',
      filename: 'holiday.jpg',
      content_type: 'image/jpeg',
      width: 640,
      height: 480,
      bytes: original.length,
      title: 'Holiday',
      tags: ['beach', 'sun'],
      visibility: 'public',
    });
    expect(image.body.ai_description).toMatch(/landscape JPEG image of 640x480 pixels/);
    const thumbnail = await fetch(image.body.thumbnails[0].url);
    expect(thumbnail.status).toBe(200);
    expect(thumbnail.headers.get('content-type')).toBe('image/webp');

    const download = await alice.get(`/api/v1/images/${accepted.image_id}/download`);
    expect(download.status).toBe(200);
    const file = await fetch(download.body.download_url);
    expect(Buffer.from(await file.arrayBuffer()).equals(original)).toBe(true);
    expect(file.headers.get('content-disposition')).toContain('holiday.jpg');
    // The key comes from ids, never from the client's file name.
    expect(await objectsOf(aliceUser.uid)).toContain(`users/${aliceUser.uid}/images/${accepted.image_id}/original`);
  });

  it('marks an image that passes its upload checks but cannot be decoded failed, with the reason, after one attempt', async () => {
    const upload = await alice.upload([{ name: 'lossless-claim.jpg', body: await undecodableJpeg(400, 300) }]);
    expect(upload.status).toBe(202);
    const imageId = upload.body.images[0].image_id;
    const status = await waitForImage(alice, imageId);
    expect(status.body).toMatchObject({
      status: 'failed',
      failure_reason: expect.stringMatching(/^The image cannot be decoded: /),
    });
    expect(status.body.steps?.map((step) => step.status)).toEqual([
      'completed',
      'failed',
      'pending',
      'pending',
      'pending',
      'pending',
    ]);
    expect((await alice.get(`/api/v1/images/${imageId}`)).body).toMatchObject({
      status: 'failed',
      failure_reason: status.body.failure_reason,
    });
    const history = await worker.client.workflow.getHandle(`image-${imageId}`).fetchHistory();
    expect(stepAttempts(history)).toEqual([1, 1, 1]); // validate, thumbnails, recording the failure: no retry burned
  });

  it('takes several files at once and reports each refused one by name and rule', async () => {
    const upload = await alice.upload([
      { name: 'good.png', body: await png(120, 90), type: 'image/png' },
      { name: 'notes.jpg', body: 'just some text, certainly not a jpeg image'.repeat(40), type: 'image/jpeg' },
      { name: 'tiny.png', body: await png(20, 20), type: 'image/png' },
    ]);
    expect(upload.status).toBe(202);
    expect(upload.body.images.map((image: { filename: string }) => image.filename)).toEqual(['good.png']);
    expect(upload.body.rejected).toEqual([
      expect.objectContaining({ status: 415, file: 'notes.jpg', rule: 'format' }),
      expect.objectContaining({ status: 422, file: 'tiny.png', rule: 'min_dimension' }),
    ]);
  });

  it.each([
    ['a text file named .jpg', () => Buffer.from('hello '.repeat(400)), 415, 'format'],
    [
      'an SVG',
      () => Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">${' '.repeat(2000)}</svg>`),
      415,
      'format',
    ],
    ['an empty file', () => Buffer.alloc(0), 422, 'min_bytes'],
    ['a file under the minimum size', async () => (await png(60, 60)).subarray(0, 600), 422, 'min_bytes'],
    ['an image under the minimum dimensions', () => png(49, 200), 422, 'min_dimension'],
    ['an image over the maximum dimensions', () => pngHeader(4001, 100), 422, 'max_dimension'],
    ['a decompression bomb', () => pngHeader(100_000, 100_000), 422, 'max_dimension'],
  ])('refuses %s, storing nothing', async (_case, make, status, rule) => {
    const user = await createTestUser(api.config);
    const response = await alice.withToken(user.idToken).upload([{ name: 'upload.jpg', body: await make() }]);
    expect(response.status).toBe(status);
    expect(response.contentType).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status, rule, file: 'upload.jpg' });
    expect(await objectsOf(user.uid)).toEqual([]);
  });

  it('refuses a file over the size limit while it streams, and removes what was written', async () => {
    const small = await startApi({ TEMPORAL_TASK_QUEUE: worker.taskQueue, UPLOAD_MAX_BYTES: String(64 * 1024) });
    try {
      const user = await createTestUser(small.config);
      const big = await sharp({ create: { width: 1500, height: 1500, channels: 3, background: '#123' } })
        .png({ compressionLevel: 0 })
        .toBuffer();
      const response = await new ApiClient(small.url, user.idToken).upload([{ name: 'big.png', body: big }]);
      expect(response.status).toBe(413);
      expect(response.body).toMatchObject({ rule: 'max_bytes', file: 'big.png' });
      expect(await objectsOf(user.uid)).toEqual([]);
    } finally {
      await small.close();
    }
  });

  it.each([
    ['too many tags', { tags: Array.from({ length: 11 }, (_, index) => `t${index}`).join(',') }, 'tags'],
    ['a tag over 50 characters', { tags: 'x'.repeat(51) }, 'tags'],
    ['a title over 200 characters', { title: 't'.repeat(201) }, 'title'],
    ['a description over 1000 characters', { description: 'd'.repeat(1001) }, 'description'],
    ['an unknown visibility', { visibility: 'friends' }, 'visibility'],
    ['an unknown field', { owner: 'someone-else' }, 'owner'],
  ])('refuses %s with 422 and keeps no object', async (_case, fields, field) => {
    const user = await createTestUser(api.config);
    const response = await alice
      .withToken(user.idToken)
      .upload([{ name: 'ok.png', body: await png(100, 100) }], fields);
    expect(response.status).toBe(422);
    expect(response.body.errors.map((error: { field: string }) => error.field)).toEqual([field]);
    expect(response.body.errors[0].message).not.toMatch(/^Invalid input/);
    expect(await objectsOf(user.uid)).toEqual([]);
  });

  it('refuses a request without files, a body that is not multipart, and malformed multipart', async () => {
    expect((await alice.upload([], { title: 'nothing' })).status).toBe(400);
    const json = await alice.request('POST', '/api/v1/images', {
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(json.status).toBe(415);
    const broken = await alice.request('POST', '/api/v1/images', {
      body: '--b\r\nContent-Disposition: form-data; name="files"; filename="a.jpg"\r\n\r\nabc',
      headers: { 'content-type': 'multipart/form-data; boundary=b' },
    });
    expect(broken.status).toBe(400);
    expect(broken.body.detail).toMatch(/^Malformed multipart body/);
  });

  it('refuses more files than allowed, and a file in an unknown field', async () => {
    const body = await png(60, 60);
    const many = await alice.upload(Array.from({ length: 11 }, (_, index) => ({ name: `${index}.png`, body })));
    expect(many.status).toBe(413);
    expect(many.body.rule).toBe('max_files');
    const odd = await alice.upload([{ name: 'a.png', body, field: 'image' }]);
    expect(odd.status).toBe(400);
    expect(odd.body.rule).toBe('file_field');
  });

  it("answers another user's image exactly like a missing one, on every route", async () => {
    const upload = await alice.upload([{ name: 'mine.png', body: await png(80, 80) }]);
    const imageId = upload.body.images[0].image_id;
    const missing = '00000000-0000-4000-8000-000000000000';
    for (const suffix of ['', '/status', '/download']) {
      const theirs = await bob.get(`/api/v1/images/${imageId}${suffix}`);
      const nothing = await bob.get(`/api/v1/images/${missing}${suffix}`);
      expect([theirs.status, nothing.status]).toEqual([404, 404]);
      expect(theirs.body.detail).toBe(`No image ${imageId}.`);
      expect(Object.keys(theirs.body).sort()).toEqual(Object.keys(nothing.body).sort());
    }
    expect((await bob.get('/api/v1/images')).body.items).toEqual([]);
    expect((await bob.get('/api/v1/images/not-a-uuid')).status).toBe(404);
  });

  it('streams originals and thumbnails through the API in proxy mode, with ETag and 304', async () => {
    const proxy = await startApi({ TEMPORAL_TASK_QUEUE: worker.taskQueue, IMAGE_URL_MODE: 'proxy' });
    try {
      const client = new ApiClient(proxy.url, aliceUser.idToken);
      const original = await gradientJpeg(300, 200);
      const imageId = (await client.upload([{ name: 'proxied.jpg', body: original }])).body.images[0].image_id;
      await waitForImage(client, imageId);
      const image = await client.get(`/api/v1/images/${imageId}`);
      expect(image.body.urls.original).toBe(`${proxy.url}/api/v1/images/${imageId}/original`);
      expect(image.body.thumbnails[0].url).toBe(`${proxy.url}/api/v1/images/${imageId}/thumbnail?size=256`);

      const auth = { authorization: `Bearer ${aliceUser.idToken}` };
      const full = await fetch(image.body.urls.original, { headers: auth });
      expect(full.status).toBe(200);
      expect(full.headers.get('content-type')).toBe('image/jpeg');
      expect(Number(full.headers.get('content-length'))).toBe(original.length);
      expect(Buffer.from(await full.arrayBuffer()).equals(original)).toBe(true);
      const again = await fetch(image.body.urls.original, {
        headers: { ...auth, 'if-none-match': full.headers.get('etag')! },
      });
      expect(again.status).toBe(304);

      const thumbnail = await fetch(image.body.thumbnails[1].url, { headers: auth });
      expect(thumbnail.headers.get('content-type')).toBe('image/webp');
      expect((await sharp(Buffer.from(await thumbnail.arrayBuffer())).metadata()).width).toBe(300);
      expect((await client.get(`/api/v1/images/${imageId}/thumbnail?size=999`)).status).toBe(404);
      expect((await client.get(`/api/v1/images/${imageId}/thumbnail`)).status).toBe(400);
      expect((await bob.get(`/api/v1/images/${imageId}/original`)).status).toBe(404);
      expect((await bob.get(`/api/v1/images/${imageId}/thumbnail?size=256`)).status).toBe(404);
    } finally {
      await proxy.close();
    }
  });

  describe('direct uploads', () => {
    const json = (body: unknown) => ({ body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    const requestUpload = (client: ApiClient, body: Buffer | number, overrides: Record<string, unknown> = {}) =>
      client.request(
        'POST',
        '/api/v1/images/uploads',
        json({
          filename: 'direct.png',
          content_type: 'image/png',
          size: typeof body === 'number' ? body : body.length,
          ...overrides,
        }),
      );
    // The headers the API says to send; fetch sets Content-Length itself, from the body.
    const put = (upload: { url: string; headers: Record<string, string> }, body: Buffer) => {
      const { 'Content-Length': _length, ...headers } = upload.headers;
      return fetch(upload.url, { method: 'PUT', body, headers });
    };

    it('hands out a scoped presigned PUT, checks what arrived, and processes it', async () => {
      const body = await png(200, 150);
      const created = await requestUpload(alice, body, { title: 'Direct', tags: ['a', 'b'] });
      expect(created.status).toBe(201);
      const { image_id: imageId, upload, complete_url: completeUrl } = created.body;
      expect(upload).toMatchObject({
        method: 'PUT',
        headers: { 'Content-Type': 'image/png', 'Content-Length': String(body.length), 'If-None-Match': '*' },
      });
      expect(
        (await alice.get('/api/v1/images?limit=100')).body.items.map((item: { image_id: string }) => item.image_id),
      ).not.toContain(imageId);

      const early = await alice.request('POST', `/api/v1/images/${imageId}/complete`);
      expect(early.status).toBe(409);

      // The signature covers type and length: a different file is refused by S3 itself.
      const wrongType = await put({ ...upload, headers: { ...upload.headers, 'Content-Type': 'image/jpeg' } }, body);
      expect(wrongType.status).toBe(403);
      expect((await put(upload, Buffer.concat([body, Buffer.alloc(10)]))).status).toBe(403);
      // So does If-None-Match: without it, the URL could replace the object once it exists.
      const { 'If-None-Match': _condition, ...unconditional } = upload.headers;
      expect((await put({ ...upload, headers: unconditional }, body)).status).toBe(403);
      expect((await put(upload, body)).status).toBe(200);

      expect(completeUrl).toBe(`${api.url}/api/v1/images/${imageId}/complete`);
      const completed = await alice.request('POST', `/api/v1/images/${imageId}/complete`);
      expect(completed.status).toBe(202);
      expect(completed.body.status_url).toBe(`${api.url}/api/v1/images/${imageId}/status`);
      expect((await alice.request('POST', `/api/v1/images/${imageId}/complete`)).status).toBe(202);
      expect((await waitForImage(alice, imageId)).body.status).toBe('completed');
      const image = await alice.get(`/api/v1/images/${imageId}`);
      expect(image.body).toMatchObject({
        width: 200,
        height: 150,
        bytes: body.length,
        title: 'Direct',
        tags: ['a', 'b'],
      });
      expect(image.body.sha256).toBe(crypto.createHash('sha256').update(body).digest('hex'));
      expect((await bob.request('POST', `/api/v1/images/${imageId}/complete`)).status).toBe(404);

      // The URL is still within its expiry, but it cannot replace the original that was checked and processed.
      const replaced = await put(upload, crypto.randomBytes(body.length));
      expect(replaced.status).toBe(412);
      const download = await alice.get(`/api/v1/images/${imageId}/download`);
      const stored = Buffer.from(await (await fetch(download.body.download_url)).arrayBuffer());
      expect(stored.equals(body)).toBe(true);
      expect((await alice.get(`/api/v1/images/${imageId}`)).body.sha256).toBe(image.body.sha256);
    });

    it('starts one run and keeps one item when the same upload is completed several times at once', async () => {
      const user = await createTestUser(api.config);
      const client = alice.withToken(user.idToken);
      const body = await png(120, 90);
      const created = await requestUpload(client, body);
      expect((await put(created.body.upload, body)).status).toBe(200);
      const imageId = created.body.image_id;
      const answers = await Promise.all(
        Array.from({ length: 4 }, () => client.request('POST', `/api/v1/images/${imageId}/complete`)),
      );
      expect(answers.map((answer) => answer.status)).toEqual([202, 202, 202, 202]);
      expect((await waitForImage(client, imageId)).body.status).toBe('completed');
      const runs = [];
      for await (const run of worker.client.workflow.list({ query: `WorkflowId = "image-${imageId}"` })) runs.push(run);
      expect(runs).toHaveLength(1);
      expect((await client.get('/api/v1/images?limit=100')).body.items).toHaveLength(1);
    });

    it('refuses a completed upload that is not what the rules allow, and removes it', async () => {
      const user = await createTestUser(api.config);
      const client = alice.withToken(user.idToken);
      const text = Buffer.from('not an image at all '.repeat(100));
      const created = await requestUpload(client, text);
      expect((await put(created.body.upload, text)).status).toBe(200);
      const refused = await client.request('POST', `/api/v1/images/${created.body.image_id}/complete`);
      expect(refused.status).toBe(415);
      expect(refused.body).toMatchObject({ rule: 'format', file: 'direct.png' });
      expect(await objectsOf(user.uid)).toEqual([]);
    });

    it.each([
      ['an unsupported content type', { content_type: 'image/svg+xml' }, 'content_type'],
      ['a size over the limit', { size: 20 * 1024 * 1024 }, 'size'],
      ['no filename', { filename: undefined }, 'filename'],
    ])('refuses an upload request with %s', async (_case, overrides, field) => {
      const response = await requestUpload(alice, 5000, overrides);
      expect(response.status).toBe(422);
      expect(response.body.errors.map((error: { field: string }) => error.field)).toEqual([field]);
    });

    it('schedules a purge for an upload never completed, which removes it when it fires', async () => {
      const brief = await startApi({ TEMPORAL_TASK_QUEUE: worker.taskQueue, PRESIGNED_URL_EXPIRY_SECONDS: '60' });
      try {
        const user = await createTestUser(brief.config);
        const client = new ApiClient(brief.url, user.idToken);
        const created = await requestUpload(client, 5000);
        const run = worker.client.workflow.getHandle(uploadPurgeWorkflowId(created.body.image_id));
        const description = await run.describe();
        expect(description.status.name).toBe('RUNNING');
        // The timer is durable; skip the wait by asking for the purge now, as the timer would.
        await run.terminate('test: expire now');
        await worker.client.workflow.execute('purgeImage', {
          taskQueue: worker.taskQueue,
          workflowId: `purge-now-${created.body.image_id}`,
          args: [{ userId: user.uid, imageId: created.body.image_id, delayMs: 0, when: 'never-uploaded' }],
        });
        expect((await client.get(`/api/v1/images/${created.body.image_id}`)).status).toBe(404);
      } finally {
        await brief.close();
      }
    });
  });

  describe('deleting', () => {
    const uploadOne = async (client: ApiClient) =>
      (await client.upload([{ name: 'doomed.png', body: await png(70, 70) }])).body.images[0].image_id as string;
    const purgeRun = (imageId: string) => worker.client.workflow.getHandle(`purge-${imageId}`);

    it('soft-deletes an image (hidden, restorable) and restores it, cancelling its purge', async () => {
      const imageId = await uploadOne(alice);
      await waitForImage(alice, imageId);
      const deleted = await alice.request('DELETE', `/api/v1/images/${imageId}`);
      expect(deleted.status).toBe(200);
      expect(deleted.body).toMatchObject({ image_id: imageId, deleted: 'soft' });
      expect(new Date(deleted.body.restorable_until).getTime()).toBeGreaterThan(Date.now() + 29 * 24 * 3600 * 1000);
      expect((await alice.get(`/api/v1/images/${imageId}`)).status).toBe(404);
      expect(
        (await alice.get('/api/v1/images?limit=100')).body.items.map((item: { image_id: string }) => item.image_id),
      ).not.toContain(imageId);
      expect((await alice.request('DELETE', `/api/v1/images/${imageId}`)).status).toBe(404);

      const restored = await alice.request('POST', `/api/v1/images/${imageId}/restore`);
      expect(restored.status).toBe(200);
      expect((await alice.get(`/api/v1/images/${imageId}`)).body.status).toBe('completed');
      // Cancelling is asynchronous: the run ends once its worker has taken the request.
      await expect(purgeRun(imageId).result()).rejects.toThrow();
      expect((await purgeRun(imageId).describe()).status.name).toBe('CANCELLED');
      expect((await alice.request('POST', `/api/v1/images/${imageId}/restore`)).status).toBe(409);
    });

    it('purges a soft-deleted image when its restore window ends', async () => {
      const brief = await startApi({ TEMPORAL_TASK_QUEUE: worker.taskQueue, DELETE_RETENTION_SECONDS: '1' });
      try {
        const user = await createTestUser(brief.config);
        const client = new ApiClient(brief.url, user.idToken);
        const imageId = await uploadOne(client);
        await waitForImage(client, imageId);
        expect((await client.request('DELETE', `/api/v1/images/${imageId}`)).status).toBe(200);
        await purgeRun(imageId).result();
        expect(await objectsOf(user.uid)).toEqual([]);
        expect((await client.request('POST', `/api/v1/images/${imageId}/restore`)).status).toBe(404);
      } finally {
        await brief.close();
      }
    });

    it('hard-deletes an image and everything stored for it at once', async () => {
      const user = await createTestUser(api.config);
      const client = alice.withToken(user.idToken);
      const imageId = await uploadOne(client);
      await waitForImage(client, imageId);
      expect((await objectsOf(user.uid)).length).toBe(4);
      const deleted = await client.request('DELETE', `/api/v1/images/${imageId}?hard=true`);
      expect(deleted.body).toEqual({ image_id: imageId, deleted: 'hard' });
      expect(await objectsOf(user.uid)).toEqual([]);
      expect((await client.get(`/api/v1/images/${imageId}`)).status).toBe(404);
      expect((await client.request('POST', `/api/v1/images/${imageId}/restore`)).status).toBe(404);
    });

    it("deletes in bulk with a result per id, never touching other users' images", async () => {
      const mine = await uploadOne(alice);
      const bobs = await uploadOne(bob);
      const missing = '00000000-0000-4000-8000-000000000001';
      const response = await alice.request('DELETE', '/api/v1/images', {
        body: JSON.stringify({ image_ids: [mine, bobs, missing] }),
        headers: { 'content-type': 'application/json' },
      });
      expect(response.status).toBe(200);
      expect(
        response.body.results.map((result: { image_id: string; status: number }) => [result.image_id, result.status]),
      ).toEqual([
        [mine, 200],
        [bobs, 404],
        [missing, 404],
      ]);
      expect((await bob.get(`/api/v1/images/${bobs}`)).status).toBe(200);
    });

    it.each([
      ['no ids', { image_ids: [] }],
      ['more than 100 ids', { image_ids: Array.from({ length: 101 }, () => crypto.randomUUID()) }],
      ['an id that is not a UUID', { image_ids: ['../other'] }],
    ])('refuses a bulk delete with %s', async (_case, body) => {
      const response = await alice.request('DELETE', '/api/v1/images', {
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json' },
      });
      expect(response.status).toBe(422);
    });

    it("answers another user's image with 404 on delete and restore", async () => {
      const bobs = await uploadOne(bob);
      expect((await alice.request('DELETE', `/api/v1/images/${bobs}`)).status).toBe(404);
      expect((await alice.request('DELETE', `/api/v1/images/${bobs}?hard=true`)).status).toBe(404);
      expect((await alice.request('POST', `/api/v1/images/${bobs}/restore`)).status).toBe(404);
      expect((await bob.get(`/api/v1/images/${bobs}`)).status).toBe(200);
    });
  });

  describe('listing', () => {
    let lister: ApiClient;
    const ids: string[] = [];

    beforeAll(async () => {
      lister = alice.withToken((await createTestUser(api.config)).idToken);
      for (let index = 0; index < 5; index++) {
        const response = await lister.upload([{ name: `${index}.png`, body: await png(60 + index, 60) }], {
          tags: index % 2 === 0 ? 'even' : 'odd',
          category: 'test',
        });
        ids.unshift(response.body.images[0].image_id);
      }
    });

    it('lists newest first, page by page with an opaque cursor', async () => {
      const first = await lister.get('/api/v1/images?limit=2');
      expect(first.body.items.map((item: { image_id: string }) => item.image_id)).toEqual(ids.slice(0, 2));
      const second = await lister.get(`/api/v1/images?limit=2&cursor=${first.body.next_cursor}`);
      expect(second.body.items.map((item: { image_id: string }) => item.image_id)).toEqual(ids.slice(2, 4));
      const third = await lister.get(`/api/v1/images?limit=2&cursor=${second.body.next_cursor}`);
      expect(third.body.items.map((item: { image_id: string }) => item.image_id)).toEqual(ids.slice(4));
    });

    it('filters by tag, category and date', async () => {
      const even = await lister.get('/api/v1/images?tag=even');
      expect(even.body.items.map((item: { image_id: string }) => item.image_id)).toEqual([ids[0], ids[2], ids[4]]);
      expect((await lister.get('/api/v1/images?category=other')).body.items).toEqual([]);
      expect((await lister.get('/api/v1/images?to=2000-01-01')).body.items).toEqual([]);
      expect((await lister.get('/api/v1/images?from=2000-01-01&limit=100')).body.items).toHaveLength(5);
    });

    it('lists nothing for an empty date range or a cursor past it, and starts a cursor newer than it at its end', async () => {
      const all = (await lister.get('/api/v1/images?limit=100')).body.items as Array<{ created_at: string }>;
      expect((await lister.get('/api/v1/images?from=2999-01-01&to=2000-01-01')).body.items).toEqual([]);
      const newest = await lister.get('/api/v1/images?limit=1');
      const pastOldestEnd = await lister.get(`/api/v1/images?cursor=${newest.body.next_cursor}&from=2999-01-01`);
      expect(pastOldestEnd.status).toBe(200);
      expect(pastOldestEnd.body.items).toEqual([]);
      // A cursor at the newest image, with a range that ends two images older: the range's own newest first.
      const beforeRange = await lister.get(`/api/v1/images?cursor=${newest.body.next_cursor}&to=${all[2]!.created_at}`);
      expect(beforeRange.body.items.map((item: { image_id: string }) => item.image_id)).toEqual(ids.slice(2));
    });

    it.each([
      ['a bad cursor', 'cursor=bm90LWEtY3Vyc29y', 'cursor'],
      ['a limit of 0', 'limit=0', 'limit'],
      ['a limit over 100', 'limit=101', 'limit'],
      ['an unknown parameter', 'sort=oldest', 'sort'],
      ['an unknown status', 'status=lost', 'status'],
      ['a date that is not a date', 'from=yesterday', 'from'],
    ])('refuses %s with 400', async (_case, query, field) => {
      const response = await lister.get(`/api/v1/images?${query}`);
      expect(response.status).toBe(400);
      expect(response.body.errors.map((error: { field: string }) => error.field)).toEqual([field]);
    });
  });
});
