import crypto from 'node:crypto';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { startApi, type RunningApi } from '../harness/apiServer';
import { ApiClient } from '../harness/httpClient';
import { testStorage } from '../harness/storage';
import { createTestUser } from '../harness/users';
import { gradientJpeg } from '../fixtures/images';

const sha256 = (body: Buffer) => crypto.createHash('sha256').update(body).digest('hex');
const json = (body: unknown) => ({ body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

/**
 * The same bytes uploaded again by their owner answer the image they already have (DUPLICATES=link, the default),
 * by either upload path and however many arrive at once; a check tells a client which files to skip; deleting an
 * image frees its bytes. No worker: what is tested happens before processing.
 */
describe('duplicate uploads', () => {
  const storage = testStorage();
  let api: RunningApi;
  let alice: ApiClient;
  let aliceId: string;
  let photo = 0;

  // Distinct bytes for every test: each starts from a library without them.
  const newPhoto = () => gradientJpeg(120 + (photo += 1), 90);

  beforeAll(async () => {
    api = await startApi({ TEMPORAL_TASK_QUEUE: `no-worker-${crypto.randomUUID()}` });
    const user = await createTestUser(api.config);
    alice = new ApiClient(api.url, user.idToken);
    aliceId = user.uid;
  });
  afterAll(async () => {
    await api.close();
    storage.destroy();
  });

  async function imagesStored() {
    const { Items = [] } = await storage.clients.documents.send(
      new QueryCommand({
        TableName: api.config.dynamodb.imagesTable,
        KeyConditionExpression: 'user_id = :user',
        ExpressionAttributeValues: { ':user': aliceId },
        ConsistentRead: true,
      }),
    );
    const objects = await storage.clients.s3.send(
      new ListObjectsV2Command({ Bucket: api.config.s3.bucket, Prefix: `users/${aliceId}/images/` }),
    );
    return {
      items: Items.map((item) => ({ id: item.image_id as string, status: item.status as string })),
      originals: (objects.Contents ?? []).map((object) => object.Key!.split('/')[3]!),
    };
  }

  async function directUpload(body: Buffer) {
    const created = await alice.request(
      'POST',
      '/api/v1/images/uploads',
      json({ filename: 'again.jpg', content_type: 'image/jpeg', size: body.length }),
    );
    expect(created.status).toBe(201);
    const { 'Content-Length': _length, ...headers } = created.body.upload.headers as Record<string, string>;
    expect((await fetch(created.body.upload.url, { method: 'PUT', body, headers })).status).toBe(200);
    return created.body.image_id as string;
  }

  it('answers a second multipart upload of the same bytes with the first image, keeping no copy', async () => {
    const body = await newPhoto();
    const first = await alice.upload([{ name: 'beach.jpg', body }]);
    expect(first.status).toBe(202);
    const original = first.body.images[0].image_id as string;
    const before = await imagesStored();

    const again = await alice.upload([
      { name: 'beach (copy).jpg', body },
      { name: 'other.jpg', body: await newPhoto() },
    ]);
    expect(again.status).toBe(202);
    const [fresh, duplicate] = again.body.images;
    expect(duplicate).toEqual({
      image_id: original,
      duplicate_of: original,
      filename: 'beach (copy).jpg',
      status: 'processing',
      status_url: expect.stringMatching(new RegExp(`/api/v1/images/${original}/status$`)),
      image_url: expect.stringMatching(new RegExp(`/api/v1/images/${original}$`)),
    });
    expect(fresh.duplicate_of).toBeUndefined();

    // One more item and original, for the other file alone.
    const after = await imagesStored();
    expect(after.items).toHaveLength(before.items.length + 1);
    expect(after.originals.sort()).toEqual([...before.originals, fresh.image_id].sort());

    const alone = await alice.upload([{ name: 'beach.jpg', body }]);
    expect(alone.status).toBe(200);
    expect(alone.headers.get('location')).toMatch(new RegExp(`/api/v1/images/${original}/status$`));
  });

  it('answers a direct upload of bytes already held at complete, the same every time it is repeated', async () => {
    const body = await newPhoto();
    const original = (await alice.upload([{ name: 'sea.jpg', body }])).body.images[0].image_id as string;
    const direct = await directUpload(body);

    for (let repeat = 0; repeat < 2; repeat++) {
      const completed = await alice.request('POST', `/api/v1/images/${direct}/complete`);
      expect(completed.status).toBe(200);
      expect(completed.body).toMatchObject({ image_id: original, duplicate_of: original, status: 'processing' });
    }
    // The copy that arrived is removed; the upload stays open, pointing at the image, until its URL expires.
    const stored = await imagesStored();
    expect(stored.originals).not.toContain(direct);
    expect((await alice.get(`/api/v1/images/${direct}`)).body).toMatchObject({
      status: 'awaiting_upload',
      duplicate_of: original,
    });
    expect(
      (await alice.get('/api/v1/images?limit=100')).body.items.map((item: { image_id: string }) => item.image_id),
    ).not.toContain(direct);
  });

  it('keeps one image of identical uploads sent at the same moment', async () => {
    const body = await newPhoto();
    const before = await imagesStored();
    const answers = await Promise.all(
      Array.from({ length: 5 }, (_, index) => alice.upload([{ name: `burst-${index}.jpg`, body }])),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 200, 200, 200, 202]);
    const ids = new Set(answers.map((answer) => answer.body.images[0].image_id as string));
    expect(ids.size).toBe(1);
    const after = await imagesStored();
    expect(after.items).toHaveLength(before.items.length + 1);
    expect(after.originals).toHaveLength(before.originals.length + 1);
  });

  it('tells which of 1,000 files are already held, in the order asked', async () => {
    const held = [await newPhoto(), await newPhoto()];
    const ids: string[] = [];
    for (const body of held) ids.push((await alice.upload([{ name: 'held.jpg', body }])).body.images[0].image_id);
    const files = Array.from({ length: 1_000 }, (_, index) => ({
      sha256: crypto.randomBytes(32).toString('hex'),
      size: 1_000 + index,
    }));
    files[10] = { sha256: sha256(held[0]!), size: held[0]!.length };
    files[999] = { sha256: sha256(held[1]!), size: held[1]!.length };
    // The right checksum with another size is another file.
    files[500] = { sha256: sha256(held[1]!), size: held[1]!.length + 1 };

    const checked = await alice.request('POST', '/api/v1/images/checks', json({ files }));
    expect(checked.status).toBe(200);
    const results = checked.body.results as Array<{ sha256: string; exists: boolean; image_id?: string }>;
    expect(results.map((result) => result.sha256)).toEqual(files.map((file) => file.sha256));
    expect(results.flatMap((result, index) => (result.exists ? [index] : []))).toEqual([10, 999]);
    expect(results[10]).toMatchObject({ image_id: ids[0], status: 'processing' });
    expect(results[999]).toMatchObject({ image_id: ids[1] });

    for (const bad of [
      { files: [] },
      { files: [...files, files[0]] },
      { files: [{ sha256: 'ABC', size: 1 }] },
      { files: [{ sha256: sha256(held[0]!).toUpperCase(), size: 1 }] },
      { files: [{ sha256: sha256(held[0]!), size: -1 }] },
    ]) {
      const refused = await alice.request('POST', '/api/v1/images/checks', json(bad));
      expect(refused.status).toBe(422);
      expect(refused.contentType).toMatch(/^application\/problem\+json/);
    }
    // Another user's checksums are not Alice's.
    const bob = new ApiClient(api.url, (await createTestUser(api.config)).idToken);
    const asBob = await bob.request('POST', '/api/v1/images/checks', json({ files: [files[10]] }));
    expect(asBob.body.results).toEqual([{ ...files[10], exists: false }]);
  });

  it('frees the bytes of a deleted image: uploaded again, they make a new one', async () => {
    const body = await newPhoto();
    const check = () =>
      alice.request('POST', '/api/v1/images/checks', json({ files: [{ sha256: sha256(body), size: body.length }] }));
    const first = (await alice.upload([{ name: 'gone.jpg', body }])).body.images[0].image_id as string;
    expect((await alice.request('DELETE', `/api/v1/images/${first}`)).status).toBe(200);
    expect((await check()).body.results[0].exists).toBe(false);

    const second = await alice.upload([{ name: 'gone.jpg', body }]);
    expect(second.status).toBe(202);
    expect(second.body.images[0].image_id).not.toBe(first);
    expect(second.body.images[0].duplicate_of).toBeUndefined();
    // Restored, the first is back, and the second keeps the bytes it now holds.
    expect((await alice.request('POST', `/api/v1/images/${first}/restore`)).status).toBe(200);
    expect((await check()).body.results[0].image_id).toBe(second.body.images[0].image_id);

    // A hard delete frees them too, and a direct upload of them is then a new image.
    expect((await alice.request('DELETE', `/api/v1/images/${second.body.images[0].image_id}?hard=true`)).status).toBe(
      200,
    );
    expect((await alice.request('DELETE', `/api/v1/images/${first}?hard=true`)).status).toBe(200);
    const direct = await directUpload(body);
    const completed = await alice.request('POST', `/api/v1/images/${direct}/complete`);
    expect(completed.status).toBe(202);
    expect((await check()).body.results[0]).toMatchObject({ exists: true, image_id: direct });
  });

  it('lets a new upload process the bytes of an image that failed', async () => {
    const body = await newPhoto();
    const failed = (await alice.upload([{ name: 'unlucky.jpg', body }])).body.images[0].image_id as string;
    await storage.images.fail(aliceId, failed, 'The AI provider kept failing.', new Date().toISOString());
    const again = await alice.upload([{ name: 'unlucky.jpg', body }]);
    expect(again.status).toBe(202);
    expect(again.body.images[0].image_id).not.toBe(failed);
    const checked = await alice.request(
      'POST',
      '/api/v1/images/checks',
      json({ files: [{ sha256: sha256(body), size: body.length }] }),
    );
    expect(checked.body.results[0].image_id).toBe(again.body.images[0].image_id);
  });

  it('keeps a second copy with DUPLICATES=allow', async () => {
    const allowing = await startApi({ TEMPORAL_TASK_QUEUE: `no-worker-${crypto.randomUUID()}`, DUPLICATES: 'allow' });
    try {
      const client = new ApiClient(allowing.url, (await createTestUser(allowing.config)).idToken);
      const body = await newPhoto();
      const answers = [await client.upload([{ name: 'a.jpg', body }]), await client.upload([{ name: 'a.jpg', body }])];
      expect(answers.map((answer) => answer.status)).toEqual([202, 202]);
      expect(answers[1]!.body.images[0].image_id).not.toBe(answers[0]!.body.images[0].image_id);
    } finally {
      await allowing.close();
    }
  });
});
