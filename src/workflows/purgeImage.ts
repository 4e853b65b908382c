import { proxyActivities, sleep } from '@temporalio/workflow';
import type { PurgeActivities, PurgeImageInput } from '../contracts';

const { purgeImage: purge } = proxyActivities<PurgeActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

/**
 * Purges an image once its time comes: a deleted one at the end of its restore window, an upload never
 * completed when its URL has expired. A durable timer, so it happens even across restarts; restoring the image
 * (or completing the upload) cancels this run.
 */
export async function purgeImage(input: PurgeImageInput): Promise<void> {
  if (input.delayMs > 0) await sleep(input.delayMs);
  await purge({ userId: input.userId, imageId: input.imageId, when: input.when, afterPipeline: input.afterPipeline });
}
