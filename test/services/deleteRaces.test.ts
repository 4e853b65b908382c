import crypto from 'node:crypto';
import { ImageWorkflows } from '../../src/clients/imageWorkflows';
import { createTemporalClient } from '../../src/clients/temporal';
import {
  originalKey,
  PIPELINE_STILL_RUNNING,
  processImageWorkflowId,
  purgeImageWorkflowId,
  THUMBNAIL_STEP_TIMEOUT_SECONDS,
  uploadPurgeWorkflowId,
  type PurgeImageInput,
} from '../../src/contracts';
import { createServices } from '../../src/services/createServices';
import { NotFoundError } from '../../src/services/serviceErrors';
import type { Storage } from '../../src/storage/createStorage';
import { freePort } from '../../scripts/devstack/ports';
import { gradientJpeg } from '../fixtures/images';
import { servicesOnIdleQueue } from '../harness/idleQueue';
import { storeUploadedImage } from '../harness/images';
import { testConfig } from '../harness/stackEnv';

/**
 * Deletes, restores and completes racing one another, and a hard delete while Temporal is away: every image ends
 * either gone or with the purge its state calls for, and a deleted image never shapes clusters or similar images.
 * No worker polls the queue: the purges these tests schedule wait, and the tests look at them (or run their activity).
 */
