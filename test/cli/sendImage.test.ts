import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createApiClient } from '../../src/cli/apiClient';
import { ApiSession } from '../../src/cli/apiSession';
import { sendImage } from '../../src/cli/upload/sendImage';
import { startApi, type RunningApi } from '../harness/apiServer';
import { ApiClient } from '../harness/httpClient';
import { startRecordingServer } from '../harness/recordingServer';
import { startTcpForwarder } from '../harness/tcpForwarder';
import { createTestUser, type TestUser } from '../harness/users';
import { gradientJpeg } from '../fixtures/images';

/**
 * The CLI's sending of one file, by either route, when the bytes arrived after its check: the API's `duplicate_of`
 * answer makes it a duplicate of the image held. No worker: what is tested happens before processing.
 */
describe('sendImage', () => {
  let api: RunningApi;
  let work: string;

  beforeAll(async () => {
    api = await startApi({ TEMPORAL_TASK_QUEUE: `no-worker-${crypto.randomUUID()}` });
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'imagepipe-send-'));
  });
  afterAll(async () => {
    await api.close();
    await fs.rm(work, { recursive: true, force: true });
  });

  const cliClient = (apiUrl: string, user: TestUser) =>
    createApiClient(
      new ApiSession(
        {
          api_url: apiUrl,
          email: user.email,
          refresh_token: 'unused: the access token is valid',
          access_token: user.idToken,
          access_expires_at: Date.now() + 600_000,
        },
        async () => undefined,
      ),
    );

  it.each([
    ['multipart', Number.MAX_SAFE_INTEGER],
    ['direct', 0],
  ])('counts bytes the library got meanwhile as a duplicate (%s)', async (route, directAbove) => {
    const user = await createTestUser(api.config);
    const body = await gradientJpeg(150, 100);
    const held = await new ApiClient(api.url, user.idToken).upload([{ name: 'held.jpg', body }]);
    expect(held.status).toBe(202);
    const file = path.join(work, `${route}.jpg`);
    await fs.writeFile(file, body);
    const sent = await sendImage(
      cliClient(api.url, user),
      { path: file, size: body.length, contentType: 'image/jpeg' },
      directAbove,
    );
    expect(sent).toEqual({ result: 'duplicate', image_id: held.body.images[0].image_id, status: 'processing' });
  });

  it('sends a file by the presigned route when the deployment cannot take it as multipart (413 max_request_bytes)', async () => {
    const capped = await startApi({
      TEMPORAL_TASK_QUEUE: `no-worker-${crypto.randomUUID()}`,
      UPLOAD_MAX_REQUEST_BYTES: '2000',
    });
    try {
      const user = await createTestUser(capped.config);
      const body = await gradientJpeg(300, 200);
      expect(body.length).toBeGreaterThan(2000);
      const file = path.join(work, 'capped.jpg');
      await fs.writeFile(file, body);
      const sent = await sendImage(
        cliClient(capped.url, user),
        { path: file, size: body.length, contentType: 'image/jpeg' },
        Number.MAX_SAFE_INTEGER,
      );
      expect(sent).toEqual({ result: 'uploaded', image_id: expect.any(String), status: 'processing' });
      const listed = await new ApiClient(capped.url, user.idToken).get('/api/v1/images');
      expect(listed.body.items.map((item: { image_id: string }) => item.image_id)).toEqual([
        (sent as { image_id: string }).image_id,
      ]);
    } finally {
      await capped.close();
    }
  });

  it('sends the token to the API only: not to storage, nor to a complete_url it hands out elsewhere', async () => {
    // Storage reached through a recorder of what the CLI sends it; the API's public URL somewhere else.
    const storage = await startTcpForwarder('127.0.0.1', api.config.s3.endpoint!);
    const elsewhere = await startRecordingServer();
    const misplaced = await startApi({
      TEMPORAL_TASK_QUEUE: `no-worker-${crypto.randomUUID()}`,
      S3_PUBLIC_ENDPOINT: storage.url,
      API_PUBLIC_URL: elsewhere.url,
    });
    try {
      const user = await createTestUser(misplaced.config);
      const body = await gradientJpeg(150, 100);
      const file = path.join(work, 'misplaced.jpg');
      await fs.writeFile(file, body);
      const sent = await sendImage(
        cliClient(misplaced.url, user),
        { path: file, size: body.length, contentType: 'image/jpeg' },
        0,
      );
      // The image is completed at the API the client signed in to, by its id: a URL the API hands out is not followed.
      expect(sent).toEqual({ result: 'uploaded', image_id: expect.any(String), status: 'processing' });
      const toStorage = storage.received.join('');
      expect(toStorage).toMatch(/^PUT \/.*X-Amz-Signature=/m);
      expect(toStorage).not.toMatch(/^authorization:/im);
      expect(toStorage).not.toContain(user.idToken);
      expect(elsewhere.requests).toEqual([]);
    } finally {
      await misplaced.close();
      await elsewhere.close();
      await storage.close();
    }
  });
});
