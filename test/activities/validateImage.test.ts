import { ApplicationFailure } from '@temporalio/common';
import { createThumbnailActivities } from '../../src/activities/createThumbnails';
import { RecentlyStored } from '../../src/activities/recentlyStored';
import { createValidationActivities } from '../../src/activities/validateImage';
import { thumbnailKey, type OriginalFacts } from '../../src/contracts';
import { uploadLimits } from '../../src/images/uploadRules';
import { gradientJpeg } from '../fixtures/images';
import { storeUploadedImage } from '../harness/images';
import { testConfig } from '../harness/stackEnv';
import { testStorage } from '../harness/storage';

describe('validateImage', () => {
  const config = testConfig();
  const storage = testStorage(config);
  const { validateImage } = createValidationActivities({ objects: storage.objects, limits: uploadLimits(config) });
  afterAll(() => storage.destroy());

  const inspected: OriginalFacts = { bytes: 0, format: 'jpeg', contentType: 'image/jpeg', width: 640, height: 480 };

  it("takes the API's facts as they are, with no request to storage, and inspects an original it did not check", async () => {
    const body = await gradientJpeg(640, 480);
    const { originalKey } = await storeUploadedImage(storage, body);
    // A width the file does not have: taken as it is, so the original was not read again.
    const checked = { ...inspected, bytes: body.length, width: 4000 };
    expect(await validateImage({ originalKey, checked })).toEqual(checked);
    expect(await validateImage({ originalKey })).toEqual({ ...inspected, bytes: body.length });
  });

  it('fails for good when an original it must inspect is gone', async () => {
    const failure = await validateImage({ originalKey: 'users/nobody/images/none/original' }).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'OriginalMissing', nonRetryable: true });
  });
});

describe('createThumbnails, for an original the API checked', () => {
  const config = testConfig();
  const storage = testStorage(config);
  const { createThumbnails } = createThumbnailActivities({
    objects: storage.objects,
    images: config.images,
    recentThumbnails: new RecentlyStored(1024 * 1024, ({ data }: { data: Buffer; contentType: string }) => data.length),
  });
  afterAll(() => storage.destroy());

  it('fails for good when the original is gone, or not the size checked', async () => {
    const body = await gradientJpeg(640, 480);
    const stored = await storeUploadedImage(storage, body);
    const checked: OriginalFacts = {
      bytes: body.length,
      format: 'jpeg',
      contentType: 'image/jpeg',
      width: 640,
      height: 480,
    };
    const input = { userId: stored.userId, imageId: stored.imageId, originalKey: stored.originalKey };
    const gone = await createThumbnails({ ...input, originalKey: `${stored.originalKey}-gone`, checked }).catch(
      (error: unknown) => error,
    );
    expect(gone).toMatchObject({ type: 'OriginalMissing', nonRetryable: true });
    const resized = await createThumbnails({ ...input, checked: { ...checked, bytes: body.length - 1 } }).catch(
      (error: unknown) => error,
    );
    expect(resized).toMatchObject({ type: 'InvalidImage', nonRetryable: true });
    expect(await storage.objects.size(thumbnailKey(stored.userId, stored.imageId, 256, 'webp'))).toBeUndefined();
    expect((await createThumbnails({ ...input, checked })).width).toBe(640);
  });
});
