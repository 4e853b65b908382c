import type { ImagePurger } from '../images/imagePurger';
import type { ImageRecord } from '../images/imageRecord';
import type { ImageRepository } from '../images/imageRepository';

/**
 * `always`: a sweep after a hard delete. `still-deleted`: a soft delete whose image was not restored.
 * `never-uploaded`: a direct upload that was never completed.
 */
export type PurgeCondition = 'always' | 'still-deleted' | 'never-uploaded';

const HOLDS: Record<PurgeCondition, (record: ImageRecord) => boolean> = {
  always: () => true,
  'still-deleted': (record) => Boolean(record.deleted_at),
  'never-uploaded': (record) => record.status === 'awaiting_upload',
};

export function createPurgeActivities(deps: { purger: ImagePurger; images: ImageRepository }) {
  return {
    /**
     * Removes the image's objects, embedding and item, if its condition still holds (the workflow's cancellation
     * is the first guard, this is the second: a restored image or a completed upload is left alone).
     */
    async purgeImage(input: {
      userId: string;
      imageId: string;
      when: PurgeCondition;
    }): Promise<{ purged: boolean; objects: number }> {
      const record = await deps.images.get(input.userId, input.imageId);
      if (record && !HOLDS[input.when](record)) return { purged: false, objects: 0 };
      return { purged: true, objects: await deps.purger.purge(input.userId, input.imageId) };
    },
  };
}
