import type { PipelineActivities } from '../contracts';
import type { ImageRepository } from '../storage/imageRepository';
import { unlessGone } from './unlessGone';

export function createRecordActivities(deps: {
  images: ImageRepository;
  now: () => Date;
}): Pick<PipelineActivities, 'saveImageResults' | 'markImageFailed'> {
  return {
    /** Writes the pipeline's results onto the image item and marks it completed. Idempotent: same keys, same values. */
    async saveImageResults(input) {
      await unlessGone(() =>
        deps.images.complete(input.userId, input.imageId, input.results, deps.now().toISOString()),
      );
    },

    async markImageFailed(input) {
      await unlessGone(() => deps.images.fail(input.userId, input.imageId, input.reason, deps.now().toISOString()));
    },
  };
}
