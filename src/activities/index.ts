import type { S3Client } from '@aws-sdk/client-s3';
import type { Config } from '../config';
import { createThumbnailActivities } from './createThumbnails';

export interface ActivityDependencies {
  s3: S3Client;
  config: Config;
}

/** Every activity the worker registers, built from injected clients so tests can point them anywhere real. */
export function createActivities(deps: ActivityDependencies) {
  return {
    ...createThumbnailActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
