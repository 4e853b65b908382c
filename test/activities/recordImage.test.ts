import { createRecordActivities, processingResults } from '../../src/activities/recordImage';
import type { PipelineResults } from '../../src/contracts';
import { gradientJpeg } from '../fixtures/images';
import { storeUploadedImage } from '../harness/images';
import { testConfig } from '../harness/stackEnv';
import { testStorage } from '../harness/storage';
import { keptEvents } from '../harness/webhookEvents';

describe('recording what the pipeline made of an image', () => {
  const storage = testStorage(testConfig());
  const kept = keptEvents();
  const { saveImageResults, markImageFailed } = createRecordActivities({
    images: storage.images,
    searchTerms: storage.searchTerms,
    publish: kept.events.publish,
    now: () => new Date(),
  });
  afterAll(() => storage.destroy());

  const steps: PipelineResults = {
    facts: {
      width: 1200,
      height: 800,
      format: 'jpeg',
      bytes: 123_456,
      sha256: 'ab'.repeat(32),
      dominantColor: '#336699',
      placeholder: 'data:image/webp;base64,AAAA',
      thumbnails: [
        { size: 256, key: 'thumbnails/256.webp', width: 256, height: 171, bytes: 1000, contentType: 'image/webp' },
      ],
    },
    description: 'A bright landscape.',
    embedding: { dimensions: 128, provider: 'local-v1-128d' },
  };
  const recorded = {
    status: 'completed',
    width: 1200,
    height: 800,
    format: 'jpeg',
    bytes: 123_456,
    sha256: 'ab'.repeat(32),
    thumbnails: [
      { size: 256, key: 'thumbnails/256.webp', width: 256, height: 171, bytes: 1000, content_type: 'image/webp' },
    ],
    dominant_color: '#336699',
    placeholder: 'data:image/webp;base64,AAAA',
    ai_description: 'A bright landscape.',
    embedding_dimensions: 128,
    embedding_provider: 'local-v1-128d',
  };

  it('records the labels and the objects the provider recognised, from the thumbnail its description step was shown', async () => {
    const shown: string[] = [];
    const labelled = createRecordActivities({
      images: storage.images,
      searchTerms: storage.searchTerms,
      publish: kept.events.publish,
      labelsOf: (facts) => {
        shown.push(facts.thumbnails[0]!.key);
        return Promise.resolve([
          { name: 'espresso', probability: 0.93 },
          { name: 'cup', probability: 0.05 },
        ]);
      },
      objectsOf: (facts) => {
        shown.push(facts.thumbnails[0]!.key);
        return Promise.resolve([
          { name: 'cup', count: 1, score: 0.48 },
          { name: 'person', count: 2, score: 0.61 },
        ]);
      },
      now: () => new Date(),
    });
    const image = await storeUploadedImage(storage, await gradientJpeg(120, 80));
    await labelled.saveImageResults({ userId: image.userId, imageId: image.imageId, ...steps });
    expect(shown).toEqual(['thumbnails/256.webp', 'thumbnails/256.webp']);
    expect(await storage.images.get(image.userId, image.imageId)).toMatchObject({
      ...recorded,
      labels: [
        { name: 'espresso', probability: 0.93 },
        { name: 'cup', probability: 0.05 },
      ],
      objects: [
        { name: 'cup', count: 1, score: 0.48 },
        { name: 'person', count: 2, score: 0.61 },
      ],
    });
    // Without a provider that names classes or detects objects, the item has neither.
    const plain = await storeUploadedImage(storage, await gradientJpeg(120, 80));
    await saveImageResults({ userId: plain.userId, imageId: plain.imageId, ...steps });
    expect(await storage.images.get(plain.userId, plain.imageId)).not.toHaveProperty('labels');
    expect(await storage.images.get(plain.userId, plain.imageId)).not.toHaveProperty('objects');
  });

  it("writes the steps' results as the image item's fields, and takes them as older runs hand them over too", async () => {
    const image = await storeUploadedImage(storage, await gradientJpeg(120, 80));
    const ids = { userId: image.userId, imageId: image.imageId };
    await saveImageResults({ ...ids, ...steps });
    expect(await storage.images.get(image.userId, image.imageId)).toMatchObject(recorded);

    // A run from before the workflow passed its steps' results as they are: the item's fields themselves.
    const older = await storeUploadedImage(storage, await gradientJpeg(120, 80));
    const olderInput = { userId: older.userId, imageId: older.imageId, results: processingResults(steps) };
    await (saveImageResults as (input: unknown) => Promise<void>)(olderInput);
    expect(await storage.images.get(older.userId, older.imageId)).toMatchObject(recorded);
  });

  it("records the owner's words for a failure: the service's own about the image, never a provider's", async () => {
    const cases: Array<[failure: { type?: string; message: string }, reason: string]> = [
      [
        { type: 'InvalidImage', message: 'The image cannot be decoded: premature end of JPEG image' },
        'The image cannot be decoded: premature end of JPEG image',
      ],
      [{ type: 'OriginalMissing', message: 'The original is not in storage.' }, 'The original is not in storage.'],
      [
        {
          type: 'AiRequestRejected',
          message: 'describe: the AI provider answered 401: Incorrect API key provided: sk-proj-abc123',
        },
        'The AI provider could not describe or embed this image.',
      ],
      [{ type: 'AiRateLimited', message: 'slow down' }, 'The AI provider could not describe or embed this image.'],
      [
        { type: 'NetworkError', message: 'connect ECONNREFUSED 10.0.3.7:8000' },
        'Processing failed after repeated attempts. Upload the image again to retry.',
      ],
      [
        { message: 'Activity task timed out' },
        'Processing failed after repeated attempts. Upload the image again to retry.',
      ],
    ];
    for (const [failure, reason] of cases) {
      const { userId, imageId } = await storeUploadedImage(storage, await gradientJpeg(120, 80));
      expect(await markImageFailed({ userId, imageId, failure })).toBe(reason);
      expect(await storage.images.get(userId, imageId)).toMatchObject({ status: 'failed', failure_reason: reason });
    }
  });

  it('keeps the reason an older run worded itself', async () => {
    const { userId, imageId } = await storeUploadedImage(storage, await gradientJpeg(120, 80));
    const reason = 'The AI provider could not describe or embed this image.';
    const older = markImageFailed as (input: unknown) => Promise<string>;
    expect(await older({ userId, imageId, reason })).toBe(reason);
    expect(await storage.images.get(userId, imageId)).toMatchObject({ status: 'failed', failure_reason: reason });
  });

  it('fails for good when the image is gone', async () => {
    const failure = await markImageFailed({
      userId: 'user-gone',
      imageId: 'image-gone',
      failure: { type: 'InvalidImage', message: 'The image cannot be decoded.' },
    }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ type: 'ImageGone', nonRetryable: true });
  });
});
