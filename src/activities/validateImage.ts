import type { S3Client } from '@aws-sdk/client-s3';
import { ApplicationFailure } from '@temporalio/activity';
import type { Config } from '../config';
import { inspectStoredOriginal, type StoredOriginal } from '../images/inspectStoredOriginal';
import { UploadRejection, uploadLimits } from '../images/uploadRules';
import { INVALID_IMAGE, ORIGINAL_MISSING } from './failureTypes';

export function createValidationActivities(deps: { s3: S3Client; config: Config }) {
  const limits = uploadLimits(deps.config);
  return {
    /**
     * Checks the stored original against the upload rules from its size and header alone, before anything is
     * decoded: bad input fails here, at once and for good, with the rule it broke.
     */
    async validateImage(input: { originalKey: string }): Promise<StoredOriginal> {
      try {
        const original = await inspectStoredOriginal(deps.s3, deps.config.s3.bucket, input.originalKey, limits);
        if (!original)
          throw ApplicationFailure.nonRetryable(
            `The original ${input.originalKey} is not in storage.`,
            ORIGINAL_MISSING,
          );
        return original;
      } catch (error) {
        if (error instanceof UploadRejection)
          throw ApplicationFailure.nonRetryable(error.detail, INVALID_IMAGE, { rule: error.rule });
        throw error;
      }
    },
  };
}
