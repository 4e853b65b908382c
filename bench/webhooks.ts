/**
 * bench/webhooks: how fast signed webhooks go out, and what each costs. On a throwaway local stack, the service as
 * production runs it (one API and one worker process) and a receiver on loopback (allowed by WEBHOOK_INSECURE_HOSTS):
 * E endpoints are registered over the API, N events are queued for each (as the pipeline queues them, by
 * signal-with-start on the endpoint's delivery run), and the receiver counts them in. Prints deliveries per second,
 * the delay from queueing to arrival (p50, p95), the worker's CPU per delivery, and the Temporal actions, DynamoDB
 * requests and units per delivery. Events are image.deleted of images that never were: their data needs no read.
 * Then what a delete costs the API (its event held while the delete is made), for a user with an endpoint that
 * wants image.deleted and for one without: DynamoDB requests and units per soft delete, and the events that arrived.
 *   npx tsx bench/webhooks.ts [events per endpoint=200] [endpoints=1,4] [deletes=20]
 */
import crypto from 'node:crypto';
import { ImageWorkflows } from '../src/clients/imageWorkflows';
import { webhookDeliveryWorkflowId, type WebhookEvent } from '../src/contracts';
import { startWebhookReceiver } from '../test/harness/webhookReceiver';
import { gradientJpeg } from '../test/fixtures/images';
import { ApiClient, waitForImage } from '../test/harness/httpClient';
import { createTestUser } from '../test/harness/users';
import { percentile, runBench, withBenchStack } from './benchStack';
import { countsSince, readRunHistories, storeCounts } from './costPerImage';
import { cpuMeter } from './processCpu';
import { startServiceProcesses, type ServiceProcesses } from './serviceProcess';

const EVENTS = Number(process.argv[2] ?? 200);
const ENDPOINT_COUNTS = (process.argv[3] ?? '1,4').split(',').map(Number);
const DELETES = Number(process.argv[4] ?? 20);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function deliveries(service: ServiceProcesses, endpoints: number): Promise<string> {
  const receiver = await startWebhookReceiver();
  try {
    const user = await createTestUser(service.config);
    const headers = { authorization: `Bearer ${user.idToken}`, 'content-type': 'application/json' };
    const webhookIds: string[] = [];
    for (let index = 0; index < endpoints; index++) {
      const created = await fetch(`${service.base}/api/v1/webhooks`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ url: `${receiver.url}/${index}`, events: ['image.deleted'] }),
      });
      if (created.status !== 201) throw new Error(`register: ${created.status} ${await created.text()}`);
      webhookIds.push(((await created.json()) as { webhook_id: string }).webhook_id);
    }
    const workflows = new ImageWorkflows(service.temporal, service.config.temporal.taskQueue);
    const timing = { attemptSeconds: 15, firstRetrySeconds: 5 };
    const queuedAt = new Map<string, number>();
    const workerMetrics = service.metricsUrls[1]!;
    const storeBefore = await storeCounts([workerMetrics]);
    const meter = cpuMeter({ worker: service.worker.pid! });
    const began = Date.now();
    // The events of each endpoint queued in order, the endpoints side by side, as a busy library would make them.
    await Promise.all(
      webhookIds.map(async (webhookId) => {
        for (let index = 0; index < EVENTS; index++) {
          const event: WebhookEvent = {
            id: `evt_${crypto.randomUUID()}`,
            type: 'image.deleted',
            userId: user.uid,
            imageId: crypto.randomUUID(),
            occurredAt: new Date().toISOString(),
            deletion: { kind: 'hard' },
          };
          queuedAt.set(event.id, Date.now());
          await workflows.enqueueWebhookEvent(user.uid, webhookId, event, timing);
        }
      }),
    );
    const total = EVENTS * endpoints;
    while (receiver.delivered().length < total) {
      if (Date.now() - began > 5 * 60_000)
        throw new Error(
          `only ${receiver.delivered().length} of ${total} arrived (${receiver.arrived.length} requests)`,
        );
      await sleep(50);
    }
    const seconds = (Date.now() - began) / 1000;
    const cpu = meter();
    const store = countsSince(storeBefore, await storeCounts([workerMetrics]));
    const delays = receiver.delivered().map((event) => event.at - queuedAt.get(event.id)!);
    const { actions, perRun } = await readRunHistories(service.temporal, webhookIds.map(webhookDeliveryWorkflowId));
    const actionCount = Object.values(actions).reduce((sum, value) => sum + value, 0);
    const dynamodb = Object.entries(store.requests)
      .filter(([key]) => key.startsWith('dynamodb '))
      .reduce((sum, [, value]) => sum + value, 0);
    return [
      `${endpoints} endpoint(s) x ${EVENTS} events: ${(total / seconds).toFixed(1)} deliveries/s, queued to arrived p50 ${percentile(delays, 50)} ms, p95 ${percentile(delays, 95)} ms`,
      `  per delivery: worker CPU ${((cpu.processes.worker! / total) * 1000).toFixed(1)} ms; Temporal ${(actionCount / total).toFixed(2)} billable actions (${Object.entries(
        actions,
      )
        .map(([kind, count]) => `${kind} ${(count / total).toFixed(2)}`)
        .join(
          ', ',
        )}); DynamoDB ${(dynamodb / total).toFixed(2)} requests, ${(store.writeUnits / total).toFixed(2)} WCU, ${(store.readUnits / total).toFixed(2)} RCU`,
      `  delivery run history: ${perRun.events.toFixed(0)} events, ${(perRun.bytes / 1024).toFixed(1)} KB per endpoint run (continue-as-new every 200 deliveries)`,
    ].join('\n');
  } finally {
    await receiver.close();
  }
}

