import type { PipelineActivities } from '../contracts';
import type { EmbeddingRepository } from '../storage/embeddingRepository';
import type { NearDuplicate } from '../storage/imageRecord';
import type { SimilarityIndex } from '../similarity/similarityIndex';
import type { ImageRepository } from '../storage/imageRepository';
import { storedEmbedding, type RecentEmbeddings } from './analyseImage';
import { unlessGone } from './unlessGone';

/** At most this many near-duplicates are recorded on an image, the most similar first. */
export const MAX_NEAR_DUPLICATES = 5;

export function createNearDuplicateActivities(deps: {
  embeddings: EmbeddingRepository;
  recentEmbeddings: RecentEmbeddings;
  /** This worker's copy of its users' vectors, which the embedding step keeps current. */
  similarity: SimilarityIndex;
  images: ImageRepository;
  /** The similarity from which two embeddings of this provider are the same photo; undefined: it cannot tell. */
  minSimilarity: (provider: string) => number | undefined;
  now: () => Date;
}): Pick<PipelineActivities, 'findNearDuplicates'> {
  return {
    /**
     * Records on the new image the owner's other images that are the same photo, possibly altered (cropped, re-lit,
     * recompressed, greyscale): the nearest embeddings of the same provider above its threshold. Idempotent: a retry
     * writes the same list again.
     */
    async findNearDuplicates(input) {
      const embedding = await storedEmbedding(deps, input.userId, input.imageId);
      if (!embedding) return { count: 0, reason: 'no embedding stored' };
      const threshold = deps.minSimilarity(embedding.provider);
      if (threshold === undefined) {
        return { count: 0, reason: `embeddings by ${embedding.provider} do not tell near-duplicates apart` };
      }
      // The image itself is among them (a similarity of 1): one more is asked for.
      const nearest = await deps.similarity.nearestToVector(input.userId, embedding.provider, embedding.vector, {
        limit: MAX_NEAR_DUPLICATES + 1,
        floor: threshold,
      });
      const found: NearDuplicate[] = nearest
        .filter((neighbour) => neighbour.imageId !== input.imageId)
        .slice(0, MAX_NEAR_DUPLICATES)
        .map((neighbour) => ({ image_id: neighbour.imageId, similarity: Number(neighbour.similarity.toFixed(4)) }));
      await unlessGone(() =>
        deps.images.setNearDuplicates(input.userId, input.imageId, found, deps.now().toISOString()),
      );
      return { count: found.length };
    },
  };
}
