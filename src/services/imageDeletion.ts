import type { ImageWorkflows } from '../clients/imageWorkflows';
import type { Config } from '../config';
import type { Storage } from '../storage/createStorage';
import { ownImage } from './ownImage';
import { ConflictError, NotFoundError } from './serviceErrors';

// After a hard delete, one more sweep once any activity still in flight has timed out (the longest is 2 minutes).
const HARD_DELETE_SWEEP_MS = 3 * 60 * 1000;

export type DeleteOutcome =
  | { image_id: string; status: 200; deleted: 'soft'; restorable_until: string }
  | { image_id: string; status: 200; deleted: 'hard' }
  | { image_id: string; status: 404 };

/**
 * Deleting images: a soft delete hides an image, restorable for DELETE_RETENTION_SECONDS, after which a durable
 * timer purges it; a hard delete cancels its pipeline and removes everything now, then sweeps once more later.
 */
export class ImageDeletion {
  constructor(
    private readonly storage: Storage,
    private readonly workflows: ImageWorkflows,
    private readonly config: Pick<Config, 'deleteRetentionSeconds'>,
    private readonly now: () => Date,
  ) {}

  async softDelete(userId: string, imageId: string): Promise<DeleteOutcome> {
    const now = this.now();
    const retentionMs = this.config.deleteRetentionSeconds * 1000;
    const purgeAfter = new Date(now.getTime() + retentionMs).toISOString();
    // Out of clustering and similar images first: a deleted image must not shape anyone's clusters meanwhile.
    await this.storage.embeddings.setHidden(userId, imageId, true, now.toISOString());
    if (!(await this.storage.images.softDelete(userId, imageId, now.toISOString(), purgeAfter))) {
      return { image_id: imageId, status: 404 };
    }
    try {
      await this.workflows.schedulePurge({ userId, imageId, delayMs: retentionMs, when: 'still-deleted' });
    } catch (error) {
      // Without its purge the delete would never finish: undo it, so the client can simply try again.
      await this.storage.images.restore(userId, imageId, this.now().toISOString());
      await this.storage.embeddings.setHidden(userId, imageId, false, this.now().toISOString());
      throw error;
    }
    // Its bytes uploaded again now make a new image (an upload does not answer with one its owner deleted).
    const sha256 = (await this.storage.images.get(userId, imageId))?.sha256;
    if (sha256) await this.storage.checksums.release(userId, sha256, imageId);
    return { image_id: imageId, status: 200, deleted: 'soft', restorable_until: purgeAfter };
  }

  async hardDelete(userId: string, imageId: string): Promise<DeleteOutcome> {
    await this.workflows.cancelProcessing(imageId);
    await this.storage.purger.purge(userId, imageId);
    await this.workflows.schedulePurge({ userId, imageId, delayMs: HARD_DELETE_SWEEP_MS, when: 'always' });
    return { image_id: imageId, status: 200, deleted: 'hard' };
  }

  /** One image, by id; a soft-deleted one can still be deleted hard. */
  async deleteOne(userId: string, imageId: string, hard: boolean): Promise<DeleteOutcome & { status: 200 }> {
    const record = await ownImage(this.storage.images, userId, imageId, { includeDeleted: hard });
    const outcome = hard
      ? await this.hardDelete(userId, record.image_id)
      : await this.softDelete(userId, record.image_id);
    if (outcome.status === 404) throw new NotFoundError(`No image ${record.image_id}.`);
    return outcome;
  }

  /** Up to a request's worth of ids, one outcome each (404 for ids that are not the user's). */
  async deleteMany(userId: string, imageIds: string[], hard: boolean): Promise<DeleteOutcome[]> {
    const results: DeleteOutcome[] = [];
    for (const imageId of new Set(imageIds)) {
      results.push(hard ? await this.hardDelete(userId, imageId) : await this.softDelete(userId, imageId));
    }
    return results;
  }

  /** Undoes a soft delete: the purge is cancelled and the image is listed again. */
  async restore(userId: string, imageId: string): Promise<{ image_id: string; restored: true }> {
    const record = await ownImage(this.storage.images, userId, imageId, { includeDeleted: true });
    if (!record.deleted_at) throw new ConflictError(`Image ${record.image_id} is not deleted.`);
    // Restored first, then the purge cancelled: a purge that claimed the image in between wins, and says so here.
    if (!(await this.storage.images.restore(userId, record.image_id, this.now().toISOString()))) {
      throw new NotFoundError(`No image ${record.image_id}: its restore window has ended.`);
    }
    await this.storage.embeddings.setHidden(userId, record.image_id, false, this.now().toISOString());
    await this.workflows.cancelPurge(record.image_id);
    // Holds its checksum again, unless the same bytes were uploaded meanwhile: then that image keeps it.
    if (record.sha256) await this.storage.checksums.claim(userId, record.sha256, record.image_id);
    return { image_id: record.image_id, restored: true };
  }
}
