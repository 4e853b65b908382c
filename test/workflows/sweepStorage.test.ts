import crypto from 'node:crypto';
import { CreateTableCommand, DeleteTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { STOPPED_RUN_REASON } from '../../src/activities/findStrandedImages';
import { ImageWorkflows } from '../../src/clients/imageWorkflows';
import { createTemporalClient } from '../../src/clients/temporal';
import { purgeWorkflowIdOf, WORKFLOW_TYPES, type PurgeCondition, type SweepStorageInput } from '../../src/contracts';
import { ensureTables } from '../../src/provisioning/ensureTables';
import type { ImageRecord } from '../../src/storage/imageRecord';
import { newImageRecord } from '../../src/storage/newImageRecord';
import { IMAGES_RUN_PENDING_INDEX, imagesTableDefinition } from '../../src/storage/tables/imagesTable';
import type { SweepResult } from '../../src/workflows/sweepStorage';
import { gradientJpeg } from '../fixtures/images';
import { storeUploadedImage } from '../harness/images';
import { testConfig } from '../harness/stackEnv';
import { testStorage } from '../harness/storage';
import { startWorker, type RunningWorker } from '../harness/worker';

const HOUR = 3_600_000;

/**
 * An API process killed between writing an image's item and starting its run leaves an image `processing` that no
 * run will ever complete. The storage sweep finds such images through the run-pending GSI and purges them; it leaves
 * alone an image whose run is open or that is young, and fails one whose run was terminated. An images table of this
 * test's own keeps the GSI's contents apart from the other tests sharing the stack.
 */
describe('the storage sweep of images no run took', () => {
  const suffix = crypto.randomUUID().slice(0, 8);
  const config = testConfig({ DYNAMODB_TABLE_IMAGES: `test-images-${suffix}`, TEMPORAL_TASK_QUEUE: `sweep-${suffix}` });
  const storage = testStorage(config);
  const { images, objects } = storage;
  const { dynamodb } = storage.clients;
  const temporal = createTemporalClient(config);
  const idle = new ImageWorkflows(temporal, `no-worker-${suffix}`);
  const twoHoursAgo = () => new Date(Date.now() - 2 * HOUR);
  let worker: RunningWorker;

  beforeAll(async () => {
    // The table as an older release made it, without the run-pending GSI: provisioning adds it.
    const { GlobalSecondaryIndexes, ...definition } = imagesTableDefinition(config.dynamodb.imagesTable);
    await dynamodb.send(
      new CreateTableCommand({
        ...definition,
        AttributeDefinitions: definition.AttributeDefinitions!.filter((a) => a.AttributeName !== 'run_pending'),
        GlobalSecondaryIndexes: GlobalSecondaryIndexes!.filter((index) => index.IndexName !== IMAGES_RUN_PENDING_INDEX),
      }),
    );
  });
  afterAll(async () => {
    await worker?.stop();
    await dynamodb.send(new DeleteTableCommand({ TableName: config.dynamodb.imagesTable }));
    await temporal.connection.close();
    storage.destroy();
  });

  const sweep = (): Promise<SweepResult> =>
    temporal.workflow.execute(WORKFLOW_TYPES.sweepStorage, {
      taskQueue: worker.taskQueue,
      workflowId: `sweep-${crypto.randomUUID()}`,
      args: [{ olderThanHours: 6, strandedAfterMinutes: 30 } satisfies SweepStorageInput],
    });

  const purgeOf = (imageId: string, when: PurgeCondition) =>
    temporal.workflow.getHandle(purgeWorkflowIdOf(imageId, when)).result();

  /** A direct upload whose URL was handed out two hours ago (and has expired), its item written as the API does. */
  async function directUpload(): Promise<ImageRecord> {
    const userId = `user-${crypto.randomUUID()}`;
    const imageId = crypto.randomUUID();
    const at = twoHoursAgo();
    const record: ImageRecord = {
      ...newImageRecord({
        userId,
        imageId,
        at: at.toISOString(),
        status: 'awaiting_upload',
        filename: 'direct.jpg',
        original: { content_type: 'image/jpeg', format: 'jpeg', bytes: 1, sha256: '', width: 0, height: 0 },
        fields: { visibility: 'private' },
      }),
      upload_expires_at: new Date(at.getTime() + 15 * 60_000).toISOString(),
    };
    await images.create(record);
    return record;
  }

  it('adds its GSI to an existing table, with the images already marked in it', async () => {
    const photo = await gradientJpeg(320, 240);
    // Written before the GSI exists: DynamoDB fills the GSI from it when it is added.
    const early = await storeUploadedImage(storage, photo, undefined, twoHoursAgo());
    expect(await ensureTables(dynamodb, config)).toEqual([]);
    const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: config.dynamodb.imagesTable }));
    expect(Table!.GlobalSecondaryIndexes!.map((index) => [index.IndexName, index.IndexStatus]).sort()).toEqual([
      ['by_run_pending', 'ACTIVE'],
      ['by_user_created', 'ACTIVE'],
    ]);
    expect(await images.runPending(new Date().toISOString(), 10)).toEqual([
      { user_id: early.userId, image_id: early.imageId, created_at: expect.any(String) },
    ]);
    await images.remove(early.userId, early.imageId);
    await objects.delete(early.originalKey);
  }, 60_000);

  it('purges images no run took, fails one whose run was terminated, and leaves the rest alone', async () => {
    worker = await startWorker(config, config.temporal.taskQueue);
    const photo = await gradientJpeg(320, 240);
    // Killed between the item and the start: multipart (original stored) and direct (marked uploaded) alike.
    const multipart = await storeUploadedImage(storage, photo, undefined, twoHoursAgo());
    const uploaded = await directUpload();
    await objects.put(uploaded.original_key, photo, { contentType: 'image/jpeg' });
    expect(await images.markUploaded(uploaded.user_id, uploaded.image_id, { ...uploaded, sha256: 'x' }, 'now')).toBe(
      true,
    );
    // Killed between the item and the purge of its URL.
    const neverUploaded = await directUpload();
    // A run still open (on a queue no worker polls), and one an operator terminated.
    const open = await storeUploadedImage(storage, photo, undefined, twoHoursAgo());
    await idle.start(open);
    const terminated = await storeUploadedImage(storage, photo, undefined, twoHoursAgo());
    await temporal.workflow.getHandle(await idle.start(terminated)).terminate('stopped by an operator');
    // Too young to judge: its request may still be starting its run.
    const young = await storeUploadedImage(storage, photo);
    // Completed by a release whose completion left the mark.
    const done = await storeUploadedImage(storage, photo, undefined, twoHoursAgo());
    const doneRecord = (await images.get(done.userId, done.imageId))!;
    await images.remove(done.userId, done.imageId);
    await images.create({ ...doneRecord, status: 'completed' });

    try {
      const result = await sweep();
      expect(result).toMatchObject({ purged: 3, failed: 1, settled: 1 });
      // The held webhook events were looked at too (test/webhooks/heldEvents.test.ts has what becomes of them).
      expect(result.heldEvents).toEqual({
        sent: expect.any(Number),
        dropped: expect.any(Number),
        waiting: expect.any(Number),
      });
      await Promise.all([
        purgeOf(multipart.imageId, 'always'),
        purgeOf(uploaded.image_id, 'always'),
        purgeOf(neverUploaded.image_id, 'never-uploaded'),
      ]);
      for (const [userId, imageId, key] of [
        [multipart.userId, multipart.imageId, multipart.originalKey],
        [uploaded.user_id, uploaded.image_id, uploaded.original_key],
        [neverUploaded.user_id, neverUploaded.image_id, neverUploaded.original_key],
      ]) {
        expect(await images.get(userId!, imageId!)).toBeUndefined();
        expect(await objects.size(key!)).toBeUndefined();
      }

      const failed = (await images.get(terminated.userId, terminated.imageId))!;
      expect(failed).toMatchObject({ status: 'failed', failure_reason: STOPPED_RUN_REASON });
      expect(failed.run_pending).toBeUndefined();
      expect(await objects.size(terminated.originalKey)).toBe(photo.length);
      expect((await images.get(done.userId, done.imageId))!.run_pending).toBeUndefined();
      for (const kept of [open, young]) {
        expect(await images.get(kept.userId, kept.imageId)).toMatchObject({ status: 'processing' });
        expect(await objects.size(kept.originalKey)).toBe(photo.length);
      }

      // A second sweep finds nothing more to do.
      expect(await sweep()).toMatchObject({ purged: 0, failed: 0, settled: 0 });
    } finally {
      await temporal.workflow.getHandle(`image-${open.imageId}`).terminate();
    }
  }, 90_000);

  it('is out of the GSI once its run has recorded it', async () => {
    const input = await storeUploadedImage(storage, await gradientJpeg(320, 240));
    expect((await images.get(input.userId, input.imageId))!.run_pending).toMatch(/^shard-\d$/);
    const workflowId = await new ImageWorkflows(temporal, worker.taskQueue).start(input);
    await temporal.workflow.getHandle(workflowId).result();
    const record = (await images.get(input.userId, input.imageId))!;
    expect(record.status).toBe('completed');
    expect(record.run_pending).toBeUndefined();
  }, 60_000);
});
