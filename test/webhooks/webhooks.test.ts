import { gradientJpeg } from '../fixtures/images';
import { ApiClient, waitForImage } from '../harness/httpClient';
import { startService, type RunningService } from '../harness/service';
import { createTestUser, type TestUser } from '../harness/users';
import { startWebhookReceiver, type WebhookReceiver } from '../harness/webhookReceiver';
import { eventually } from '../harness/eventually';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Webhook endpoints on the real stack: registered over the API, told of each image's outcome, deletion and restore
 * by the delivery runs, signed as Standard Webhooks say (checked with the `standardwebhooks` library, as a receiver
 * would), logged per endpoint. The receiver is on loopback, which WEBHOOK_INSECURE_HOSTS allows here; the secrets
 * are sealed in the table (WEBHOOK_SECRETS_KEY).
 */
describe('webhooks', () => {
  let service: RunningService;
  let user: TestUser;
  let client: ApiClient;
  let uploads = 0;

  beforeAll(async () => {
    // Secrets sealed in the table, as in production: the worker opens them to sign.
    service = await startService(
      {},
      {
        WEBHOOK_INSECURE_HOSTS: '127.0.0.1',
        WEBHOOK_MAX_ENDPOINTS: '2',
        WEBHOOK_FIRST_RETRY_SECONDS: '1',
        WEBHOOK_SECRETS_KEY: 'webhooks-test-sealing-key-of-32-characters-or-more',
      },
    );
    user = await createTestUser(service.api.config);
    client = new ApiClient(service.api.url, user.idToken);
  });
  afterAll(() => service.stop());

  const register = (url: string, events: string[], as = client) =>
    as.request('POST', '/api/v1/webhooks', {
      body: JSON.stringify({ url, events, description: 'test receiver' }),
      headers: { 'content-type': 'application/json' },
    });
  /** A new image of the user's (other bytes each time), once it is processed. */
  const processedImage = async () => {
    const upload = await client.upload([{ name: 'hooked.jpg', body: await gradientJpeg(300 + uploads++, 200) }]);
    expect(upload.status).toBe(202);
    const imageId = upload.body.images[0].image_id as string;
    expect((await waitForImage(client, imageId)).body.status).toBe('completed');
    return imageId;
  };

  describe('endpoints', () => {
    it('registers one with its secret shown once, lists and reads it without, removes it', async () => {
      const created = await register('http://127.0.0.1:9/hooks', ['image.completed']);
      expect(created.status).toBe(201);
      expect(created.headers.get('cache-control')).toBe('no-store');
      expect(created.body).toMatchObject({ url: 'http://127.0.0.1:9/hooks', events: ['image.completed'] });
      expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
      const { webhook_id: id } = created.body;
      expect(created.headers.get('location')).toBe(`${service.api.url}/api/v1/webhooks/${id}`);

      const listed = await client.get('/api/v1/webhooks');
      expect(listed.body.webhooks.map((hook: { webhook_id: string }) => hook.webhook_id)).toContain(id);
      const read = await client.get(`/api/v1/webhooks/${id}`);
      expect(read.status).toBe(200);
      expect(JSON.stringify([listed.body, read.body])).not.toContain('whsec_');

      expect((await client.request('DELETE', `/api/v1/webhooks/${id}`)).status).toBe(204);
      expect((await client.get(`/api/v1/webhooks/${id}`)).status).toBe(404);
      expect((await client.request('DELETE', `/api/v1/webhooks/${id}`)).status).toBe(404);
    });

    it('refuses URLs that are not https or lead to private addresses, and bad event lists', async () => {
      // Not http(s) at all: the request's schema refuses it (422); the rest, the service's URL check (400).
      for (const [url, status] of [
        ['ftp://example.com/hooks', 422],
        ['not a url', 422],
        ['http://example.com/hooks', 400],
        ['https://169.254.169.254/latest/meta-data', 400],
        ['https://10.1.2.3/hooks', 400],
        ['https://localhost/hooks', 400],
        ['https://user:secret@example.com/hooks', 400],
      ] as const) {
        const refused = await register(url, ['image.completed']);
        expect([url, refused.status]).toEqual([url, status]);
        expect(refused.headers.get('content-type')).toContain('application/problem+json');
        expect(refused.body.errors[0].field).toBe('url');
      }
      expect((await register('https://example.com/hooks', [])).status).toBe(422);
      expect((await register('https://example.com/hooks', ['image.exploded'])).status).toBe(422);
    });

    it('holds at most WEBHOOK_MAX_ENDPOINTS per user, even when registered at once', async () => {
      const other = new ApiClient(service.api.url, (await createTestUser(service.api.config)).idToken);
      const answers = await Promise.all(
        [1, 2, 3, 4].map((n) => register(`https://example.com/hooks/${n}`, ['image.failed'], other)),
      );
      expect(answers.map((answer) => answer.status).sort()).toEqual([201, 201, 409, 409]);
      const ids = answers.filter((a) => a.status === 201).map((a) => a.body.webhook_id as string);
      expect((await other.request('DELETE', `/api/v1/webhooks/${ids[0]}`)).status).toBe(204);
      expect((await register('https://example.com/hooks/5', ['image.failed'], other)).status).toBe(201);
    });

    it("answers 404 for another user's endpoint, whatever the route", async () => {
      const created = await register('https://example.com/private', ['image.completed']);
      const id = created.body.webhook_id as string;
      const stranger = new ApiClient(service.api.url, (await createTestUser(service.api.config)).idToken);
      expect((await stranger.get(`/api/v1/webhooks/${id}`)).status).toBe(404);
      expect((await stranger.get(`/api/v1/webhooks/${id}/deliveries`)).status).toBe(404);
      expect((await stranger.request('POST', `/api/v1/webhooks/${id}/rotate`)).status).toBe(404);
      expect((await stranger.request('DELETE', `/api/v1/webhooks/${id}`)).status).toBe(404);
      expect((await client.get(`/api/v1/webhooks/${id}`)).status).toBe(200);
      await client.request('DELETE', `/api/v1/webhooks/${id}`);
    });
  });

  describe('delivery', () => {
    let receiver: WebhookReceiver;
    let secret: string;
    let webhookId: string;

    beforeAll(async () => {
      receiver = await startWebhookReceiver();
      const created = await register(receiver.url, ['image.completed', 'image.deleted', 'image.restored']);
      expect(created.status).toBe(201);
      ({ secret, webhook_id: webhookId } = created.body);
    });
    afterAll(async () => {
      await client.request('DELETE', `/api/v1/webhooks/${webhookId}`);
      await receiver.close();
    });

    it('tells of each completed image, then of its deletion and restore, in order, signed', async () => {
      const images = [await processedImage(), await processedImage(), await processedImage()];
      await eventually(() => receiver.delivered().length >= 3);
      const deleted = await client.request('DELETE', `/api/v1/images/${images[0]}`);
      expect(deleted.status).toBe(200);
      expect((await client.request('POST', `/api/v1/images/${images[0]}/restore`)).status).toBe(200);
      await eventually(() => receiver.delivered().length >= 5);

      const delivered = receiver.delivered();
      expect(delivered.map((event) => [event.type, event.data.image_id])).toEqual([
        ['image.completed', images[0]],
        ['image.completed', images[1]],
        ['image.completed', images[2]],
        ['image.deleted', images[0]],
        ['image.restored', images[0]],
      ]);
      expect(delivered[0]!.id).toBe(`evt_${images[0]}_completed`);
      // The image's view as GET /images/{id} gives it, its links under the API the endpoint was registered on.
      expect(delivered[0]!.data).toMatchObject({
        status: 'completed',
        urls: { self: `${service.api.url}/api/v1/images/${images[0]}` },
      });
      expect(delivered[3]!.data).toMatchObject({ deleted: 'soft', restorable_until: expect.any(String) });
      receiver.verifyAll(secret);

      const log = await client.get(`/api/v1/webhooks/${webhookId}/deliveries`);
      expect(log.status).toBe(200);
      expect(log.body.deliveries).toHaveLength(5);
      expect(log.body.deliveries[0]).toMatchObject({
        event_type: 'image.restored',
        outcome: 'delivered',
        status_code: 200,
        attempt: 1,
      });
    });

    it('signs with the previous secret too for a day after a rotation', async () => {
      const rotated = await client.request('POST', `/api/v1/webhooks/${webhookId}/rotate`);
      expect(rotated.status).toBe(200);
      const before = receiver.arrived.length;
      await processedImage();
      await eventually(() => receiver.arrived.length > before);
      const [latest] = receiver.arrived.slice(before);
      expect(latest!.signature.split(' ')).toHaveLength(2);
      receiver.verifyAll(secret);
      receiver.verifyAll(rotated.body.secret, before);
      const read = await client.get(`/api/v1/webhooks/${webhookId}`);
      expect(read.body.previous_secret_expires_at).toBe(rotated.body.previous_secret_expires_at);
    });

    it('retries a receiver that is down, then failing, until it takes each event once', async () => {
      await receiver.stopListening();
      const first = await processedImage();
      await eventually(async () =>
        (await client.get(`/api/v1/webhooks/${webhookId}/deliveries`)).body.deliveries.some(
          (entry: { outcome: string; error?: string }) => entry.outcome === 'failed' && entry.error,
        ),
      );
      receiver.answer({ status: 500 });
      await receiver.listen();
      const second = await processedImage();
      await eventually(() => receiver.arrived.some((request) => request.answered === 500));
      receiver.answer({ status: 200 });
      await eventually(() => receiver.delivered().some((event) => event.data.image_id === second), 60_000);

      const ids = receiver.delivered().map((event) => event.id);
      expect(ids.filter((id) => id === `evt_${first}_completed`)).toHaveLength(1);
      expect(ids.indexOf(`evt_${first}_completed`)).toBeLessThan(ids.indexOf(`evt_${second}_completed`));
      const log = (await client.get(`/api/v1/webhooks/${webhookId}/deliveries`)).body.deliveries;
      expect(log.filter((entry: { outcome: string }) => entry.outcome === 'failed').length).toBeGreaterThan(1);
    });

    it('disables an endpoint whose receiver answers 410, and sends it nothing more', async () => {
      receiver.answer({ status: 410 });
      const before = receiver.arrived.length;
      await processedImage();
      await eventually(async () => (await client.get(`/api/v1/webhooks/${webhookId}`)).body.status === 'disabled');
      expect((await client.get(`/api/v1/webhooks/${webhookId}`)).body.disabled_reason).toContain('410');
      await processedImage();
      await sleep(1_500);
      expect(receiver.arrived.length).toBe(before + 1);
    });
  });
});
