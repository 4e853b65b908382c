import type { S3Client } from '@aws-sdk/client-s3';
import { createS3Client } from '../../src/clients/s3';
import { startApi, type RunningApi } from './apiServer';
import { testConfig } from './stackEnv';
import { startWorker, type RunningWorker } from './worker';

export interface RunningService {
  api: RunningApi;
  worker: RunningWorker;
  /** A client of the test stack's S3, for looking at what was stored. */
  s3: S3Client;
  stop: () => Promise<void>;
}

/** The whole service in this process: the production worker on a task queue of its own, and the API starting on it. */
export async function startService(apiOverrides: Record<string, string> = {}): Promise<RunningService> {
  const s3 = createS3Client(testConfig());
  const worker = await startWorker(testConfig(), s3);
  const api = await startApi({ TEMPORAL_TASK_QUEUE: worker.taskQueue, ...apiOverrides });
  return {
    api,
    worker,
    s3,
    stop: async () => {
      await api.close();
      await worker.stop();
      s3.destroy();
    },
  };
}
