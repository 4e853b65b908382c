import crypto from 'node:crypto';
import { startApi, type RunningApi } from '../harness/apiServer';
import { ApiClient } from '../harness/httpClient';
import { startService, type RunningService } from '../harness/service';
import { createTestUser, type TestUser } from '../harness/users';
import { gradientJpeg } from '../fixtures/images';

/** A metric's value on the API's /metrics (0 when absent). */
async function metric(apiUrl: string, name: string): Promise<number> {
  const text = await (await fetch(`${apiUrl}/metrics`)).text();
  const line = text
    .split('\n')
    .find((candidate) => candidate.startsWith(`${name} `) || candidate.startsWith(`${name}{`));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

const statusUrl = (apiUrl: string, imageId: string, query: string) =>
  `${apiUrl}/api/v1/images/${imageId}/status${query}`;

/**
 * GET …/status?wait=N holds the request on Temporal's long poll of the run's end: answered as soon as processing
 * ends, or when the wait (at most STATUS_WAIT_MAX_SECONDS) is over, or dropped when the client leaves; never a
 * query per second.
 */
describe('a status that waits', () => {
  describe('with a worker', () => {
    let service: RunningService;
    let user: TestUser;
    let client: ApiClient;

    beforeAll(async () => {
      service = await startService();
      user = await createTestUser(service.api.config);
      client = new ApiClient(service.api.url, user.idToken);
    });
    afterAll(() => service.stop());

    it('answers once the image is processed, having asked the run nothing while waiting', async () => {
      const queriesBefore = await metric(service.api.url, 'imagepipe_workflow_queries_total');
      const upload = await client.upload([{ name: 'waited.jpg', body: await gradientJpeg(800, 600) }]);
      expect(upload.status).toBe(202);
      const imageId = upload.body.images[0].image_id as string;
      const { data, response } = await client.typed.GET('/api/v1/images/{imageId}/status', {
        params: { path: { imageId }, query: { wait: 30 } },
      });
      expect(response.status).toBe(200);
      expect(data!.status).toBe('completed');
      expect(data!.steps?.every((step) => step.status === 'completed')).toBe(true);
      expect(await metric(service.api.url, 'imagepipe_workflow_queries_total')).toBe(queriesBefore);
      expect(await metric(service.api.url, 'imagepipe_status_waits')).toBe(0);
    });

    it('answers a finished image at once, whatever the wait', async () => {
      const upload = await client.upload([{ name: 'done.jpg', body: await gradientJpeg(640, 480) }]);
      const imageId = upload.body.images[0].image_id as string;
      await client.typed.GET('/api/v1/images/{imageId}/status', { params: { path: { imageId }, query: { wait: 30 } } });
      const began = Date.now();
      const { data } = await client.typed.GET('/api/v1/images/{imageId}/status', {
        params: { path: { imageId }, query: { wait: 60 } },
      });
      expect(data!.status).toBe('completed');
      expect(Date.now() - began).toBeLessThan(2_000);
    });

    it('refuses a wait that is not 0 to 60 whole seconds, naming the parameter', async () => {
      const upload = await client.upload([{ name: 'bad-wait.jpg', body: await gradientJpeg(320, 240) }]);
      const imageId = upload.body.images[0].image_id as string;
      for (const wait of ['61', '-1', '2.5', 'soon']) {
        const response = await client.request('GET', `/api/v1/images/${imageId}/status?wait=${wait}`);
        expect(response.status).toBe(400);
        expect(response.headers.get('content-type')).toContain('application/problem+json');
        expect(JSON.stringify(response.body)).toContain('wait');
      }
    });
  });

  describe('on a queue no worker polls (the image stays processing)', () => {
    let api: RunningApi;
    let capped: RunningApi;
    let user: TestUser;
    let stranger: TestUser;

    beforeAll(async () => {
      const idle = { TEMPORAL_TASK_QUEUE: `no-worker-${crypto.randomUUID()}` };
      api = await startApi(idle);
      capped = await startApi({ ...idle, STATUS_WAIT_MAX_SECONDS: '1' });
      user = await createTestUser(api.config);
      stranger = await createTestUser(api.config);
    });
    afterAll(async () => {
      await api.close();
      await capped.close();
    });

    let uploads = 0;
    /** A new image (other bytes each time: the same bytes again would be answered as a duplicate). */
    const processing = async () => {
      const upload = await new ApiClient(api.url, user.idToken).upload([
        { name: 'idle.jpg', body: await gradientJpeg(320 + uploads++, 240) },
      ]);
      expect(upload.status).toBe(202);
      return upload.body.images[0].image_id as string;
    };

    it('answers processing when the wait is over, held no longer than STATUS_WAIT_MAX_SECONDS', async () => {
      const imageId = await processing();
      const client = new ApiClient(capped.url, user.idToken);
      const began = Date.now();
      const { data } = await client.typed.GET('/api/v1/images/{imageId}/status', {
        params: { path: { imageId }, query: { wait: 30 } },
      });
      const held = Date.now() - began;
      expect(data!.status).toBe('processing');
      expect(held).toBeGreaterThanOrEqual(900);
      expect(held).toBeLessThan(5_000);
    });

    it('ends the wait when the client goes away', async () => {
      const imageId = await processing();
      const dropped = new AbortController();
      const request = fetch(statusUrl(api.url, imageId, '?wait=60'), {
        headers: { authorization: `Bearer ${user.idToken}` },
        signal: dropped.signal,
      }).catch(() => 'dropped');
      const deadline = Date.now() + 5_000;
      while ((await metric(api.url, 'imagepipe_status_waits')) < 1 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await metric(api.url, 'imagepipe_status_waits')).toBe(1);
      dropped.abort();
      expect(await request).toBe('dropped');
      while ((await metric(api.url, 'imagepipe_status_waits')) > 0 && Date.now() < deadline + 5_000)
        await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await metric(api.url, 'imagepipe_status_waits')).toBe(0);
    });

    it("answers 404 at once for another user's image, without waiting", async () => {
      const imageId = await processing();
      const began = Date.now();
      const response = await new ApiClient(api.url, stranger.idToken).request(
        'GET',
        `/api/v1/images/${imageId}/status?wait=60`,
      );
      expect(response.status).toBe(404);
      expect(Date.now() - began).toBeLessThan(2_000);
      expect(await metric(api.url, 'imagepipe_status_waits')).toBe(0);
    });
  });
});
