import type { PurgeActivities } from '../contracts';
import type { ImagePurger } from '../storage/imagePurger';
import type { ImageRepository } from '../storage/imageRepository';

export function createPurgeActivities(deps: {
  purger: ImagePurger;
  images: ImageRepository;
  now: () => Date;
}): PurgeActivities {
  return {
    /**
     * Removes the image's objects, embedding and item, if its condition still holds (the workflow's cancellation
     * is the first guard, this is the second): the image is claimed by a conditional write first, so a restore or
     * a completed upload either comes before the claim (and the image is left alone) or is refused after it.
     */
    async purgeImage(input) {
      const claim = await deps.images.claimForPurge(input.userId, input.imageId, input.when, deps.now().toISOString());
      if (claim === 'refused') return { purged: false, objects: 0 };
      return { purged: true, objects: await deps.purger.purge(input.userId, input.imageId) };
    },
  };
}
