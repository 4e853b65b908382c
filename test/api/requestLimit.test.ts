import crypto from 'node:crypto';
import { gradientJpeg } from '../fixtures/images';
import { startApi, type RunningApi } from '../harness/apiServer';
import { ApiClient } from '../harness/httpClient';
import { multipartBody } from '../harness/lambdaEvents';
import { createTestUser, type TestUser } from '../harness/users';

describe('a multipart request limit (UPLOAD_MAX_REQUEST_BYTES)', () => {
  let api: RunningApi;
  let user: TestUser;
  let client: ApiClient;

  beforeAll(async () => {
    api = await startApi({ UPLOAD_MAX_REQUEST_BYTES: '60000' });
    user = await createTestUser(api.config);
    client = new ApiClient(api.url).withToken(user.idToken);
  });
  afterAll(() => api.close());

  async function form(file: Buffer) {
    const data = new FormData();
    data.append('files', new Blob([file], { type: 'image/jpeg' }), 'photo.jpg');
    return multipartBody(data);
  }

  it('takes a request within it', async () => {
    const answer = await client.upload([{ name: 'photo.jpg', body: await gradientJpeg(120, 120) }]);
    expect(answer.status).toBe(202);
  });

  it('answers a larger one 413 before reading it, naming the direct-upload route; nothing is stored', async () => {
    const { body, contentType } = await form(crypto.randomBytes(70_000));
    const response = await fetch(`${api.url}/api/v1/images`, {
      method: 'POST',
      body,
      headers: { authorization: `Bearer ${user.idToken}`, 'content-type': contentType },
    });
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await response.json()).toMatchObject({
      rule: 'max_request_bytes',
      max_request_bytes: 60_000,
      direct_upload_url: `${api.url}/api/v1/images/uploads`,
      detail: expect.stringContaining('POST /api/v1/images/uploads') as unknown,
    });
    const listed = await client.get('/api/v1/images');
    expect(listed.body.items).toHaveLength(1);
  });

  it('answers a chunked request of undeclared length 411', async () => {
    const { body, contentType } = await form(await gradientJpeg(120, 120));
    const response = await fetch(`${api.url}/api/v1/images`, {
      method: 'POST',
      body: new Blob([body]).stream(),
      duplex: 'half',
      headers: { authorization: `Bearer ${user.idToken}`, 'content-type': contentType },
    });
    expect(response.status).toBe(411);
    expect(await response.json()).toMatchObject({
      status: 411,
      detail: expect.stringContaining('Content-Length') as unknown,
    });
  });
});
