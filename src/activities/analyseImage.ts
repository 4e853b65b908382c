import type { AiProvider } from '../ai/aiProvider';
import type { AnalyseImageInput, PipelineActivities } from '../contracts';
import type { SimilarityIndex } from '../similarity/similarityIndex';
import type { EmbeddingRepository, StoredEmbedding } from '../storage/embeddingRepository';
import type { RecentlyStored } from './recentlyStored';
import { thumbnailForAi, type ThumbnailSource } from './thumbnailForAi';

/** Embeddings this worker stored lately, by `recentEmbeddingKey`: the cluster step that follows reads them here. */
export type RecentEmbeddings = RecentlyStored<StoredEmbedding>;
export const recentEmbeddingKey = (userId: string, imageId: string) => `${userId}/${imageId}`;

/** The image's stored embedding: from this worker's memory when its embedding step ran here (most often), else read. */
export async function storedEmbedding(
  deps: { recentEmbeddings: RecentEmbeddings; embeddings: EmbeddingRepository },
  userId: string,
  imageId: string,
): Promise<StoredEmbedding | undefined> {
  return deps.recentEmbeddings.get(recentEmbeddingKey(userId, imageId)) ?? deps.embeddings.get(userId, imageId);
}

export function createAnalysisActivities(deps: {
  thumbnails: ThumbnailSource;
  ai: AiProvider;
  embeddings: EmbeddingRepository;
  recentEmbeddings: RecentEmbeddings;
  /** This worker's copy of its users' vectors: told of each new one (see SimilarityIndex.learn). */
  similarity: SimilarityIndex;
  now: () => Date;
}): Pick<PipelineActivities, 'describeImage' | 'embedImage'> {
  const imageForAi = (input: AnalyseImageInput) =>
    thumbnailForAi(deps.thumbnails, input.thumbnailKey, {
      width: input.width,
      height: input.height,
      format: input.format,
    });

  return {
    async describeImage(input) {
      return deps.ai.describe(await imageForAi(input));
    },

    /** Stores the vector itself (it never travels through workflow history) and returns what it is. */
    async embedImage(input) {
      const vector = await deps.ai.embed({ image: await imageForAi(input), description: input.description });
      const embedding = { vector, provider: deps.ai.name };
      const version = await deps.embeddings.put(input.userId, input.imageId, embedding, deps.now().toISOString());
      deps.similarity.learn(input.userId, input.imageId, embedding, version);
      deps.recentEmbeddings.remember(recentEmbeddingKey(input.userId, input.imageId), embedding);
      return { dimensions: vector.length, provider: deps.ai.name };
    },
  };
}
