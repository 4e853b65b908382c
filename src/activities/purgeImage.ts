import type { PurgeActivities, PurgeCondition } from '../contracts';
import type { ImagePurger } from '../storage/imagePurger';
import type { ImageRecord } from '../storage/imageRecord';
import type { ImageRepository } from '../storage/imageRepository';

const HOLDS: Record<PurgeCondition, (record: ImageRecord) => boolean> = {
  always: () => true,
  'still-deleted': (record) => Boolean(record.deleted_at),
  'never-uploaded': (record) => record.status === 'awaiting_upload',
};

export function createPurgeActivities(deps: { purger: ImagePurger; images: ImageRepository }): PurgeActivities {
  return {
    /**
     * Removes the image's objects, embedding and item, if its condition still holds (the workflow's cancellation
     * is the first guard, this is the second: a restored image or a completed upload is left alone).
     */
    async purgeImage(input) {
      const record = await deps.images.get(input.userId, input.imageId);
      if (record && !HOLDS[input.when](record)) return { purged: false, objects: 0 };
      return { purged: true, objects: await deps.purger.purge(input.userId, input.imageId) };
    },
  };
}
