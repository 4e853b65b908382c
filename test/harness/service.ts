import { startApi, type RunningApi } from './apiServer';
import { testConfig } from './stackEnv';
import { testStorage, type TestStorage } from './storage';
import { startWorker, type RunningWorker } from './worker';

export interface RunningService {
  api: RunningApi;
  worker: RunningWorker;
  /** The test stack's storage, for looking at what was stored. */
  storage: TestStorage;
  stop: () => Promise<void>;
}

/**
 * The whole service in this process: the production worker on a task queue of its own, and the API starting on it.
 * `overrides` apply to both (as one environment would), `apiOverrides` to the API alone.
 */
export async function startService(
  apiOverrides: Record<string, string> = {},
  overrides: Record<string, string> = {},
): Promise<RunningService> {
  const worker = await startWorker(testConfig(overrides));
  const api = await startApi({ TEMPORAL_TASK_QUEUE: worker.taskQueue, ...overrides, ...apiOverrides });
  const storage = testStorage();
  return {
    api,
    worker,
    storage,
    stop: async () => {
      await api.close();
      await worker.stop();
      storage.destroy();
    },
  };
}
