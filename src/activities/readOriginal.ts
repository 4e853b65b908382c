import type { Readable } from 'node:stream';
import { GetObjectCommand, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import { ApplicationFailure } from '@temporalio/activity';
import { ORIGINAL_MISSING } from './failureTypes';

/** The original's bytes as a stream; a missing object is final (OriginalMissing), any other error is retried. */
export async function readOriginal(s3: S3Client, bucket: string, key: string): Promise<Readable> {
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return object.Body as Readable;
  } catch (error) {
    if (error instanceof NoSuchKey)
      throw ApplicationFailure.nonRetryable(`The original ${key} is not in storage.`, ORIGINAL_MISSING);
    throw error;
  }
}
