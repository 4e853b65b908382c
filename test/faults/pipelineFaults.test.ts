import crypto from 'node:crypto';
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Client } from '@temporalio/client';
import { imagePrefix } from '../../src/contracts';
import { createDocumentClient, createDynamoDbClient } from '../../src/clients/dynamodb';
import { createTemporalClient } from '../../src/clients/temporal';
import type { Config } from '../../src/config';
import { ImageWorkflows } from '../../src/clients/imageWorkflows';
import { ensureBucket } from '../../src/provisioning/ensureBucket';
import type { PipelineProgress } from '../../src/contracts';
import { gradientJpeg } from '../fixtures/images';
import { storeUploadedImage } from '../harness/images';
import { startPrivateS3 } from '../harness/privateS3';
import { testConfig } from '../harness/stackEnv';
import { testStorage } from '../harness/storage';
import { startWorker } from '../harness/worker';
import { startWorkerProcess } from '../harness/workerProcess';

/**
 * Faults in the middle of a run: the run must complete, with exactly one object per key and one item per image.
 * Many large thumbnails make the thumbnail step last long enough (seconds) to be interrupted half-way.
 */
const SIZES = '256,512,1024,1536,2048,2560,3072,3584,4000';
const SIZE_COUNT = SIZES.split(',').length;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function objectKeys(s3: S3Client, config: Config, prefix: string): Promise<string[]> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: config.s3.bucket, Prefix: prefix }));
  return (listed.Contents ?? []).map((object) => object.Key!);
}

/** Waits until the thumbnail step has stored at least one thumbnail and is still going. */
async function untilHalfWayThroughThumbnails(s3: S3Client, config: Config, prefix: string): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    const thumbnails = (await objectKeys(s3, config, `${prefix}thumbnails/`)).length;
    if (thumbnails >= 1 && thumbnails < SIZE_COUNT) return;
    if (thumbnails >= SIZE_COUNT) throw new Error('the thumbnail step ended before it could be interrupted');
    await sleep(25);
  }
  throw new Error('the thumbnail step never started');
}

async function attemptsOfThumbnails(client: Client, workflowId: string): Promise<number> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const scheduled = history.events!.find(
    (event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'createThumbnails',
  )!;
  const started = history.events!.find(
    (event) => event.activityTaskStartedEventAttributes?.scheduledEventId?.toString() === scheduled.eventId!.toString(),
  );
  return started!.activityTaskStartedEventAttributes!.attempt!;
}

