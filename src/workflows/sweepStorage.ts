import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ParentClosePolicy, patched, proxyActivities, startChild } from '@temporalio/workflow';
import {
  IMAGE_ID,
  purgeWorkflowIdOf,
  USER_ID,
  WORKFLOW_TYPES,
  type HeldEventsSwept,
  type PurgeImageInput,
  type StorageSweepActivities,
  type SweepStorageInput,
} from '../contracts';

const { abortStaleUploads, findStrandedImages, sendHeldEvents } = proxyActivities<StorageSweepActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 5 },
});

export interface SweepResult {
  aborted: number;
  purged: number;
  failed: number;
  settled: number;
  /** The webhook events requests held and never let go (none in the result of a run from before they were). */
  heldEvents?: HeldEventsSwept;
}

/**
 * Run by a Temporal Schedule (STORAGE_SWEEP_CRON), for what an API process that died half-way left behind:
 * multipart uploads begun long ago and never completed (aborted, on any S3, lifecycle rules or not), and images it
 * recorded but never handed to their run (purged, each by a purge run of its own, as a delete's would be), and the
 * webhook events of deletes and restores it held and never queued (sent if the change was made).
 */
export async function sweepStorage(input: SweepStorageInput): Promise<SweepResult> {
  const { aborted } = await abortStaleUploads(input);
  if (input.strandedAfterMinutes === undefined) return { aborted, purged: 0, failed: 0, settled: 0 };
  const stranded = await findStrandedImages({ strandedAfterMinutes: input.strandedAfterMinutes });
  let purged = 0;
  for (const purge of stranded.purges) if (await startPurge(purge)) purged++;
  const heldEvents = patched('held-webhook-events')
    ? await sendHeldEvents({ heldAfterMinutes: input.strandedAfterMinutes })
    : undefined;
  return { aborted, purged, failed: stranded.failed, settled: stranded.settled, heldEvents };
}

/** Starts the image's purge, to outlive this run; false when a purge of the same kind is already there. */
async function startPurge(purge: PurgeImageInput): Promise<boolean> {
  try {
    await startChild(WORKFLOW_TYPES.purgeImage, {
      workflowId: purgeWorkflowIdOf(purge.imageId, purge.when),
      args: [purge],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      typedSearchAttributes: [
        { key: USER_ID, value: purge.userId },
        { key: IMAGE_ID, value: purge.imageId },
      ],
    });
    return true;
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return false;
    throw error;
  }
}
