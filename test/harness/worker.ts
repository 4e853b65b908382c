import crypto from 'node:crypto';
import type { Client } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createTemporalClient } from '../../src/clients/temporal';
import type { S3Client } from '@aws-sdk/client-s3';
import { createActivities } from '../../src/activities';
import { createAiProvider } from '../../src/ai/createAiProvider';
import { createDocumentClient, createDynamoDbClient } from '../../src/clients/dynamodb';
import { connectionOptions } from '../../src/clients/temporal';
import type { Config } from '../../src/config';
import { installQuietRuntime } from './temporalRuntime';

export interface RunningWorker {
  taskQueue: string;
  /** A client of the same namespace, for looking at the worker's runs. */
  client: Client;
  stop: () => Promise<void>;
}

/** The production worker (same workflows, same activities) on a task queue of the test's own. */
export async function startWorker(
  config: Config,
  s3: S3Client,
  taskQueue = `test-${crypto.randomUUID()}`,
): Promise<RunningWorker> {
  installQuietRuntime();
  const connection = await NativeConnection.connect(connectionOptions(config));
  const dynamodb = createDynamoDbClient(config);
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue,
    workflowsPath: require.resolve('../../src/workflows'),
    activities: createActivities({
      s3,
      documents: createDocumentClient(dynamodb),
      ai: createAiProvider(config),
      config,
    }),
  });
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
      dynamodb.destroy();
    },
  };
}
