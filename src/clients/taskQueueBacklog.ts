import type { WorkflowService } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { optionalTsToMs } from '@temporalio/common/lib/time';

/** What waits on a task queue, as Temporal's DescribeTaskQueue reports it: the figures scaling reads. */
export interface TaskQueueBacklog {
  /** Tasks not yet handed to a worker, workflow and activity tasks together (approximate, as Temporal counts). */
  count: number;
  /** How long the oldest of them has waited, in seconds (0 with none). */
  ageSeconds: number;
  /** Workers that polled the queue for activity tasks lately (distinct identities). */
  workers: number;
}

const TYPES = [
  temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
  temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
] as const;

/**
 * The task queue's backlog and pollers, in two DescribeTaskQueue calls (one per task type: the request takes one);
 * over the client's or a worker's connection, whichever the caller holds.
 */
export async function readTaskQueueBacklog(
  service: WorkflowService,
  namespace: string,
  taskQueue: string,
): Promise<TaskQueueBacklog> {
  const [workflowTasks, activityTasks] = await Promise.all(
    TYPES.map((taskQueueType) =>
      service.describeTaskQueue({
        namespace,
        taskQueue: { name: taskQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
        taskQueueType,
        reportStats: true,
      }),
    ),
  );
  const stats = [workflowTasks!.stats, activityTasks!.stats];
  return {
    count: stats.reduce((sum, each) => sum + Number(each?.approximateBacklogCount ?? 0), 0),
    ageSeconds: Math.max(...stats.map((each) => (optionalTsToMs(each?.approximateBacklogAge) ?? 0) / 1000)),
    workers: new Set(activityTasks!.pollers?.map((poller) => poller.identity)).size,
  };
}
