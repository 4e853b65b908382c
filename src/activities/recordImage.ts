import type { ImageRepository, ImageResults } from '../images/imageRepository';
import { unlessGone } from './unlessGone';

export function createRecordActivities(deps: { images: ImageRepository; now: () => Date }) {
  return {
    /** Writes the pipeline's results onto the image item and marks it completed. Idempotent: same keys, same values. */
    async saveImageResults(input: { userId: string; imageId: string; results: ImageResults }): Promise<void> {
      await unlessGone(() =>
        deps.images.complete(input.userId, input.imageId, input.results, deps.now().toISOString()),
      );
    },

    async markImageFailed(input: { userId: string; imageId: string; reason: string }): Promise<void> {
      await unlessGone(() => deps.images.fail(input.userId, input.imageId, input.reason, deps.now().toISOString()));
    },
  };
}
