import crypto from 'node:crypto';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { ActivityFailure, WorkflowFailedError } from '@temporalio/client';
import sharp from 'sharp';
import { createTemporalClient } from '../../src/clients/temporal';
import { ImageWorkflows } from '../../src/clients/imageWorkflows';
import type { PipelineProgress } from '../../src/contracts';
import { gradientJpeg, undecodableJpeg } from '../fixtures/images';
import { storeUploadedImage } from '../harness/images';
import { testConfig } from '../harness/stackEnv';
import { testStorage } from '../harness/storage';
import { startWorker, type RunningWorker } from '../harness/worker';
import { stepAttempts } from '../harness/stepAttempts';

describe('processImage workflow', () => {
  const config = testConfig();
  const storage = testStorage(config);
  const { images, embeddings } = storage;
  const { s3, documents } = storage.clients;
  const client = createTemporalClient(config);
  let worker: RunningWorker;
  let workflows: ImageWorkflows;

  beforeAll(async () => {
    worker = await startWorker(config);
    workflows = new ImageWorkflows(client, worker.taskQueue);
  });
  afterAll(async () => {
    await worker.stop();
    await client.connection.close();
    storage.destroy();
  });

  async function runToEnd(input: Awaited<ReturnType<typeof storeUploadedImage>>): Promise<PipelineProgress> {
    const workflowId = await workflows.start(input);
    return client.workflow.getHandle(workflowId).result();
  }

  const attemptsOf = async (imageId: string) =>
    stepAttempts(await client.workflow.getHandle(`image-${imageId}`).fetchHistory());

  /** What a step threw: an activity's failure comes wrapped in an ActivityFailure, a local activity's as it is. */
  const stepFailure = (failure: unknown) => {
    const cause = (failure as WorkflowFailedError).cause;
    return cause instanceof ActivityFailure ? cause.cause : cause;
  };

  it('makes oriented, metadata-free thumbnails, a description and an embedding, and completes the item', async () => {
    const original = await gradientJpeg(1200, 800, { orientation: 6 });
    const input = await storeUploadedImage(storage, original);
    const progress = await runToEnd(input);

    expect(progress.status).toBe('completed');
    expect(progress.steps.map((step) => [step.name, step.status])).toEqual([
      ['validate', 'completed'],
      ['thumbnails', 'completed'],
      ['description', 'completed'],
      ['embedding', 'completed'],
      ['metadata', 'completed'],
      ['cluster', 'completed'],
    ]);
    // A new user has no clusters yet: the image waits for the first re-clustering.
    expect(progress.cluster).toEqual({ reason: 'no clusters yet' });
    // The histogram provider's embeddings cannot tell the same photo from a similar one.
    expect(progress.near_duplicates).toEqual({
      count: 0,
      reason: 'embeddings by local-v3-92d do not tell near-duplicates apart',
    });
    expect(progress.steps.every((step) => typeof step.duration_ms === 'number' && step.started_at)).toBe(true);

    const item = (await images.get(input.userId, input.imageId))!;
    // Orientation 6 is a quarter turn: the image as seen is portrait.
    expect(item).toMatchObject({
      status: 'completed',
      width: 800,
      height: 1200,
      format: 'jpeg',
      bytes: original.length,
    });
    expect(item.sha256).toBe(crypto.createHash('sha256').update(original).digest('hex'));
    expect(item.dominant_color).toMatch(/^#[0-9a-f]{6}$/);
    expect(item.placeholder).toMatch(/^data:image\/webp;base64,/);
    expect(item.ai_description).toMatch(/portrait JPEG image of 800x1200 pixels/);
    expect(item.thumbnails!.map((thumbnail) => [thumbnail.size, thumbnail.width, thumbnail.height])).toEqual([
      [256, 171, 256],
      [512, 341, 512],
      [1024, 683, 1024],
    ]);
    for (const thumbnail of item.thumbnails!) {
      const object = await s3.send(new GetObjectCommand({ Bucket: config.s3.bucket, Key: thumbnail.key }));
      expect(object.ContentType).toBe('image/webp');
      const metadata = await sharp(Buffer.from(await object.Body!.transformToByteArray())).metadata();
      expect(metadata).toMatchObject({ format: 'webp', width: thumbnail.width, height: thumbnail.height });
      expect(metadata.exif).toBeUndefined();
    }
    const embedding = (await embeddings.get(input.userId, input.imageId))!;
    expect(embedding.vector).toHaveLength(item.embedding_dimensions!);
    expect(Math.hypot(...embedding.vector)).toBeCloseTo(1, 5);
    expect(embedding.provider).toBe(item.embedding_provider);
  });

  it('fails a corrupt image at once, without retrying it, and tells the owner why', async () => {
    // Whole on the outside, so validation passes; decoding finds it cannot be read.
    const input = await storeUploadedImage(storage, await undecodableJpeg(400, 300));
    const failure = await runToEnd(input).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    expect(stepFailure(failure)).toMatchObject({ type: 'InvalidImage', nonRetryable: true });
    const item = (await images.get(input.userId, input.imageId))!;
    expect(item.status).toBe('failed');
    expect(item.failure_reason).toMatch(/^The image cannot be decoded: /);
    // One attempt each at validation and thumbnails, one at recording the failure.
    expect(await attemptsOf(input.imageId)).toEqual([1, 1, 1]);
  });

  it('refuses a file that is not an image, or breaks a limit, at validation, before decoding it', async () => {
    const cases: Array<[Buffer, RegExp]> = [
      [Buffer.from('%PDF-1.7\n' + 'x'.repeat(2000)), /^Only JPEG, PNG, GIF and WebP images are accepted/],
      [(await gradientJpeg(300, 200)).subarray(0, 600), /^The file is 600 bytes; at least 1024 are required/],
      [await gradientJpeg(40, 300), /each side must be at least 50 px/],
      [(await gradientJpeg(400, 300)).subarray(0, 3000), /^The JPEG does not end with its end-of-image marker/],
    ];
    for (const [body, reason] of cases) {
      const input = await storeUploadedImage(storage, body);
      const failure = await runToEnd(input).catch((error: unknown) => error);
      expect(stepFailure(failure)).toMatchObject({ type: 'InvalidImage', nonRetryable: true });
      expect((await images.get(input.userId, input.imageId))!.failure_reason).toMatch(reason);
      expect(await attemptsOf(input.imageId)).toEqual([1, 1]);
    }
  });

  it('stops without retrying when the image item was deleted during processing', async () => {
    const input = await storeUploadedImage(storage, await gradientJpeg(300, 200));
    await documents.send(
      new DeleteCommand({
        TableName: config.dynamodb.imagesTable,
        Key: { user_id: input.userId, image_id: input.imageId },
      }),
    );
    const failure = await runToEnd(input).catch((error: unknown) => error);
    expect(stepFailure(failure)).toMatchObject({ type: 'ImageGone', nonRetryable: true });
  });

  it('starts one run however often the same image is submitted', async () => {
    const input = await storeUploadedImage(storage, await gradientJpeg(300, 200));
    const ids = await Promise.all([workflows.start(input), workflows.start(input), workflows.start(input)]);
    expect(new Set(ids)).toEqual(new Set([`image-${input.imageId}`]));
    await client.workflow.getHandle(ids[0]).result();
    expect(await workflows.start(input)).toBe(`image-${input.imageId}`);
    const runs = [];
    for await (const run of client.workflow.list({ query: `WorkflowId = "image-${input.imageId}"` })) runs.push(run);
    expect(runs).toHaveLength(1);
    expect(await workflows.progress(input.imageId)).toMatchObject({ status: 'completed' });
  });
});
