import { config as loadDotenv } from 'dotenv';
import { NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import { createAiProvider } from '../ai/createAiProvider';
import { createDocumentClient, createDynamoDbClient } from '../clients/dynamodb';
import { createPresignS3Client, createS3Client } from '../clients/s3';
import { connectionOptions, createTemporalClient } from '../clients/temporal';
import { loadConfigOrExit } from '../config';
import { createLogger } from '../logging/logger';
import { temporalLogger } from '../logging/temporalLogger';
import { ensureReclusterSchedule } from './reclusterSchedule';

/**
 * The worker process: runs the image workflows and their activities on the configured task queue, and puts the
 * re-clustering Schedule in place (created, or updated to the configured cron).
 * On SIGTERM or SIGINT the SDK stops polling, lets in-flight activities finish for WORKER_SHUTDOWN_GRACE_MS,
 * then cancels the rest, which Temporal hands to another worker: nothing in flight is lost.
 */
async function main(): Promise<void> {
  loadDotenv({ quiet: true });
  const config = loadConfigOrExit();
  const logger = createLogger('worker', config.logLevel);
  Runtime.install({
    logger: temporalLogger(logger),
    // Activity execution and schedule-to-start latencies, workflow completions and failures, by type.
    telemetryOptions: config.worker.metricsAddress
      ? {
          metrics: {
            prometheus: {
              bindAddress: config.worker.metricsAddress,
              countersTotalSuffix: true,
              useSecondsForDurations: true,
            },
          },
        }
      : undefined,
  });

  const connection = await NativeConnection.connect(connectionOptions(config));
  const s3 = createS3Client(config);
  const presignS3 = createPresignS3Client(config, s3);
  const dynamodb = createDynamoDbClient(config);
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    workflowsPath: require.resolve('../workflows'),
    activities: createActivities({
      s3,
      presignS3,
      documents: createDocumentClient(dynamodb),
      ai: createAiProvider(config),
      config,
    }),
    maxConcurrentActivityTaskExecutions: config.worker.maxConcurrentActivities,
    maxConcurrentWorkflowTaskExecutions: config.worker.maxConcurrentWorkflowTasks,
    shutdownGraceTime: config.worker.shutdownGraceMs,
  });
  const client = createTemporalClient(config);
  await ensureReclusterSchedule(client, config);
  await client.connection.close();
  logger.info(
    { scheduleId: config.clustering.scheduleId, cron: config.clustering.cron },
    're-clustering schedule in place',
  );
  logger.info({ taskQueue: config.temporal.taskQueue, namespace: config.temporal.namespace }, 'worker running');
  try {
    await worker.run();
  } finally {
    await connection.close();
    s3.destroy();
    presignS3.destroy();
    dynamodb.destroy();
    logger.info('worker stopped');
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`worker failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
