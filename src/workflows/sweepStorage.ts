import { proxyActivities } from '@temporalio/workflow';
import type { StorageSweepActivities, SweepStorageInput } from '../contracts';

const { abortStaleUploads } = proxyActivities<StorageSweepActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 5 },
});

/**
 * Run by a Temporal Schedule (STORAGE_SWEEP_CRON): aborts multipart uploads begun long ago and never completed. The
 * API aborts a dropped upload at once; this catches what it could not (its process died half-way), on any S3,
 * lifecycle rules or not.
 */
export async function sweepStorage(input: SweepStorageInput): Promise<{ aborted: number }> {
  return abortStaleUploads(input);
}
