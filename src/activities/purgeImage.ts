import type { ImagePurger } from '../images/imagePurger';
import type { ImageRepository } from '../images/imageRepository';

export function createPurgeActivities(deps: { purger: ImagePurger; images: ImageRepository }) {
  return {
    /**
     * Removes the image's objects, embedding and item. With `onlyIfDeleted`, an image restored in the meantime is
     * left alone (the workflow's cancellation is the first guard, this is the second).
     */
    async purgeImage(input: { userId: string; imageId: string; onlyIfDeleted: boolean }): Promise<{ purged: boolean; objects: number }> {
      if (input.onlyIfDeleted) {
        const record = await deps.images.get(input.userId, input.imageId);
        if (record && !record.deleted_at) return { purged: false, objects: 0 };
      }
      return { purged: true, objects: await deps.purger.purge(input.userId, input.imageId) };
    },
  };
}
