// Failure types the workflow never retries: another attempt cannot help. The workflow marks the image failed with
// the failure's message, which its owner reads from the API. No imports: workflow code reads these too.

/** The bytes are not an image this service accepts (corrupt, truncated, unsupported, out of limits). */
export const INVALID_IMAGE = 'InvalidImage';
/** The original is not in storage. */
export const ORIGINAL_MISSING = 'OriginalMissing';
/** The image was deleted while it was being processed. */
export const IMAGE_GONE = 'ImageGone';

export const NON_RETRYABLE_TYPES = [INVALID_IMAGE, ORIGINAL_MISSING, IMAGE_GONE];