describe('deletes racing uploads, restores and the pipeline', () => {
  const { config, storage, temporal, workflows, deletion, intake, activitiesAt, close } = servicesOnIdleQueue();
  const { purgeImage } = activitiesAt();
  let photo = 0;
  const newPhoto = () => gradientJpeg(130 + (photo += 1), 80);
  const runStatus = async (workflowId: string, runId?: string) =>
    (await temporal.workflow.getHandle(workflowId, runId).describe()).status.name;

  afterAll(close);

  /** A direct upload whose bytes were PUT, not yet completed. */
  async function uploadedNotCompleted(userId = `user-${crypto.randomUUID()}`) {
    const body = await newPhoto();
    const started = await intake.startDirectUpload(userId, {
      filename: 'put.jpg',
      contentType: 'image/jpeg',
      size: body.length,
      fields: { visibility: 'private' },
    });
    await storage.objects.put(originalKey(userId, started.imageId), body, { contentType: 'image/jpeg' });
    return { userId, imageId: started.imageId };
  }

  it('keeps the purge of an upload deleted and restored before it was completed', async () => {
    const { userId, imageId } = await uploadedNotCompleted();
    await deletion.deleteOne(userId, imageId, false);
    await deletion.restore(userId, imageId);
    // The purge of its URL is its own run, untouched by the delete and the restore: it still takes the upload.
    expect(await runStatus(uploadPurgeWorkflowId(imageId))).toBe('RUNNING');
    expect(await purgeImage({ userId, imageId, when: 'never-uploaded' })).toEqual({ purged: true, objects: 1 });
    expect(await storage.images.get(userId, imageId)).toBeUndefined();
  });

  it('tells a deleted upload that it may be restored only until its URL has expired and its purge comes', async () => {
    const { userId, imageId } = await uploadedNotCompleted();
    const deleted = await deletion.deleteOne(userId, imageId, false);
    const expires = Date.parse((await storage.images.get(userId, imageId))!.upload_expires_at!);
    expect(deleted.deleted === 'soft' && Date.parse(deleted.restorable_until)).toBe(expires + 60_000);
  });

  it('refuses a complete that a soft delete overtakes, leaving the image deleted and its purge in place', async () => {
    const { userId, imageId } = await uploadedNotCompleted();
    // The delete lands while complete is hashing what arrived, after complete has read the image.
    const overtaken: Storage = {
      ...storage,
      objects: Object.assign(Object.create(storage.objects) as Storage['objects'], {
        sha256: async (key: string) => {
          await deletion.deleteOne(userId, imageId, false);
          return storage.objects.sha256(key);
        },
      }),
    };
    const racing = createServices({ storage: overtaken, workflows, config }).intake;
    await expect(racing.completeDirectUpload(userId, imageId)).rejects.toBeInstanceOf(NotFoundError);
    const item = await storage.images.get(userId, imageId);
    expect(item).toMatchObject({ status: 'awaiting_upload', deleted_at: expect.any(String) });
    expect(await runStatus(purgeImageWorkflowId(imageId), item!.purge_run_id)).toBe('RUNNING');
    await expect(temporal.workflow.getHandle(processImageWorkflowId(imageId)).describe()).rejects.toThrow();
  });

  it('cancels only the purge of the delete it undoes, never one a later delete scheduled', async () => {
    const { userId, imageId } = await storeUploadedImage(storage, await newPhoto());
    await deletion.deleteOne(userId, imageId, false);
    // A second delete lands between the restore's write and its cancelling of the purge.
    const interleaved = Object.assign(Object.create(workflows) as ImageWorkflows, {
      cancelPurgeRun: async (id: string, runId: string) => {
        await deletion.deleteOne(userId, imageId, false);
        return workflows.cancelPurgeRun(id, runId);
      },
    });
    await createServices({ storage, workflows: interleaved, config }).deletion.restore(userId, imageId);
    const item = await storage.images.get(userId, imageId);
    expect(item?.deleted_at).toBeDefined();
    expect(await runStatus(purgeImageWorkflowId(imageId), item!.purge_run_id)).toBe('RUNNING');
  });

  it('touches nothing when a hard delete cannot schedule its sweep, and sweeps after one that could', async () => {
    const { userId, imageId } = await storeUploadedImage(storage, await newPhoto());
    const away = createTemporalClient(testConfig({ TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}` }));
    try {
      const cut = createServices({ storage, workflows: new ImageWorkflows(away, 'unused'), config }).deletion;
      await expect(cut.deleteOne(userId, imageId, true)).rejects.not.toBeInstanceOf(NotFoundError);
    } finally {
      await away.connection.close();
    }
    expect(await storage.images.get(userId, imageId)).toBeDefined();
    expect(await storage.objects.size(originalKey(userId, imageId))).toBeGreaterThan(0);

    // The client tries again once Temporal is back: removed now, and swept once more later.
    await workflows.start({ userId, imageId, originalKey: originalKey(userId, imageId), filename: 'x', bytes: 1 });
    expect(await deletion.deleteOne(userId, imageId, true)).toMatchObject({ deleted: 'hard' });
    expect(await storage.images.get(userId, imageId)).toBeUndefined();
    const sweep = temporal.workflow.getHandle(purgeImageWorkflowId(imageId));
    expect((await sweep.describe()).status.name).toBe('RUNNING');
    const [input] = (await sweep.fetchHistory()).events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads!;
    expect(JSON.parse(Buffer.from(input!.data!).toString()) as PurgeImageInput).toMatchObject({ when: 'always' });
    const history = await temporal.workflow.getHandle(processImageWorkflowId(imageId)).fetchHistory();
    expect(history.events?.some((event) => event.workflowExecutionCancelRequestedEventAttributes)).toBe(true);
  }, 30_000);

  it("sweeps after a removal only once the image's run has closed and its steps' time has passed", async () => {
    const { userId, imageId } = await storeUploadedImage(storage, await newPhoto());
    await workflows.start({ userId, imageId, originalKey: originalKey(userId, imageId), filename: 'x', bytes: 1 });
    let now = new Date();
    const { purgeImage: sweep } = activitiesAt(() => now);
    const input = { userId, imageId, when: 'always' as const, afterPipeline: true };
    // Its worker away, the run is still open: a step dispatched before it was told to stop may still run.
    await expect(sweep(input)).rejects.toMatchObject({ type: PIPELINE_STILL_RUNNING });
    await temporal.workflow.getHandle(processImageWorkflowId(imageId)).terminate('test: the run closes');
    // Closed just now: an attempt it began may still be writing for two minutes.
    await expect(sweep(input)).rejects.toMatchObject({ type: PIPELINE_STILL_RUNNING });
    expect(await storage.images.get(userId, imageId)).toBeDefined();
    now = new Date(Date.now() + (THUMBNAIL_STEP_TIMEOUT_SECONDS + 1) * 1000);
    expect(await sweep(input)).toEqual({ purged: true, objects: 1 });
    expect(await storage.images.get(userId, imageId)).toBeUndefined();
  });

  it('keeps hidden the embedding a running pipeline writes after its image was soft-deleted', async () => {
    const { userId, imageId } = await storeUploadedImage(storage, await newPhoto());
    await deletion.deleteOne(userId, imageId, false);
    // The pipeline's embedding step, still under way, stores the vector now.
    await storage.embeddings.put(userId, imageId, { vector: [1, 0, 0], provider: 'test-3d' }, new Date().toISOString());
    const visible = async () => (await storage.embeddings.listForUser(userId)).map((embedding) => embedding.imageId);
    expect(await visible()).toEqual([]);
    await deletion.restore(userId, imageId);
    expect(await visible()).toEqual([imageId]);
  });

  it('answers a repeated complete with what the image is: completed, or failed', async () => {
    for (const outcome of ['completed', 'failed'] as const) {
      const { userId, imageId } = await uploadedNotCompleted();
      expect(await intake.completeDirectUpload(userId, imageId)).toMatchObject({ status: 'processing', started: true });
      const at = new Date().toISOString();
      if (outcome === 'failed') await storage.images.fail(userId, imageId, 'The image cannot be decoded.', at);
      else await storage.images.complete(userId, imageId, { thumbnails: [] } as never, at);
      expect(await intake.completeDirectUpload(userId, imageId)).toEqual({ imageId, status: outcome });
    }
  });
});
