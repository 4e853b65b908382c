import type { AiProvider, ImageForAi } from '../ai/aiProvider';
import type { EmbeddingRepository } from '../images/embeddingRepository';
import { thumbnailForAi, type ThumbnailSource } from './thumbnailForAi';

export interface AnalyseImageInput {
  userId: string;
  imageId: string;
  /** The thumbnail the provider is shown (the smallest one): a few KB instead of the original. */
  thumbnailKey: string;
  width: number;
  height: number;
  format: string;
}

export interface EmbeddingSummary {
  dimensions: number;
  provider: string;
}

export function createAnalysisActivities(deps: {
  thumbnails: ThumbnailSource;
  ai: AiProvider;
  embeddings: EmbeddingRepository;
  now: () => Date;
}) {
  const imageForAi = (input: AnalyseImageInput): Promise<ImageForAi> =>
    thumbnailForAi(deps.thumbnails, input.thumbnailKey, {
      width: input.width,
      height: input.height,
      format: input.format,
    });

  return {
    async describeImage(input: AnalyseImageInput): Promise<string> {
      return deps.ai.describe(await imageForAi(input));
    },

    /** Stores the vector itself (it never travels through workflow history) and returns what it is. */
    async embedImage(input: AnalyseImageInput & { description: string }): Promise<EmbeddingSummary> {
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
