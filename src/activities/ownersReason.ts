import {
  AI_RATE_LIMITED,
  AI_REQUEST_REJECTED,
  AI_UNAVAILABLE,
  IMAGE_GONE,
  INVALID_IMAGE,
  ORIGINAL_MISSING,
  type StepFailure,
} from '../contracts';

/** Failures whose message is the service's own words about the image itself: fit to show its owner. */
const OWN_WORDS = [INVALID_IMAGE, ORIGINAL_MISSING, IMAGE_GONE];
const AI_FAILURES = [AI_RATE_LIMITED, AI_UNAVAILABLE, AI_REQUEST_REJECTED];

/**
 * The reason the image's owner reads (API and status URL) for a failed step. Only the service's own words about the
 * image pass as they are; a provider's or a dependency's error text (an API key's prefix, an internal address) stays
 * in the run's history and the worker's logs, where operators read it.
 */
export function ownersReason(failure: StepFailure): string {
  const { type } = failure;
  if (type && OWN_WORDS.includes(type)) return failure.message;
  if (type && AI_FAILURES.includes(type)) return 'The AI provider could not describe or embed this image.';
  return 'Processing failed after repeated attempts. Upload the image again to retry.';
}
