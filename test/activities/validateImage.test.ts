import { ApplicationFailure } from '@temporalio/common';
import { createValidationActivities } from '../../src/activities/validateImage';
import type { OriginalFacts } from '../../src/contracts';
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

  it("takes the API's facts when the original is still there at their size, and inspects it afresh otherwise", async () => {
    const body = await gradientJpeg(640, 480);
    const { originalKey } = await storeUploadedImage(storage, body);
    // A width the file does not have: taken as it is, so the original was not read again.
    const checked = { ...inspected, bytes: body.length, width: 4000 };
    expect(await validateImage({ originalKey, checked })).toEqual(checked);
    expect(await validateImage({ originalKey, checked: { ...checked, bytes: body.length + 1 } })).toEqual({
      ...inspected,
      bytes: body.length,
    });
    expect(await validateImage({ originalKey })).toEqual({ ...inspected, bytes: body.length });
  });

  it('fails for good when the original is gone, checked or not', async () => {
    const originalKey = 'users/nobody/images/none/original';
    for (const checked of [undefined, { ...inspected, bytes: 1234 }]) {
      const failure = await validateImage({ originalKey, checked }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(ApplicationFailure);
      expect(failure).toMatchObject({ type: 'OriginalMissing', nonRetryable: true });
    }
  });
});
