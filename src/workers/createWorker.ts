import { Client } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import type { AiProvider } from '../ai/aiProvider';
import { ImageWorkflows } from '../clients/imageWorkflows';
import { pipelineRunsOf } from '../clients/pipelineRuns';
import type { Config } from '../config';
import { ImageUrls } from '../services/imageUrls';
import { webhookEventData } from '../services/webhookEventData';
import { WebhookEvents } from '../services/webhookEvents';
import type { Storage } from '../storage/createStorage';
import { postWebhook } from '../webhooks/postWebhook';
import { checkWebhookUrl } from '../webhooks/webhookUrl';

/**
 * A worker for the image workflows and their activities: what the worker process runs, and what tests run on a task
 * queue of their own.
 */
export function createWorker(deps: {
  connection: NativeConnection;
  config: Config;
  storage: Storage;
  ai: AiProvider;
  taskQueue?: string;
}): Promise<Worker> {
  const { config, storage } = deps;
  const taskQueue = deps.taskQueue ?? config.temporal.taskQueue;
  // Webhook events go to delivery runs on this worker's own queue, over its own connection.
  const workflows = new ImageWorkflows(
    new Client({ connection: deps.connection, namespace: config.temporal.namespace }),
    taskQueue,
  );
  const policy = { insecureHosts: config.webhooks.insecureHosts };
  return Worker.create({
    connection: deps.connection,
    namespace: config.temporal.namespace,
    taskQueue,
    workflowsPath: require.resolve('../workflows'),
    activities: createActivities({
      storage,
      ai: deps.ai,
      config,
      runs: pipelineRunsOf(deps.connection.workflowService, config.temporal.namespace),
      events: new WebhookEvents(storage.webhooks, storage.heldEvents, workflows, config),
      webhooks: {
        eventData: webhookEventData(storage, new ImageUrls(storage.objects, config.urls, () => new Date())),
        send: (url, body, headers) => {
          // Checked again at each attempt: an endpoint stored under a looser policy is held to today's.
          let checked: URL;
          try {
            checked = checkWebhookUrl(url, policy);
          } catch (error) {
            return Promise.resolve({
              kind: 'unreachable',
              reason: `refused: ${(error as Error).message}`,
              latencyMs: 0,
            });
          }
          return postWebhook(checked, body, headers, policy, { timeoutMs: config.webhooks.timeoutMs });
        },
      },
    }),
    maxConcurrentActivityTaskExecutions: config.worker.maxConcurrentActivities,
    maxConcurrentWorkflowTaskExecutions: config.worker.maxConcurrentWorkflowTasks,
    shutdownGraceTime: config.worker.shutdownGraceMs,
  });
}
