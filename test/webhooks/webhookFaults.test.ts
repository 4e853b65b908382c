import crypto from 'node:crypto';
import { gradientJpeg } from '../fixtures/images';
import { startApi, type RunningApi } from '../harness/apiServer';
import { ApiClient } from '../harness/httpClient';
import { createTestUser } from '../harness/users';
import { startWebhookReceiver, type WebhookReceiver } from '../harness/webhookReceiver';
import { startWorkerProcess, type WorkerProcess } from '../harness/workerProcess';
import { eventually } from '../harness/eventually';

/**
 * A worker killed with SIGKILL while a delivery is on the wire loses no event: the attempt times out and another
 * worker delivers it again, with the same webhook-id, so the receiver keeps it once.
 */
describe('webhook delivery when the worker is killed mid-delivery', () => {
  const env = {
    TEMPORAL_TASK_QUEUE: `webhook-faults-${crypto.randomUUID()}`,
    WEBHOOK_INSECURE_HOSTS: '127.0.0.1',
    // An attempt is bounded at this plus 5 s: the killed one is retried that soon.
    WEBHOOK_TIMEOUT_SECONDS: '2',
    WEBHOOK_FIRST_RETRY_SECONDS: '1',
  };
  let api: RunningApi;
  let receiver: WebhookReceiver;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    api = await startApi(env);
    // The receiver holds the first request long enough for the worker to be killed while it waits for the answer.
    receiver = await startWebhookReceiver({ status: 200, holdMs: 1_500 });
  });
  afterAll(async () => {
    for (const worker of workers) await worker.kill('SIGTERM');
    await api.close();
    await receiver.close();
  });

  it('delivers the event again from a new worker, with the same id', async () => {
    workers.push(await startWorkerProcess(env));
    const user = await createTestUser(api.config);
    const client = new ApiClient(api.url, user.idToken);
    const created = await client.request('POST', '/api/v1/webhooks', {
      body: JSON.stringify({ url: receiver.url, events: ['image.completed'] }),
      headers: { 'content-type': 'application/json' },
    });
    expect(created.status).toBe(201);
    const upload = await client.upload([{ name: 'killed.jpg', body: await gradientJpeg(420, 300) }]);
    const imageId = upload.body.images[0].image_id as string;

    // The request is on its way when the worker dies: the receiver then answers a connection nobody listens on.
    await eventually(() => receiver.inFlight() > 0, 30_000);
    await workers[0]!.kill('SIGKILL');
    workers.push(await startWorkerProcess(env));

    await eventually(() => receiver.arrived.length >= 2, 60_000);
    const ids = receiver.arrived.map((request) => request.id);
    expect(new Set(ids)).toEqual(new Set([`evt_${imageId}_completed`]));
    expect(receiver.delivered()).toHaveLength(1);
    receiver.verifyAll(created.body.secret);
  });
});