describe('pipeline under faults', () => {
  const dynamodb = createDynamoDbClient(testConfig());
  const documents = createDocumentClient(dynamodb);
  const temporal = createTemporalClient(testConfig());
  let original: Buffer;

  beforeAll(async () => {
    original = await gradientJpeg(4000, 3000);
  });
  afterAll(async () => {
    await temporal.connection.close();
    dynamodb.destroy();
  });

  /** Exactly the original and one object per thumbnail size; exactly one image item and one embedding. */
  async function expectNoDuplicates(s3: S3Client, config: Config, userId: string, imageId: string): Promise<void> {
    const keys = await objectKeys(s3, config, imagePrefix(userId, imageId));
    expect(keys).toHaveLength(1 + SIZE_COUNT);
    expect(keys.filter((key) => key.endsWith('/original'))).toHaveLength(1);
    // Image ids are UUIDs: the partition's other items (the embeddings' version) are not images.
    for (const table of [config.dynamodb.imagesTable, config.dynamodb.embeddingsTable]) {
      const items = await documents.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'user_id = :user',
          ExpressionAttributeValues: { ':user': userId },
        }),
      );
      expect(items.Items!.filter((item) => item.image_id !== '#version')).toHaveLength(1);
    }
  }

  /** Starts another worker process on the run's queue and waits until the run has completed. */
  async function completeOnANewWorker(workerEnv: Record<string, string>, workflowId: string): Promise<void> {
    const worker = await startWorkerProcess(workerEnv);
    try {
      const progress: PipelineProgress = await temporal.workflow.getHandle(workflowId).result();
      expect(progress.status).toBe('completed');
    } finally {
      await worker.kill('SIGTERM');
    }
  }

  it('completes a run whose worker is killed with SIGKILL half-way through, on a new worker', async () => {
    const taskQueue = `faults-${crypto.randomUUID()}`;
    const config = testConfig({ THUMBNAIL_SIZES: SIZES });
    const storage = testStorage(config);
    const { s3 } = storage.clients;
    const workerEnv = { TEMPORAL_TASK_QUEUE: taskQueue, THUMBNAIL_SIZES: SIZES };
    try {
      const first = await startWorkerProcess(workerEnv);
      const input = await storeUploadedImage(storage, original);
      const workflowId = await new ImageWorkflows(temporal, taskQueue).start(input);

      await untilHalfWayThroughThumbnails(s3, config, imagePrefix(input.userId, input.imageId));
      await first.kill('SIGKILL');
      await completeOnANewWorker(workerEnv, workflowId);
      // The killed attempt was noticed by its missing heartbeats and run again from the start by the new worker.
      expect(await attemptsOfThumbnails(temporal, workflowId)).toBe(2);
      expect((await storage.images.get(input.userId, input.imageId))!.thumbnails).toHaveLength(SIZE_COUNT);
      await expectNoDuplicates(s3, config, input.userId, input.imageId);
    } finally {
      storage.destroy();
    }
  }, 120_000);

  it('lets a worker stopped with SIGTERM finish the thumbnails it began, then exit within its grace', async () => {
    // What ECS does to a task it stops (scale-in, a deployment): SIGTERM, then SIGKILL after the stop timeout. The
    // worker stops polling and finishes what it holds within WORKER_SHUTDOWN_GRACE_MS, under that timeout.
    const taskQueue = `drain-${crypto.randomUUID()}`;
    const config = testConfig({ THUMBNAIL_SIZES: SIZES });
    const storage = testStorage(config);
    const { s3 } = storage.clients;
    const workerEnv = { TEMPORAL_TASK_QUEUE: taskQueue, THUMBNAIL_SIZES: SIZES, WORKER_SHUTDOWN_GRACE_MS: '45000' };
    try {
      const first = await startWorkerProcess(workerEnv);
      const input = await storeUploadedImage(storage, original);
      const workflowId = await new ImageWorkflows(temporal, taskQueue).start(input);
      await untilHalfWayThroughThumbnails(s3, config, imagePrefix(input.userId, input.imageId));
      const stopping = Date.now();
      await first.kill('SIGTERM');
      const stoppedInMs = Date.now() - stopping;
      // Every size was written by the attempt under way, before the process left.
      expect((await objectKeys(s3, config, `${imagePrefix(input.userId, input.imageId)}thumbnails/`)).length).toBe(
        SIZE_COUNT,
      );
      expect(stoppedInMs).toBeLessThan(45_000);
      await completeOnANewWorker(workerEnv, workflowId);
      // Finished by the worker that began it: not timed out and run again.
      expect(await attemptsOfThumbnails(temporal, workflowId)).toBe(1);
      await expectNoDuplicates(s3, config, input.userId, input.imageId);
      process.stdout.write(
        `SIGTERM half-way through the thumbnails: the worker finished them and exited in ${stoppedInMs} ms\n`,
      );
    } finally {
      storage.destroy();
    }
  }, 150_000);

  it('completes a run whose storage goes away for a few seconds half-way through', async () => {
    const privateS3 = await startPrivateS3();
    const config = testConfig({ THUMBNAIL_SIZES: SIZES, S3_ENDPOINT: privateS3.endpoint });
    const storage = testStorage(config);
    const { s3 } = storage.clients;
    const worker = await startWorker(config);
    try {
      await ensureBucket(s3, config.s3.bucket, config.aws.region);
      const input = await storeUploadedImage(storage, original);
      const workflowId = await new ImageWorkflows(temporal, worker.taskQueue).start(input);

      await untilHalfWayThroughThumbnails(s3, config, imagePrefix(input.userId, input.imageId));
      await privateS3.stop();
      await sleep(3_000);
      await privateS3.start();

      const progress: PipelineProgress = await temporal.workflow.getHandle(workflowId).result();
      expect(progress.status).toBe('completed');
      expect(await attemptsOfThumbnails(temporal, workflowId)).toBeGreaterThan(1);
      await expectNoDuplicates(s3, config, input.userId, input.imageId);
    } finally {
      await worker.stop();
      storage.destroy();
      await privateS3.remove();
    }
  }, 120_000);
});
