import { config as loadDotenv } from 'dotenv';
import { NativeConnection, Runtime } from '@temporalio/worker';
import { createAiProvider } from '../ai/createAiProvider';
import { createStorageClients } from '../clients/storageClients';
import { connectionOptions, createTemporalClient } from '../clients/temporal';
import { configOrExit, loadConfigWithSecrets } from '../config';
import { createLogger } from '../logging/logger';
import { temporalLogger } from '../logging/temporalLogger';
import { createStorage } from '../storage/createStorage';
import { startBacklogMetrics } from './backlogMetrics';
import { createWorker } from './createWorker';
import { exportStoreRequests } from './storeRequestMetrics';
import { ensureReclusterSchedule, ensureStorageSweepSchedule } from './schedules';

/**
 * The worker process: runs the image workflows and their activities on the configured task queue, and puts the
 * re-clustering Schedule in place (created, or updated to the configured cron).
 * On SIGTERM or SIGINT the SDK stops polling, lets in-flight activities finish for WORKER_SHUTDOWN_GRACE_MS,
 * then cancels the rest, which Temporal hands to another worker: nothing in flight is lost.
 */
async function main(): Promise<void> {
  loadDotenv({ quiet: true });
  const config = await configOrExit(loadConfigWithSecrets());
  const logger = createLogger('worker', config.logLevel);
  Runtime.install({
    logger: temporalLogger(logger),
    telemetryOptions: {
      // The SDK core's own logs come through the same pino logger, as JSON lines, instead of straight to the console.
      logging: { forward: {}, filter: { core: 'WARN', other: 'WARN' } },
      // Activity execution and schedule-to-start latencies, workflow completions and failures, by type.
      metrics: config.worker.metricsAddress
        ? {
            prometheus: {
              bindAddress: config.worker.metricsAddress,
              countersTotalSuffix: true,
              useSecondsForDurations: true,
            },
          }
        : undefined,
    },
  });

  const connection = await NativeConnection.connect(connectionOptions(config));
  const clients = createStorageClients(config);
  if (config.worker.metricsAddress) exportStoreRequests(clients, Runtime.instance().metricMeter);
  const worker = await createWorker({
    connection,
    config,
    storage: createStorage(clients, config),
    ai: createAiProvider(config),
  });
  const client = createTemporalClient(config);
  await ensureReclusterSchedule(client, config);
  await ensureStorageSweepSchedule(client, config);
  await client.connection.close();
  logger.info(
    { scheduleId: config.clustering.scheduleId, cron: config.clustering.cron },
    're-clustering schedule in place',
  );
  const { backlogMetrics } = config.worker;
  const backlog = backlogMetrics
    ? startBacklogMetrics(config, backlogMetrics, connection.workflowService, logger)
    : undefined;
  logger.info({ taskQueue: config.temporal.taskQueue, namespace: config.temporal.namespace }, 'worker running');
  try {
    await worker.run();
  } finally {
    backlog?.stop();
    await connection.close();
    clients.destroy();
    logger.info('worker stopped');
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`worker failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
