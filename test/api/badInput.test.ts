import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import type { RunningApi } from '../harness/apiServer';
import { emulatorClaims, emulatorToken } from '../harness/emulatorToken';
import { ApiClient, waitForImage, type FilePart } from '../harness/httpClient';
import { startService, type RunningService } from '../harness/service';
import { createTestUser, type TestUser } from '../harness/users';
import { gradientJpeg, pngHeader } from '../fixtures/images';

type Answer = Awaited<ReturnType<ApiClient['request']>>;

const padded = (text: string) => Buffer.from(text + ' '.repeat(2048));
const png = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: '#48c' } })
    .png({ compressionLevel: 0 })
    .toBuffer();

/**
 * Bad input of every kind, each answered with its 4xx problem+json, while one user's library (carol's) must stay
 * empty throughout: nothing refused is half-written anywhere. The server answers its health check at the end.
 */
describe('bad input', () => {
  let service: RunningService;
  let api: RunningApi;
  let carol: ApiClient;
  let carolUser: TestUser;
  let bobsImage: string;

  beforeAll(async () => {
    service = await startService();
    api = service.api;
    carolUser = await createTestUser(api.config);
    carol = new ApiClient(api.url, carolUser.idToken);
    const bob = new ApiClient(api.url, (await createTestUser(api.config)).idToken);
    bobsImage = (await bob.upload([{ name: 'bob.jpg', body: await gradientJpeg(300, 200) }])).body.images[0].image_id;
    await waitForImage(bob, bobsImage);
  });
  afterAll(() => service.stop());

  const upload = (
    file: Partial<FilePart> & { body: Buffer | string },
    fields: Record<string, string | string[]> = {},
  ) => carol.upload([{ name: 'upload.jpg', ...file }], fields);
  const json = (method: string, path: string, body: string) =>
    carol.request(method, path, { body, headers: { 'content-type': 'application/json' } });
  const withToken = (token: string) => carol.withToken(token).get('/api/v1/images');

  const cases: Array<[name: string, send: () => Promise<Answer>, status: number]> = [
    ['a 0-byte file', () => upload({ body: Buffer.alloc(0) }), 422],
    ['a truncated JPEG', async () => upload({ body: (await gradientJpeg(400, 300)).subarray(0, 3000) }), 422],
    [
      'a PNG whose header fails its CRC',
      async () => {
        const body = Buffer.from(await png(100, 100));
        body[29] = body[29]! ^ 0xff;
        return upload({ name: 'crc.png', body, type: 'image/png' });
      },
      422,
    ],
    [
      'a GIF cut before its trailer',
      async () =>
        upload({
          name: 'cut.gif',
          body: (
            await sharp({ create: { width: 120, height: 90, channels: 3, background: '#c33' } })
              .gif()
              .toBuffer()
          ).subarray(0, -1),
        }),
      422,
    ],
    [
      'a WebP longer than it declares',
      async () =>
        upload({
          name: 'long.webp',
          body: Buffer.concat([
            await sharp({ create: { width: 120, height: 90, channels: 3, background: '#3c3' } })
              .webp()
              .toBuffer(),
            Buffer.alloc(600, 1),
          ]),
        }),
      422,
    ],
    ['a text file named .jpg', () => upload({ name: 'photo.jpg', body: padded('just some text, not a photo') }), 415],
    [
      'an SVG',
      () =>
        upload({
          name: 'vector.svg',
          type: 'image/svg+xml',
          body: padded('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        }),
      415,
    ],
    [
      'a PDF',
      () =>
        upload({
          name: 'doc.pdf',
          type: 'application/pdf',
          body: padded('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj'),
        }),
      415,
    ],
    [
      'an HTML file sent as image/png',
      () =>
        upload({
          name: 'page.png',
          type: 'image/png',
          body: padded('<!doctype html><script>alert(document.cookie)</script>'),
        }),
      415,
    ],
    [
      'a polyglot: a JPEG with an HTML payload appended',
      async () =>
        upload({
          body: Buffer.concat([await gradientJpeg(200, 150), Buffer.from('<html><script>alert(1)</script></html>')]),
        }),
      422,
    ],
    [
      'a decompression bomb (a few KB declaring 100000x100000 px)',
      () => upload({ name: 'bomb.png', body: pngHeader(100_000, 100_000) }),
      422,
    ],
    ['dimensions over the limit', async () => upload({ name: 'wide.png', body: await png(4100, 60) }), 422],
    ['dimensions under the limit', async () => upload({ name: 'tiny.png', body: await png(40, 40) }), 422],
    [
      'a file over the size limit (refused while it streams)',
      () => upload({ name: 'huge.png', body: pngHeader(1000, 1000, 11 * 1024 * 1024) }),
      413,
    ],
    [
      'too many files',
      async () => {
        const body = await gradientJpeg(100, 100);
        return carol.upload(Array.from({ length: 11 }, (_, index) => ({ name: `${index}.jpg`, body })));
      },
      413,
    ],
    [
      'too many tags',
      async () =>
        upload({ body: await gradientJpeg(100, 100) }, { tags: Array.from({ length: 11 }, (_, index) => `t${index}`) }),
      422,
    ],
    ['an over-long title', async () => upload({ body: await gradientJpeg(100, 100) }, { title: 'x'.repeat(201) }), 422],
    ['an over-long tag', async () => upload({ body: await gradientJpeg(100, 100) }, { tags: ['y'.repeat(51)] }), 422],
    [
      'an unknown visibility',
      async () => upload({ body: await gradientJpeg(100, 100) }, { visibility: 'everyone' }),
      422,
    ],
    [
      'a NUL byte in a file name (a malformed part header)',
      async () => upload({ name: 'a\u0000b.jpg', body: await gradientJpeg(100, 100) }),
      400,
    ],
    [
      'control characters in a file name (a malformed part header)',
      async () => upload({ name: 'bell\u0007escape\u001b[31m.jpg', body: await gradientJpeg(100, 100) }),
      400,
    ],
    [
      'malformed multipart',
      () =>
        carol.request('POST', '/api/v1/images', {
          body: '--x\r\nnot a part header\r\n\r\n',
          headers: { 'content-type': 'multipart/form-data; boundary=x' },
        }),
      400,
    ],
    ['a body that is not multipart', () => json('POST', '/api/v1/images', '{"file":"aGVsbG8="}'), 415],
    [
      'a direct upload of an unsupported type',
      () =>
        json(
          'POST',
          '/api/v1/images/uploads',
          JSON.stringify({ filename: 'a.svg', content_type: 'image/svg+xml', size: 5000 }),
        ),
      422,
    ],
    [
      'a direct upload over the size limit',
      () =>
        json(
          'POST',
          '/api/v1/images/uploads',
          JSON.stringify({ filename: 'a.png', content_type: 'image/png', size: 50 * 1024 * 1024 }),
        ),
      422,
    ],
    ['invalid JSON', () => json('POST', '/api/v1/images/uploads', '{"filename": '), 400],
    [
      'a huge JSON body',
      () =>
        json(
          'DELETE',
          '/api/v1/images',
          JSON.stringify({ image_ids: Array.from({ length: 5000 }, () => '00000000-0000-4000-8000-000000000000') }),
        ),
      413,
    ],
    ['a missing token', () => carol.withToken(undefined).get('/api/v1/images'), 401],
    ['a malformed token', () => withToken('not.a.token'), 401],
    [
      'an expired token',
      () =>
        withToken(
          emulatorToken(
            emulatorClaims(api.config.firebase.projectId, carolUser.uid, {
              exp: 1_700_000_000,
              iat: 1_699_996_400,
              auth_time: 1_699_996_400,
            }),
          ),
        ),
      401,
    ],
    [
      'a token for another project',
      () => withToken(emulatorToken(emulatorClaims('demo-another-project', carolUser.uid))),
      401,
    ],
    ['a bad cursor', () => carol.get('/api/v1/images?cursor=bm90LWEtY3Vyc29y'), 400],
    ['a limit of 0', () => carol.get('/api/v1/images?limit=0'), 400],
    ['a limit over 100', () => carol.get('/api/v1/images?limit=101'), 400],
    ['an unknown query parameter (refused, as documented)', () => carol.get('/api/v1/images?sort=asc'), 400],
    ['a similar-images limit over 50', () => carol.get(`/api/v1/images/${bobsImage}/similar?limit=51`), 400],
    ['an image id that is not a UUID', () => carol.get('/api/v1/images/..%2F..%2Fetc%2Fpasswd'), 404],
  ];

  it.each(cases)('answers %s with its problem', async (_name, send, status) => {
    const answer = await send();
    expect(answer.status).toBe(status);
    expect(answer.contentType).toContain('application/problem+json');
    expect(answer.body).toMatchObject({ status, type: expect.any(String), title: expect.any(String) });
  });

  const othersImageRoutes: Array<[string, string]> = [
    ['GET', ''],
    ['GET', '/status'],
    ['GET', '/download'],
    ['GET', '/original'],
    ['GET', '/thumbnail?size=256'],
    ['GET', '/similar'],
    ['POST', '/restore'],
    ['POST', '/complete'],
    ['DELETE', ''],
  ];

  it.each(othersImageRoutes)(
    "answers another user's image id on %s %s exactly like a missing one",
    async (method, suffix) => {
      const answer = await carol.request(method, `/api/v1/images/${bobsImage}${suffix}`);
      expect(answer.status).toBe(404);
      expect(answer.body.detail).toBe(`No image ${bobsImage}.`);
    },
  );

  it('keeps a path-traversing file name out of everything but a sanitised label, as documented', async () => {
    const dave = carol.withToken((await createTestUser(api.config)).idToken);
    const answer = await dave.upload([{ name: '../../etc/passwd\u202e.jpg', body: await gradientJpeg(100, 100) }]);
    expect(answer.status).toBe(202);
    const image = await dave.get(`/api/v1/images/${answer.body.images[0].image_id}`);
    expect(image.body.filename).not.toMatch(/[\p{Cc}/\\]|\.\./u);
    expect(image.body.urls.original).toContain(`/images/${image.body.image_id}/original`);
  });

  it('stays up, and nothing refused was written anywhere', async () => {
    expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
    const listed = await service.storage.clients.s3.send(
      new ListObjectsV2Command({ Bucket: api.config.s3.bucket, Prefix: `users/${carolUser.uid}/` }),
    );
    expect(listed.KeyCount).toBe(0);
    expect((await carol.get('/api/v1/images?limit=100')).body.items).toEqual([]);
  });
});
