import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Config } from '../config';
import { ensureBucketLifecycle, type LifecycleState } from './bucketLifecycle';
import { ensureBucket } from './ensureBucket';
import { ensureTables } from './ensureTables';

export interface ProvisionResult {
  bucketCreated: boolean;
  /** The bucket's rule aborting incomplete multipart uploads, as it was found (`missing` ones are added). */
  bucketLifecycle: LifecycleState;
  tablesCreated: string[];
}

/** Creates the bucket (with its lifecycle rule) and tables the service needs when they are missing. Safe to rerun. */
export async function provisionResources(
  clients: { s3: S3Client; dynamodb: DynamoDBClient },
  config: Config,
): Promise<ProvisionResult> {
  const [bucket, tablesCreated] = await Promise.all([
    ensureBucket(clients.s3, config.s3.bucket, config.aws.region).then(async (bucketCreated) => ({
      bucketCreated,
      bucketLifecycle: await ensureBucketLifecycle(clients.s3, config.s3.bucket),
    })),
    ensureTables(clients.dynamodb, config),
  ]);
  return { ...bucket, tablesCreated };
}
