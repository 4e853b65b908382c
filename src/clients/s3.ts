import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import type { Config } from '../config';

export function createS3Client(config: Config, overrides: S3ClientConfig = {}): S3Client {
  return new S3Client({
    region: config.aws.region,
    credentials: config.aws.credentials,
    endpoint: config.s3.endpoint,
    forcePathStyle: config.s3.forcePathStyle,
    // Retries of whole operations belong to Temporal; the SDK only smooths over brief blips.
    maxAttempts: 3,
    ...overrides,
  });
}

/**
 * A client for signing URLs that others fetch: the same store, reached at S3_PUBLIC_ENDPOINT when that is set.
 * Checksums only where S3 requires them: by default the SDK signs a checksum of the (empty) body into a presigned
 * PUT, which S3 then finds does not match the bytes the client sends.
 */
export function createPresignS3Client(config: Config): S3Client {
  const endpoint = config.urls.s3PublicEndpoint ?? config.s3.endpoint;
  return createS3Client(config, { endpoint, requestChecksumCalculation: 'WHEN_REQUIRED' });
}
