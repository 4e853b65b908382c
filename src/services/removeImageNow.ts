import type { ImageWorkflows } from '../clients/imageWorkflows';
import type { Storage } from '../storage/createStorage';
import type { OwnedImage } from './ownImage';

/**
 * After a removal, one more sweep once any step still under way has ended (the longest may take 2 minutes); it waits
 * longer while the run is still open (its worker away: see the purge activity).
 */
export const SWEEP_AFTER_REMOVAL_MS = 3 * 60 * 1000;

/**
 * Removes an image and everything stored for it now: a hard delete, or an upload that lost a race to the same bytes.
 * The sweep is scheduled first, so that with Temporal away nothing is touched and the caller can simply try again;
 * then the pipeline is told to stop (a failure to tell it is thrown, as a run left going would write for an image
 * that is gone); then everything stored goes, and the sweep takes what a step already under way writes after that.
 */
export async function removeImageNow(
  deps: { storage: Pick<Storage, 'purger'>; workflows: ImageWorkflows },
  image: OwnedImage,
): Promise<void> {
  const ids = { userId: image.user_id, imageId: image.image_id };
  await deps.workflows.schedulePurge({ ...ids, delayMs: SWEEP_AFTER_REMOVAL_MS, when: 'always', afterPipeline: true });
  await deps.workflows.cancelProcessing(image.image_id);
  await deps.storage.purger.purge(ids.userId, ids.imageId);
}
