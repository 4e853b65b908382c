import {
  ScheduleAlreadyRunning,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleOptionsAction,
  type ScheduleSpec,
} from '@temporalio/client';
import type { Config } from '../config';
import { WORKFLOW_TYPES, type ReclusterAllInput, type SweepStorageInput } from '../contracts';

interface ScheduleDefinition {
  scheduleId: string;
  cron: string;
  workflowType: string;
  args: unknown[];
  purpose: string;
}

/**
 * Creates a Schedule, or brings an existing one in line with the configuration (cron, task queue), so every worker
 * start leaves exactly one, as configured. A run still going when the next is due is not doubled.
 */
async function ensureSchedule(client: Client, taskQueue: string, definition: ScheduleDefinition): Promise<void> {
  const spec: ScheduleSpec = { cronExpressions: [definition.cron] };
  const action: ScheduleOptionsAction = {
    type: 'startWorkflow',
    workflowType: definition.workflowType,
    workflowId: `${definition.scheduleId}-run`,
    taskQueue,
    args: definition.args,
  };
  try {
    await client.schedule.create({
      scheduleId: definition.scheduleId,
      spec,
      action,
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
      memo: { purpose: definition.purpose },
    });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    await client.schedule.getHandle(definition.scheduleId).update((previous) => ({ ...previous, spec, action }));
  }
}

/** The nightly re-clustering of every user with images no re-clustering has seen (RECLUSTER_CRON). */
export function ensureReclusterSchedule(client: Client, config: Config): Promise<void> {
  return ensureSchedule(client, config.temporal.taskQueue, {
    scheduleId: config.clustering.scheduleId,
    cron: config.clustering.cron,
    workflowType: WORKFLOW_TYPES.reclusterAll,
    args: [{} satisfies ReclusterAllInput],
    purpose: 'Re-clusters every user with images no re-clustering has seen yet',
  });
}

/** The sweep of what API processes that died half-way left in storage (STORAGE_SWEEP_CRON). */
export function ensureStorageSweepSchedule(client: Client, config: Config): Promise<void> {
  return ensureSchedule(client, config.temporal.taskQueue, {
    scheduleId: config.storageSweep.scheduleId,
    cron: config.storageSweep.cron,
    workflowType: WORKFLOW_TYPES.sweepStorage,
    args: [
      {
        olderThanHours: config.storageSweep.olderThanHours,
        strandedAfterMinutes: config.storageSweep.strandedAfterMinutes,
      } satisfies SweepStorageInput,
    ],
    purpose: 'Aborts uploads left incomplete and purges images never handed to a run (their API process died)',
  });
}
