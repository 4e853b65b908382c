import type { AiProvider } from '../ai/aiProvider';
import type { AnalyseImageInput, PipelineActivities } from '../contracts';
import type { EmbeddingRepository } from '../storage/embeddingRepository';
import { thumbnailForAi, type ThumbnailSource } from './thumbnailForAi';

export function createAnalysisActivities(deps: {
  thumbnails: ThumbnailSource;
  ai: AiProvider;
  embeddings: EmbeddingRepository;
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
      await deps.embeddings.put(
        input.userId,
        input.imageId,
        { vector, provider: deps.ai.name },
        deps.now().toISOString(),
      );
      return { dimensions: vector.length, provider: deps.ai.name };
    },
  };
}
