import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import type { AiProvider } from '../ai/aiProvider';
import { pipelineRunsOf } from '../clients/pipelineRuns';
import type { Config } from '../config';
import type { Storage } from '../storage/createStorage';

/**
 * A worker for the image workflows and their activities: what the worker process runs, and what tests run on a task
 * queue of their own.
 */
export function createWorker(deps: {
  connection: NativeConnection;
  config: Config;
  storage: Storage;
  ai: AiProvider;
  taskQueue?: string;
}): Promise<Worker> {
  const { config } = deps;
  return Worker.create({
    connection: deps.connection,
    namespace: config.temporal.namespace,
    taskQueue: deps.taskQueue ?? config.temporal.taskQueue,
    workflowsPath: require.resolve('../workflows'),
    activities: createActivities({
      storage: deps.storage,
      ai: deps.ai,
      config,
      runs: pipelineRunsOf(deps.connection.workflowService, config.temporal.namespace),
    }),
    maxConcurrentActivityTaskExecutions: config.worker.maxConcurrentActivities,
    maxConcurrentWorkflowTaskExecutions: config.worker.maxConcurrentWorkflowTasks,
    shutdownGraceTime: config.worker.shutdownGraceMs,
  });
}
