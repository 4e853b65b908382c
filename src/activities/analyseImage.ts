import { log } from '@temporalio/activity';
import type { AiProvider } from '../ai/aiProvider';
import type { AnalyseImageInput, PipelineActivities } from '../contracts';
import type { EmbeddingRepository, StoredEmbedding } from '../storage/embeddingRepository';
import { nearDuplicatesOf, type NearDuplicateSearch } from './nearDuplicatesOf';
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

export function createAnalysisActivities(
  deps: NearDuplicateSearch & {
    thumbnails: ThumbnailSource;
    ai: AiProvider;
    embeddings: EmbeddingRepository;
    recentEmbeddings: RecentEmbeddings;
    now: () => Date;
  },
): Pick<PipelineActivities, 'describeImage' | 'embedImage'> {
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

    /**
     * Stores the vector itself (it never travels through workflow history) and returns what it is; asked, also the
     * owner's images it nearly duplicates, while the vector is at hand (this worker's copy of the owner's vectors has
     * just taken it in: no read of the library).
     */
    async embedImage(input) {
      const vector = await deps.ai.embed({ image: await imageForAi(input), description: input.description });
      const embedding = { vector, provider: deps.ai.name };
      const version = await deps.embeddings.put(input.userId, input.imageId, embedding, deps.now().toISOString());
      deps.similarity.learn(input.userId, input.imageId, embedding, version);
      deps.recentEmbeddings.remember(recentEmbeddingKey(input.userId, input.imageId), embedding);
      const summary = { dimensions: vector.length, provider: deps.ai.name };
      if (!input.findNearDuplicates) return summary;
      // Looking for them is no reason to fail an image, nor to embed it again: said, not thrown.
      const nearDuplicates = await nearDuplicatesOf(deps, input.userId, input.imageId, embedding, version).catch(
        (error: unknown) => {
          log.warn('looking for near-duplicates failed', { error: (error as Error).message });
          return { found: [], reason: 'looking for near-duplicates failed' };
        },
      );
      return { ...summary, nearDuplicates };
    },
  };
}
