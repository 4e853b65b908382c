import type { NearDuplicates } from '../contracts';
import type { SimilarityIndex } from '../similarity/similarityIndex';
import type { StoredEmbedding } from '../storage/embeddingRepository';

/** At most this many near-duplicates are recorded on an image, the most similar first. */
export const MAX_NEAR_DUPLICATES = 5;

export interface NearDuplicateSearch {
  /** This worker's copy of its users' vectors, which the embedding step keeps current. */
  similarity: SimilarityIndex;
  /** The similarity from which two embeddings of this provider are the same photo; undefined: it cannot tell. */
  minSimilarity: (provider: string) => number | undefined;
}

/**
 * The owner's other images that are the same photo as this one, possibly altered (cropped, re-lit, recompressed,
 * greyscale): the nearest embeddings of the same provider above its threshold, most similar first; or why none
 * were looked for. `writtenVersion`: the user's embeddings version the caller's own write of this vector made.
 */
export async function nearDuplicatesOf(
  deps: NearDuplicateSearch,
  userId: string,
  imageId: string,
  embedding: StoredEmbedding,
  writtenVersion?: number,
): Promise<NearDuplicates> {
  const threshold = deps.minSimilarity(embedding.provider);
  if (threshold === undefined) {
    return { found: [], reason: `embeddings by ${embedding.provider} do not tell near-duplicates apart` };
  }
  // The image itself is among them (a similarity of 1): one more is asked for.
  const nearest = await deps.similarity.nearestToVector(userId, embedding.provider, embedding.vector, {
    limit: MAX_NEAR_DUPLICATES + 1,
    floor: threshold,
    writtenVersion,
  });
  return {
    found: nearest
      .filter((neighbour) => neighbour.imageId !== imageId)
      .slice(0, MAX_NEAR_DUPLICATES)
      .map((neighbour) => ({ imageId: neighbour.imageId, similarity: Number(neighbour.similarity.toFixed(4)) })),
  };
}
