import type { WorkflowService } from '@temporalio/client';
import { createCloudWatchMetrics, type MetricDatum } from '../clients/cloudWatchMetrics';
import { readTaskQueueBacklog, type TaskQueueBacklog } from '../clients/taskQueueBacklog';
import type { Config } from '../config';
import type { Logger } from '../logging/logger';

/** One data point of the task queue's backlog, as it goes to CloudWatch. */
export interface BacklogDatum extends MetricDatum {
  name: 'ApproximateBacklogCount' | 'ApproximateBacklogAge' | 'BacklogPerWorker';
}

export interface BacklogPublisher {
  /** Stops the timer; a publication under way finishes. */
  stop(): void;
}

/**
 * What scaling reads, from one reading of the backlog: the backlog itself, the age of its oldest task, and the
 * backlog per worker polling (at least one, so a queue nobody polls yet reads as all of it for one worker).
 */
export function backlogData(backlog: TaskQueueBacklog): BacklogDatum[] {
  return [
    { name: 'ApproximateBacklogCount', value: backlog.count, unit: 'Count' },
    { name: 'ApproximateBacklogAge', value: backlog.ageSeconds, unit: 'Seconds' },
    { name: 'BacklogPerWorker', value: backlog.count / Math.max(1, backlog.workers), unit: 'Count' },
  ];
}

/**
 * Reads the backlog and publishes it every `intervalMs` (and once at once). Every worker publishes the same
 * figures: the scaling policy averages them, and the metric lives as long as one worker does (WorkerMinCount ≥ 1).
 * A reading or publication that fails is reported and tried again at the next tick: scaling goes on the last
 * figures meanwhile.
 */
export function publishBacklog(deps: {
  read: () => Promise<TaskQueueBacklog>;
  publish: (data: BacklogDatum[]) => Promise<void>;
  intervalMs: number;
  onError: (error: unknown) => void;
}): BacklogPublisher {
  let running = false;
  const tick = async () => {
    // A slow Temporal or CloudWatch must not stack readings up behind each other.
    if (running) return;
    running = true;
    try {
      await deps.publish(backlogData(await deps.read()));
    } catch (error) {
      deps.onError(error);
    } finally {
      running = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), deps.intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

/**
 * The worker's publication of its task queue's backlog to CloudWatch (WORKER_BACKLOG_METRICS=cloudwatch), in the
 * configured namespace with the task queue as dimension: what the AWS template's scaling policy reads. Per worker and
 * reading: two DescribeTaskQueue calls and one PutMetricData (about 44,000 a month at the default minute: $0.44).
 */
export function startBacklogMetrics(
  config: Config,
  settings: NonNullable<Config['worker']['backlogMetrics']>,
  service: WorkflowService,
  logger: Logger,
): BacklogPublisher {
  const cloudWatch = createCloudWatchMetrics(config, settings);
  const { namespace, taskQueue } = config.temporal;
  const publisher = publishBacklog({
    read: () => readTaskQueueBacklog(service, namespace, taskQueue),
    publish: (data) => cloudWatch.put({ TaskQueue: taskQueue }, data),
    intervalMs: settings.intervalSeconds * 1000,
    onError: (error) => logger.warn({ err: error }, 'task queue backlog not published'),
  });
  return {
    stop: () => {
      publisher.stop();
      cloudWatch.destroy();
    },
  };
}
