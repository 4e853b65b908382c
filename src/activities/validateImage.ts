import { ApplicationFailure } from '@temporalio/activity';
import { INVALID_IMAGE, ORIGINAL_MISSING, type OriginalFacts, type PipelineActivities } from '../contracts';
import { UploadRejection, type UploadLimits } from '../images/uploadRules';
import type { ImageObjects } from '../storage/imageObjects';
import { inspectStoredOriginal } from '../storage/inspectStoredOriginal';

/**
 * Whether the original the API checked is still there at that size: originals are immutable once checked, so it is
 * the same object, and the API's facts hold. Otherwise it is inspected afresh.
 */
async function stillThere(objects: ImageObjects, key: string, checked: OriginalFacts): Promise<boolean> {
  return (await objects.size(key)) === checked.bytes;
}

export function createValidationActivities(deps: {
  objects: ImageObjects;
  limits: UploadLimits;
}): Pick<PipelineActivities, 'validateImage'> {
  return {
    /**
     * Checks the stored original against the upload rules from its size and header alone, before anything is
     * decoded: bad input fails here, at once and for good, with the rule it broke. An original the API checked
     * already is only looked up.
     */
    async validateImage(input) {
      try {
        const original =
          input.checked && (await stillThere(deps.objects, input.originalKey, input.checked))
            ? input.checked
            : await inspectStoredOriginal(deps.objects, input.originalKey, deps.limits);
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
