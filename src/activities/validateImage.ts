import { ApplicationFailure } from '@temporalio/activity';
import { INVALID_IMAGE, ORIGINAL_MISSING, type PipelineActivities } from '../contracts';
import { UploadRejection, type UploadLimits } from '../images/uploadRules';
import type { ImageObjects } from '../storage/imageObjects';
import { inspectStoredOriginal } from '../storage/inspectStoredOriginal';

export function createValidationActivities(deps: {
  objects: ImageObjects;
  limits: UploadLimits;
}): Pick<PipelineActivities, 'validateImage'> {
  return {
    /**
     * Checks the stored original against the upload rules from its size and header alone, before anything is
     * decoded: bad input fails here, at once and for good, with the rule it broke. An original the API checked as it
     * streamed it in is taken as checked, with no request to storage: originals are immutable, and the thumbnail
     * step, which reads it whole, finds it gone or not that size.
     */
    async validateImage(input) {
      if (input.checked) return input.checked;
      try {
        const original = await inspectStoredOriginal(deps.objects, input.originalKey, deps.limits);
        if (!original) {
          throw ApplicationFailure.nonRetryable(
            `The original ${input.originalKey} is not in storage.`,
            ORIGINAL_MISSING,
          );
        }
        return original;
      } catch (error) {
        if (error instanceof UploadRejection) {
          throw ApplicationFailure.nonRetryable(error.detail, INVALID_IMAGE, { rule: error.rule });
        }
        throw error;
      }
    },
  };
}
