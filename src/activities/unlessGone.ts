import { ApplicationFailure } from '@temporalio/activity';
import { IMAGE_GONE } from '../contracts';
import { ImageNotFoundError } from '../storage/imageRepository';

/** Runs a write to the image item; a missing item becomes a non-retryable ImageGone. */
export async function unlessGone<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof ImageNotFoundError) throw ApplicationFailure.nonRetryable(error.message, IMAGE_GONE);
    throw error;
  }
}
