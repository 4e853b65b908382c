import { proxyActivities, sleep } from '@temporalio/workflow';
import type { Activities } from '../activities';

export interface PurgeImageInput {
  userId: string;
  imageId: string;
  /** Wait this long first: the restore window of a soft delete, or a sweep after a hard delete. */
  delayMs: number;
  /** Soft delete: purge only if the image is still deleted when the time comes. */
  onlyIfDeleted: boolean;
}

export const purgeImageWorkflowId = (imageId: string) => `purge-${imageId}`;

const { purgeImage: purge } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

/**
 * Purges a deleted image once its time comes. A durable timer, so the purge happens even across restarts;
 * restoring the image cancels this run.
 */
export async function purgeImage(input: PurgeImageInput): Promise<void> {
  if (input.delayMs > 0) await sleep(input.delayMs);
  await purge({ userId: input.userId, imageId: input.imageId, onlyIfDeleted: input.onlyIfDeleted });
}
