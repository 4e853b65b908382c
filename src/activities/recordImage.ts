import type { PipelineActivities } from '../contracts';
import type { ImageRepository } from '../storage/imageRepository';
import type { SearchTermRepository } from '../storage/searchTermRepository';
import { unlessGone } from './unlessGone';

export function createRecordActivities(deps: {
  images: ImageRepository;
  searchTerms: SearchTermRepository;
  now: () => Date;
}): Pick<PipelineActivities, 'saveImageResults' | 'markImageFailed'> {
  return {
    /**
     * Writes the pipeline's results onto the image item and marks it completed, then indexes its words again for
     * text search, the AI description now among them. Idempotent: same keys, same values.
     */
    async saveImageResults(input) {
      await unlessGone(async () => {
        const record = await deps.images.complete(input.userId, input.imageId, input.results, deps.now().toISOString());
        await deps.searchTerms.indexImage(record);
      });
    },

    async markImageFailed(input) {
      await unlessGone(() => deps.images.fail(input.userId, input.imageId, input.reason, deps.now().toISOString()));
    },
  };
}
