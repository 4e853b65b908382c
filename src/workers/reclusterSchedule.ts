import {
  ScheduleAlreadyRunning,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleOptionsAction,
  type ScheduleSpec,
} from '@temporalio/client';
import type { Config } from '../config';
import { WORKFLOW_TYPES, type ReclusterAllInput } from '../contracts';

/**
 * Creates the re-clustering Schedule, or brings an existing one in line with the configuration (cron, task queue),
 * so every worker start leaves exactly one, as configured. A run still going when the next is due is not doubled.
 */
export async function ensureReclusterSchedule(client: Client, config: Config): Promise<void> {
  const spec: ScheduleSpec = { cronExpressions: [config.clustering.cron] };
  const action: ScheduleOptionsAction = {
    type: 'startWorkflow',
    workflowType: WORKFLOW_TYPES.reclusterAll,
    workflowId: `${config.clustering.scheduleId}-run`,
    taskQueue: config.temporal.taskQueue,
    args: [{} satisfies ReclusterAllInput],
  };
  try {
    await client.schedule.create({
      scheduleId: config.clustering.scheduleId,
      spec,
      action,
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
      memo: { purpose: 'Re-clusters every user with images no re-clustering has seen yet' },
    });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    await client.schedule.getHandle(config.clustering.scheduleId).update((previous) => ({ ...previous, spec, action }));
  }
}
