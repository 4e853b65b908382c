import { S3Client } from '@aws-sdk/client-s3';
import type { Config } from '../config';

export function createS3Client(config: Config): S3Client {
  return new S3Client({
    region: config.aws.region,
    credentials: config.aws.credentials,
    endpoint: config.s3.endpoint,
    forcePathStyle: config.s3.forcePathStyle,
    // Retries of whole operations belong to Temporal; the SDK only smooths over brief blips.
    maxAttempts: 3,
  });
}

/** A client for signing URLs that others fetch: the same store, reached at S3_PUBLIC_ENDPOINT when that is set. */
export function createPresignS3Client(config: Config, s3: S3Client): S3Client {
  return config.urls.s3PublicEndpoint
    ? createS3Client({ ...config, s3: { ...config.s3, endpoint: config.urls.s3PublicEndpoint } })
    : s3;
}
