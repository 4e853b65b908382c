import { ApplicationFailure } from '@temporalio/activity';
import { PIPELINE_STILL_RUNNING, THUMBNAIL_STEP_TIMEOUT_SECONDS, type PurgeActivities } from '../contracts';
import type { ImagePurger } from '../storage/imagePurger';
import type { ImageRepository } from '../storage/imageRepository';
import type { ImageRuns } from './imageRuns';

export function createPurgeActivities(deps: {
  purger: ImagePurger;
  images: ImageRepository;
  runs: ImageRuns;
  now: () => Date;
}): PurgeActivities {
  /**
   * A removal's sweep waits for the pipeline: while its run is open (a worker away may yet run a step whose attempt
   * was dispatched before the run was told to stop), and for the longest step's time after it closed (an attempt
   * begun before may still be writing). Retried on the purge's own back-off until then.
   */
  async function untilPipelineDone(imageId: string): Promise<void> {
    const closed = await deps.runs.closedAt(imageId);
    if (closed === undefined) return;
    const writesUntil = closed === 'running' ? Infinity : closed.getTime() + THUMBNAIL_STEP_TIMEOUT_SECONDS * 1000;
    if (writesUntil > deps.now().getTime()) {
      throw ApplicationFailure.retryable(
        closed === 'running'
          ? `The pipeline run of image ${imageId} is still open: the sweep waits until it has closed.`
          : `The pipeline run of image ${imageId} closed at ${closed.toISOString()}: a step it began may still write.`,
        PIPELINE_STILL_RUNNING,
      );
    }
  }

  return {
    /**
     * Removes the image's objects, embedding and item, if its condition still holds (the workflow's cancellation
     * is the first guard, this is the second): the image is claimed by a conditional write first, so a restore or
     * a completed upload either comes before the claim (and the image is left alone) or is refused after it.
     */
    async purgeImage(input) {
      if (input.afterPipeline) await untilPipelineDone(input.imageId);
      const claim = await deps.images.claimForPurge(input.userId, input.imageId, input.when, deps.now().toISOString());
      if (claim === 'refused') return { purged: false, objects: 0 };
      return { purged: true, objects: await deps.purger.purge(input.userId, input.imageId) };
    },
  };
}
