import crypto from 'node:crypto';
import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { NativeConnection } from '@temporalio/worker';
import { readTaskQueueBacklog } from '../../src/clients/taskQueueBacklog';
import { connectionOptions, createTemporalClient } from '../../src/clients/temporal';
import { WORKFLOW_TYPES } from '../../src/contracts';
import { createLogger } from '../../src/logging/logger';
import { startBacklogMetrics } from '../../src/workers/backlogMetrics';
import { keysOf } from '../harness/stackSecrets';
import { testConfig } from '../harness/stackEnv';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * What the AWS template scales the workers on: the task queue's backlog, read from the local Temporal with a real
 * backlog (runs started on a queue no worker polls) and published to CloudWatch (the stack's moto, which speaks it).
 */
describe('the task queue backlog the workers publish for scaling', () => {
  const suffix = crypto.randomUUID().slice(0, 8);
  const config = testConfig({
    TEMPORAL_TASK_QUEUE: `backlog-${suffix}`,
    WORKER_BACKLOG_METRICS: 'cloudwatch',
    WORKER_BACKLOG_METRICS_NAMESPACE: `imagepipe-test-${suffix}`,
    CLOUDWATCH_ENDPOINT: process.env.SECRETS_MANAGER_ENDPOINT!,
    AWS_ACCESS_KEY_ID: keysOf('ADMIN').accessKeyId,
    AWS_SECRET_ACCESS_KEY: keysOf('ADMIN').secretAccessKey,
  });
  const temporal = createTemporalClient(config);
  const runs: string[] = [];

  afterAll(async () => {
    await Promise.all(
      runs.map((id) =>
        temporal.workflow
          .getHandle(id)
          .terminate()
          .catch(() => undefined),
      ),
    );
    await temporal.connection.close();
  });

  it('reads the waiting tasks and their age, and publishes them per worker', async () => {
    for (let run = 0; run < 3; run++) {
      const workflowId = `backlog-${suffix}-${run}`;
      await temporal.workflow.start(WORKFLOW_TYPES.reclusterAll, {
        taskQueue: config.temporal.taskQueue,
        workflowId,
        args: [{}],
      });
      runs.push(workflowId);
    }
    const connection = await NativeConnection.connect(connectionOptions(config));
    try {
      const read = () =>
        readTaskQueueBacklog(connection.workflowService, config.temporal.namespace, config.temporal.taskQueue);
      let backlog = await read();
      for (let tries = 0; backlog.count < 3 && tries < 50; tries++) {
        await sleep(200);
        backlog = await read();
      }
      // The age of the oldest as of when Temporal computed the figures (it keeps them a little while).
      expect(backlog).toEqual({ count: 3, ageSeconds: expect.any(Number), workers: 0 });
      expect(backlog.ageSeconds).toBeGreaterThan(0);

      // Published once at start, then every interval.
      const publisher = startBacklogMetrics(
        config,
        config.worker.backlogMetrics!,
        connection.workflowService,
        createLogger('test', 'silent'),
      );
      const cloudWatch = new CloudWatchClient({
        region: config.aws.region,
        endpoint: config.worker.backlogMetrics!.endpoint,
        credentials: config.aws.credentials,
      });
      try {
        const statistic = async (metric: string) => {
          const { Datapoints } = await cloudWatch.send(
            new GetMetricStatisticsCommand({
              Namespace: config.worker.backlogMetrics!.namespace,
              MetricName: metric,
              Dimensions: [{ Name: 'TaskQueue', Value: config.temporal.taskQueue }],
              StartTime: new Date(Date.now() - 600_000),
              EndTime: new Date(Date.now() + 60_000),
              Period: 60,
              Statistics: ['Maximum'],
            }),
          );
          return Datapoints?.[0]?.Maximum;
        };
        let perWorker = await statistic('BacklogPerWorker');
        for (let tries = 0; perWorker === undefined && tries < 50; tries++) {
          await sleep(200);
          perWorker = await statistic('BacklogPerWorker');
        }
        // No worker polls this queue: the whole backlog reads as one worker's.
        expect(perWorker).toBe(3);
        expect(await statistic('ApproximateBacklogCount')).toBe(3);
        expect(await statistic('ApproximateBacklogAge')).toBeGreaterThan(0);
      } finally {
        publisher.stop();
        cloudWatch.destroy();
      }

      // A worker polling for activity tasks counts (two polls of one worker count once).
      for (let poll = 0; poll < 2; poll++) {
        await connection
          .withDeadline(Date.now() + 3_000, () =>
            connection.workflowService.pollActivityTaskQueue({
              namespace: config.temporal.namespace,
              taskQueue: { name: config.temporal.taskQueue },
              identity: 'worker-a@test',
            }),
          )
          .catch(() => undefined);
      }
      let polled = await read();
      for (let tries = 0; polled.workers === 0 && tries < 50; tries++) {
        await sleep(200);
        polled = await read();
      }
      expect(polled.workers).toBe(1);
    } finally {
      await connection.close();
    }
  }, 60_000);
});
