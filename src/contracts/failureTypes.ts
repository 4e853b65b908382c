// Failure types raised by activities and read by workflows. The first three are never retried: another attempt
// cannot help, and the image is marked failed with the failure's message, which its owner reads (the other types'
// messages are never shown to the owner: see src/activities/ownersReason.ts).

/** The bytes are not an image this service accepts (corrupt, truncated, unsupported, out of limits). */
export const INVALID_IMAGE = 'InvalidImage';
/** The original is not in storage. */
export const ORIGINAL_MISSING = 'OriginalMissing';
/** The image was deleted while it was being processed. */
export const IMAGE_GONE = 'ImageGone';

export const NON_RETRYABLE_TYPES = [INVALID_IMAGE, ORIGINAL_MISSING, IMAGE_GONE];

/** The AI provider's rate limit: retried, after its Retry-After when it gave one. */
export const AI_RATE_LIMITED = 'AiRateLimited';
/** The AI provider is down or unreachable: retried. */
export const AI_UNAVAILABLE = 'AiUnavailable';
/** The AI provider refused the request (bad input, bad key, unknown model): not retried. */
export const AI_REQUEST_REJECTED = 'AiRequestRejected';

/** A removal's sweep waits: the image's pipeline run is still open, or a step it began may still be writing. */
export const PIPELINE_STILL_RUNNING = 'PipelineStillRunning';
