import { ApplicationFailure } from '@temporalio/activity';
import { ImageNotFoundError, type ImageRepository, type ImageResults } from '../images/imageRepository';

/** Failure type of an image deleted while it was processed: retrying cannot bring it back. */
export const IMAGE_GONE = 'ImageGone';

async function unlessGone(write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch (error) {
    if (error instanceof ImageNotFoundError) throw ApplicationFailure.nonRetryable(error.message, IMAGE_GONE);
    throw error;
  }
}

export function createRecordActivities(deps: { images: ImageRepository; now: () => Date }) {
  return {
    /** Writes the pipeline's results onto the image item and marks it completed. Idempotent: same keys, same values. */
    async saveImageResults(input: { userId: string; imageId: string; results: ImageResults }): Promise<void> {
      await unlessGone(() => deps.images.complete(input.userId, input.imageId, input.results, deps.now().toISOString()));
    },

    async markImageFailed(input: { userId: string; imageId: string; reason: string }): Promise<void> {
      await unlessGone(() => deps.images.fail(input.userId, input.imageId, input.reason, deps.now().toISOString()));
    },
  };
}
