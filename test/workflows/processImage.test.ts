import crypto from 'node:crypto';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { WorkflowFailedError } from '@temporalio/client';
import sharp from 'sharp';
import { originalKey } from '../../src/activities/imageKeys';
import { createS3Client } from '../../src/clients/s3';
import { createTemporalClient } from '../../src/clients/temporal';
import { processImage, processImageWorkflowId } from '../../src/workflows/processImage';
import { gradientJpeg } from '../fixtures/images';
import { testConfig } from '../harness/stackEnv';
import { startWorker, type RunningWorker } from '../harness/worker';

describe('processImage workflow', () => {
  const config = testConfig();
  const s3 = createS3Client(config);
  const client = createTemporalClient(config);
  let worker: RunningWorker;

  beforeAll(async () => {
    worker = await startWorker(config, s3);
  });
  afterAll(async () => {
    await worker.stop();
    await client.connection.close();
    s3.destroy();
  });

  async function storeOriginal(body: Buffer) {
    const userId = `user-${crypto.randomUUID()}`;
    const imageId = crypto.randomUUID();
    const key = originalKey(userId, imageId);
    await s3.send(new PutObjectCommand({ Bucket: config.s3.bucket, Key: key, Body: body }));
    return { userId, imageId, originalKey: key };
  }

  const run = (input: Awaited<ReturnType<typeof storeOriginal>>) =>
    client.workflow.execute(processImage, { taskQueue: worker.taskQueue, workflowId: processImageWorkflowId(input.imageId), args: [input] });

  it('writes oriented, metadata-free thumbnails and records the image facts', async () => {
    const original = await gradientJpeg(1200, 800, { orientation: 6 });
    const input = await storeOriginal(original);
    const facts = await run(input);

    // Orientation 6 is a quarter turn: the image as seen is portrait.
    expect(facts).toMatchObject({ width: 800, height: 1200, format: 'jpeg', bytes: original.length });
    expect(facts.sha256).toBe(crypto.createHash('sha256').update(original).digest('hex'));
    expect(facts.dominantColor).toMatch(/^#[0-9a-f]{6}$/);
    expect(facts.placeholder).toMatch(/^data:image\/webp;base64,/);
    expect(facts.thumbnails.map((thumbnail) => [thumbnail.size, thumbnail.width, thumbnail.height])).toEqual([
      [256, 171, 256],
      [512, 341, 512],
      [1024, 683, 1024],
    ]);
    for (const thumbnail of facts.thumbnails) {
      const object = await s3.send(new GetObjectCommand({ Bucket: config.s3.bucket, Key: thumbnail.key }));
      expect(object.ContentType).toBe('image/webp');
      const metadata = await sharp(Buffer.from(await object.Body!.transformToByteArray())).metadata();
      expect(metadata).toMatchObject({ format: 'webp', width: thumbnail.width, height: thumbnail.height });
      expect(metadata.exif).toBeUndefined();
    }
  });

  it('fails a corrupt image at once, without retrying it', async () => {
    const original = await gradientJpeg(400, 300);
    const input = await storeOriginal(original.subarray(0, 600));
    const failure = await run(input).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    expect((failure as WorkflowFailedError).cause?.cause).toMatchObject({ type: 'InvalidImage', nonRetryable: true });
    const history = await client.workflow.getHandle(processImageWorkflowId(input.imageId)).fetchHistory();
    const attempts = history.events?.filter((event) => event.activityTaskStartedEventAttributes).map((event) => event.activityTaskStartedEventAttributes!.attempt);
    expect(attempts).toEqual([1]);
  });

  it('refuses a file that is not an image', async () => {
    const input = await storeOriginal(Buffer.from('%PDF-1.7\n' + 'x'.repeat(2000)));
    const failure = await run(input).catch((error: unknown) => error);
    expect((failure as WorkflowFailedError).cause?.cause).toMatchObject({ type: 'InvalidImage', nonRetryable: true });
  });
});
