import crypto from 'node:crypto';
import type { Client } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { createAiProvider } from '../../src/ai/createAiProvider';
import { connectionOptions, createTemporalClient } from '../../src/clients/temporal';
import type { Config } from '../../src/config';
import { createWorker } from '../../src/workers/createWorker';
import { testStorage } from './storage';
import { installQuietRuntime } from './temporalRuntime';

export interface RunningWorker {
  taskQueue: string;
  /** A client of the same namespace, for looking at the worker's runs. */
  client: Client;
  stop: () => Promise<void>;
}

/** The production worker (same workflows, same activities) on a task queue of the test's own. */
export async function startWorker(config: Config, taskQueue = `test-${crypto.randomUUID()}`): Promise<RunningWorker> {
  installQuietRuntime();
  const connection = await NativeConnection.connect(connectionOptions(config));
  const storage = testStorage(config);
  const worker = await createWorker({ connection, config, storage, ai: createAiProvider(config), taskQueue });
  const running = worker.run();
  const client = createTemporalClient(config);
  return {
    taskQueue,
    client,
    stop: async () => {
      worker.shutdown();
      await running;
      await connection.close();
      await client.connection.close();
      storage.destroy();
    },
  };
}
