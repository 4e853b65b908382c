import type { StorageSweepActivities } from '../contracts';
import type { ImageObjects } from '../storage/imageObjects';

export function createStorageSweepActivities(deps: {
  objects: ImageObjects;
  now: () => Date;
}): Pick<StorageSweepActivities, 'abortStaleUploads'> {
  return {
    /** Aborts every multipart upload of an image begun more than `olderThanHours` ago. */
    async abortStaleUploads(input) {
      const olderThan = new Date(deps.now().getTime() - input.olderThanHours * 3_600_000);
      return { aborted: await deps.objects.abortUploads('users/', olderThan) };
    },
  };
}