/** DynamoDB requests and units per soft delete made over the API, for a user with an image.deleted endpoint or not. */
async function deletes(service: ServiceProcesses, withEndpoint: boolean): Promise<string> {
  const receiver = await startWebhookReceiver();
  try {
    const user = await createTestUser(service.config);
    const client = new ApiClient(service.base, user.idToken);
    if (withEndpoint) {
      const created = await client.request('POST', '/api/v1/webhooks', {
        body: JSON.stringify({ url: receiver.url, events: ['image.deleted'] }),
        headers: { 'content-type': 'application/json' },
      });
      if (created.status !== 201) throw new Error(`register: ${created.status}`);
    }
    const imageIds: string[] = [];
    for (let index = 0; index < DELETES; index++) {
      const uploaded = await client.upload([{ name: `d${index}.jpg`, body: await gradientJpeg(160 + index, 120) }]);
      if (uploaded.status !== 202) throw new Error(`upload: ${uploaded.status} ${JSON.stringify(uploaded.body)}`);
      imageIds.push(uploaded.body.images[0].image_id as string);
    }
    for (const imageId of imageIds) await waitForImage(client, imageId, 120_000);
    const apiMetrics = [service.metricsUrls[0]!];
    const before = await storeCounts(apiMetrics);
    for (const imageId of imageIds) {
      const deleted = await client.request('DELETE', `/api/v1/images/${imageId}`);
      if (deleted.status !== 200) throw new Error(`delete: ${deleted.status}`);
    }
    const store = countsSince(before, await storeCounts(apiMetrics));
    if (withEndpoint) {
      const began = Date.now();
      while (receiver.delivered().length < DELETES && Date.now() - began < 60_000) await sleep(50);
    }
    const dynamodb = Object.entries(store.requests).filter(([key]) => key.startsWith('dynamodb '));
    const perDelete = (count: number) => (count / DELETES).toFixed(2);
    const requests = dynamodb.reduce((sum, [, value]) => sum + value, 0);
    const byOperation = dynamodb.map(([key, value]) => `${key.slice('dynamodb '.length)} ${perDelete(value)}`);
    const who = withEndpoint ? 'with an image.deleted endpoint' : 'no endpoint';
    return (
      `${DELETES} soft deletes, ${who}: per delete, API DynamoDB ${perDelete(requests)} requests ` +
      `(${byOperation.join(', ')}), ${perDelete(store.writeUnits)} WCU, ${perDelete(store.readUnits)} RCU; ` +
      `events arrived ${receiver.delivered().length}`
    );
  } finally {
    await receiver.close();
  }
}

async function main(): Promise<void> {
  await withBenchStack(async (stackEnv) => {
    const service = await startServiceProcesses(stackEnv, { WEBHOOK_INSECURE_HOSTS: '127.0.0.1' });
    try {
      for (const endpoints of ENDPOINT_COUNTS) console.log(await deliveries(service, endpoints));
      for (const withEndpoint of [false, true]) console.log(await deletes(service, withEndpoint));
    } finally {
      await service.stop();
    }
  });
}

runBench(main);
