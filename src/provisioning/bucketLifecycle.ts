import {
  GetBucketLifecycleConfigurationCommand,
  PutBucketLifecycleConfigurationCommand,
  type LifecycleRule,
  type S3Client,
} from '@aws-sdk/client-s3';

/** Days after which S3 aborts a multipart upload nobody completed (an upload dropped with its API process). */
export const ABORT_INCOMPLETE_UPLOADS_AFTER_DAYS = 1;

export const RULE: LifecycleRule = {
  ID: 'imagepipe-abort-incomplete-multipart-uploads',
  Status: 'Enabled',
  Filter: { Prefix: '' },
  AbortIncompleteMultipartUpload: { DaysAfterInitiation: ABORT_INCOMPLETE_UPLOADS_AFTER_DAYS },
};

/**
 * Whether the bucket aborts incomplete multipart uploads within a day: `present`, `missing`, or `unsupported` by
 * this S3 (versitygw answers 501 to lifecycle requests; the worker's storage sweep covers it there).
 */
export type LifecycleState = 'present' | 'missing' | 'unsupported';

const unsupported = (error: unknown) => {
  const { name, $metadata } = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return name === 'NotImplemented' || $metadata?.httpStatusCode === 501;
};

export async function bucketLifecycleState(s3: S3Client, bucket: string): Promise<LifecycleState> {
  try {
    const { Rules = [] } = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }));
    const aborts = Rules.some(
      (rule) =>
        rule.Status === 'Enabled' &&
        (rule.AbortIncompleteMultipartUpload?.DaysAfterInitiation ?? Infinity) <= ABORT_INCOMPLETE_UPLOADS_AFTER_DAYS &&
        !rule.Filter?.Prefix &&
        !rule.Filter?.And &&
        !rule.Filter?.Tag,
    );
    return aborts ? 'present' : 'missing';
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchLifecycleConfiguration') return 'missing';
    if (unsupported(error)) return 'unsupported';
    throw error;
  }
}

/** Adds the rule when it is missing, keeping the bucket's other rules; returns the state before. */
export async function ensureBucketLifecycle(s3: S3Client, bucket: string): Promise<LifecycleState> {
  const state = await bucketLifecycleState(s3, bucket);
  if (state !== 'missing') return state;
  let rules: LifecycleRule[] = [];
  try {
    rules = (await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }))).Rules ?? [];
  } catch (error) {
    if ((error as { name?: string }).name !== 'NoSuchLifecycleConfiguration') throw error;
  }
  await s3.send(
    new PutBucketLifecycleConfigurationCommand({
      Bucket: bucket,
      LifecycleConfiguration: { Rules: [...rules.filter((rule) => rule.ID !== RULE.ID), RULE] },
    }),
  );
  return state;
}
