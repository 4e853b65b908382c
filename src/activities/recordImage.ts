import {
  imageOutcomeEventId,
  type ImageFacts,
  type PipelineActivities,
  type PipelineResults,
  type RunSteps,
  type StepFailure,
  type WebhookEvent,
} from '../contracts';
import type { ProcessingResults } from '../storage/imageRecord';
import type { ImageRepository } from '../storage/imageRepository';
import { recordProgress } from '../storage/recordedProgress';
import type { SearchTermRepository } from '../storage/searchTermRepository';
import { ownersReason } from './ownersReason';
import { unlessGone } from './unlessGone';

type Ids = { userId: string; imageId: string };

/**
 * What runs scheduled before the workflow passed its steps' results as they are may still hand over (an activity
 * task of theirs retried by a worker of today): the record's fields, and the owner's words already made.
 */
type RecordedResults = Ids & { results: ProcessingResults };
type RecordedReason = Ids & { reason: string };

/** The image item's fields for what the pipeline's steps returned, and how the steps went when the run says. */
export function processingResults({
  facts,
  description,
  embedding,
  steps,
}: PipelineResults & RunSteps): ProcessingResults {
  return {
    width: facts.width,
    height: facts.height,
    format: facts.format,
    bytes: facts.bytes,
    sha256: facts.sha256,
    thumbnails: facts.thumbnails.map((thumbnail) => ({
      size: thumbnail.size,
      key: thumbnail.key,
      width: thumbnail.width,
      height: thumbnail.height,
      bytes: thumbnail.bytes,
      content_type: thumbnail.contentType,
    })),
    dominant_color: facts.dominantColor,
    placeholder: facts.placeholder,
    ai_description: description,
    embedding_dimensions: embedding.dimensions,
    embedding_provider: embedding.provider,
    // None found: no attribute at all, so that lists of near-duplicates leave the image out.
    near_duplicates: embedding.nearDuplicates?.found.length
      ? embedding.nearDuplicates.found.map(({ imageId, similarity }) => ({ image_id: imageId, similarity }))
      : undefined,
    progress: steps && recordProgress(steps, embedding.nearDuplicates?.reason),
  };
}

export function createRecordActivities(deps: {
  images: ImageRepository;
  searchTerms: SearchTermRepository;
  /**
   * What the AI provider recognises in the image, from the thumbnail its description step was shown: none from a
   * provider that names no classes.
   */
  labelsOf?: (facts: ImageFacts) => Promise<ProcessingResults['labels']>;
  /** The objects the AI provider finds in that thumbnail: none from a provider that detects no objects. */
  objectsOf?: (facts: ImageFacts) => Promise<ProcessingResults['objects']>;
  /** Tells the user's webhook endpoints (src/services/webhookEvents.ts). */
  publish: (event: WebhookEvent) => Promise<unknown>;
  now: () => Date;
}): Pick<PipelineActivities, 'saveImageResults' | 'markImageFailed'> {
  /** The image's outcome, once it is written: a retry sends the same event (same id), which delivery drops. */
  const outcome = ({ userId, imageId }: Ids, type: 'completed' | 'failed') =>
    deps.publish({
      id: imageOutcomeEventId(imageId, type),
      type: `image.${type}`,
      userId,
      imageId,
      occurredAt: deps.now().toISOString(),
    });
  return {
    /**
     * Writes the pipeline's results onto the image item and marks it completed, then indexes its words for text
     * search, the AI description among them: an image is indexed once, here, when all its words are known (its
     * upload wrote none, so that accepting it costs no more than it must); then tells its owner's webhooks.
     * Idempotent: same keys, same values, same event.
     */
    async saveImageResults(input: (Ids & PipelineResults & RunSteps) | RecordedResults) {
      const results = 'results' in input ? input.results : processingResults(input);
      // The provider answers from what its description step computed, when that ran in this worker (it does, but for a
      // retry elsewhere): no second pass of its networks.
      if (!('results' in input)) {
        const [labels, objects] = await Promise.all([deps.labelsOf?.(input.facts), deps.objectsOf?.(input.facts)]);
        if (labels) results.labels = labels;
        if (objects) results.objects = objects;
      }
      await unlessGone(async () => {
        const record = await deps.images.complete(input.userId, input.imageId, results, deps.now().toISOString());
        await deps.searchTerms.indexImage(record);
      });
      await outcome(input, 'completed');
    },

    /**
     * Marks the image failed with its owner's words for what went wrong (and its steps as far as they got), and
     * returns those words; indexes the words its owner gave it, so a failed image is found like any other (and can
     * be deleted from a search).
     */
    async markImageFailed(input: (Ids & { failure: StepFailure } & RunSteps) | RecordedReason) {
      const reason = 'reason' in input ? input.reason : ownersReason(input.failure);
      const progress = 'steps' in input && input.steps ? recordProgress(input.steps) : undefined;
      await unlessGone(async () => {
        const record = await deps.images.fail(input.userId, input.imageId, reason, deps.now().toISOString(), progress);
        await deps.searchTerms.indexImage(record);
      });
      await outcome(input, 'failed');
      return reason;
    },
  };
}
