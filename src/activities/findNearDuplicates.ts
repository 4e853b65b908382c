import type { PipelineActivities } from '../contracts';
import type { EmbeddingRepository } from '../storage/embeddingRepository';
import type { ImageRepository } from '../storage/imageRepository';
import { storedEmbedding, type RecentEmbeddings } from './analyseImage';
import { nearDuplicatesOf, type NearDuplicateSearch } from './nearDuplicatesOf';
import { unlessGone } from './unlessGone';

/** The near-duplicates step of runs from before it was folded into the embedding step (see embedImage). */
export function createNearDuplicateActivities(
  deps: NearDuplicateSearch & {
    embeddings: EmbeddingRepository;
    recentEmbeddings: RecentEmbeddings;
    images: ImageRepository;
    now: () => Date;
  },
): Pick<PipelineActivities, 'findNearDuplicates'> {
  return {
    /**
     * Records on the new image the owner's other images that are the same photo, possibly altered (cropped, re-lit,
     * recompressed, greyscale): the nearest embeddings of the same provider above its threshold. Idempotent: a retry
     * writes the same list again.
     */
    async findNearDuplicates(input) {
      const embedding = await storedEmbedding(deps, input.userId, input.imageId);
      if (!embedding) return { count: 0, reason: 'no embedding stored' };
      const { found, reason } = await nearDuplicatesOf(deps, input.userId, input.imageId, embedding);
      const recorded = found.map(({ imageId, similarity }) => ({ image_id: imageId, similarity }));
      await unlessGone(() =>
        deps.images.setNearDuplicates(input.userId, input.imageId, recorded, deps.now().toISOString()),
      );
      return reason ? { count: 0, reason } : { count: found.length };
    },
  };
}
