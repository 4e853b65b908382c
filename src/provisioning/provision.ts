import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Config } from '../config';
import { ensureBucket } from './ensureBucket';
import { ensureTables } from './ensureTables';

export interface ProvisionResult {
  bucketCreated: boolean;
  tablesCreated: string[];
}

/** Creates the bucket and tables the service needs when they are missing. Safe to run again and again. */
export async function provisionResources(
  clients: { s3: S3Client; dynamodb: DynamoDBClient },
  config: Config,
): Promise<ProvisionResult> {
  const [bucketCreated, tablesCreated] = await Promise.all([
    ensureBucket(clients.s3, config.s3.bucket, config.aws.region),
    ensureTables(clients.dynamodb, config),
  ]);
  return { bucketCreated, tablesCreated };
}
