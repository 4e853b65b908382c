import crypto from 'node:crypto';
import type { ImageWorkflows } from '../clients/imageWorkflows';
import type { Config } from '../config';
import type { WebhookEvent } from '../contracts';
import type { Storage } from '../storage/createStorage';
import { ownImage, type OwnedImage } from './ownImage';
import { removeImageNow } from './removeImageNow';
import { ConflictError, NotFoundError } from './serviceErrors';
import type { ServiceMetrics } from './serviceMetrics';
import type { WebhookEvents } from './webhookEvents';
import { uploadPurgeTime } from '../storage/uploadExpiry';

export type DeleteOutcome =
  | { image_id: string; status: 200; deleted: 'soft'; restorable_until: string }
  | { image_id: string; status: 200; deleted: 'hard' }
  | { image_id: string; status: 404 };

/**
 * Deleting images: a soft delete hides an image, restorable for DELETE_RETENTION_SECONDS, after which a durable
 * timer purges it; a hard delete cancels its pipeline and removes everything now, then sweeps once more later. Every
 * path starts from the caller's own image (ownImage): an id alone, of someone else's image, reaches nothing.
 */
export class ImageDeletion {
  constructor(
    private readonly storage: Storage,
    private readonly workflows: ImageWorkflows,
    private readonly config: Pick<Config, 'deleteRetentionSeconds'> & { urls: Pick<Config['urls'], 'expirySeconds'> },
    private readonly now: () => Date,
    private readonly events: Pick<WebhookEvents, 'publish'>,
    private readonly metrics: Pick<ServiceMetrics, 'webhookEventNotQueued'>,
  ) {}

  /**
   * Tells the user's webhooks, once the change is written. The change stands whatever happens here: an event that
   * cannot be queued is counted (imagepipe_webhook_events_not_queued_total), not answered as the request's failure.
   */
  private async tell(event: Omit<WebhookEvent, 'id' | 'occurredAt'>, at: string): Promise<void> {
    try {
      await this.events.publish({ ...event, id: `evt_${crypto.randomUUID()}`, occurredAt: at });
    } catch {
      this.metrics.webhookEventNotQueued(event.type);
    }
  }

  /** One image, by id; a soft-deleted one can still be deleted hard. */
  async deleteOne(userId: string, imageId: string, hard: boolean): Promise<DeleteOutcome & { status: 200 }> {
    const image = await ownImage(this.storage.images, userId, imageId, { includeDeleted: hard });
    return hard ? this.hardDelete(image) : this.softDelete(image);
  }

  /** Up to a request's worth of ids, one outcome each: 404 for ids that are not the user's, which are not touched. */
  async deleteMany(userId: string, imageIds: string[], hard: boolean): Promise<DeleteOutcome[]> {
    const results: DeleteOutcome[] = [];
    for (const imageId of new Set(imageIds)) {
      try {
        results.push(await this.deleteOne(userId, imageId, hard));
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
        results.push({ image_id: imageId, status: 404 });
      }
    }
    return results;
  }

  private async softDelete(image: OwnedImage): Promise<DeleteOutcome & { status: 200 }> {
    const { user_id: userId, image_id: imageId } = image;
    const now = this.now();
    const at = now.toISOString();
    let purgeAt = new Date(now.getTime() + this.config.deleteRetentionSeconds * 1000);
    // An upload never completed is purged when its URL has expired, deleted or not: it is restorable until then.
    if (image.status === 'awaiting_upload') {
      const uploadPurge = uploadPurgeTime(image, this.config.urls.expirySeconds);
      if (uploadPurge < purgeAt) purgeAt = uploadPurge;
    }
    // The purge first: a delete that no purge would finish is not made, and the client simply tries again. A purge
    // scheduled for a delete that then fails finds the image not deleted when it wakes, and leaves it alone.
    const purgeRunId = await this.workflows.schedulePurge({
      userId,
      imageId,
      delayMs: Math.max(0, purgeAt.getTime() - now.getTime()),
      when: 'still-deleted',
    });
    // The item and its embedding in one transaction: a deleted image never shapes clusters or similar images, even
    // when its pipeline writes the embedding afterwards, and a restored one always does again.
    const deleted = await this.storage.images.softDelete(
      userId,
      imageId,
      { at, purgeAfter: purgeAt.toISOString(), purgeRunId },
      this.storage.embeddings.visibilityWrites(userId, imageId, true, at),
    );
    if (!deleted) throw new NotFoundError(`No image ${imageId}.`);
    // Its bytes uploaded again now make a new image (an upload does not answer with one its owner deleted).
    if (image.sha256) await this.storage.checksums.release(userId, image.sha256, imageId);
    const restorableUntil = purgeAt.toISOString();
    await this.tell({ type: 'image.deleted', userId, imageId, deletion: { kind: 'soft', restorableUntil } }, at);
    return { image_id: imageId, status: 200, deleted: 'soft', restorable_until: restorableUntil };
  }

  private async hardDelete(image: OwnedImage): Promise<DeleteOutcome & { status: 200 }> {
    await removeImageNow({ storage: this.storage, workflows: this.workflows }, image);
    const { user_id: userId, image_id: imageId } = image;
    await this.tell({ type: 'image.deleted', userId, imageId, deletion: { kind: 'hard' } }, this.now().toISOString());
    return { image_id: imageId, status: 200, deleted: 'hard' };
  }

  /** Undoes a soft delete: the image is listed again and its purge is cancelled. */
  async restore(userId: string, imageId: string): Promise<{ image_id: string; restored: true }> {
    const image = await ownImage(this.storage.images, userId, imageId, { includeDeleted: true });
    if (!image.deleted_at) throw new ConflictError(`Image ${image.image_id} is not deleted.`);
    const at = this.now().toISOString();
    // Refused once the purge has claimed the image: then the purge wins, and says so here.
    const restored = await this.storage.images.restore(
      userId,
      image.image_id,
      at,
      this.storage.embeddings.visibilityWrites(userId, image.image_id, false, at),
    );
    if (!restored) throw new NotFoundError(`No image ${image.image_id}: its restore window has ended.`);
    if (image.purge_run_id) await this.workflows.cancelPurgeRun(image.image_id, image.purge_run_id);
    // Holds its checksum again, unless the same bytes were uploaded meanwhile: then that image keeps it.
    if (image.sha256) await this.storage.checksums.claim(userId, image.sha256, image.image_id);
    await this.tell({ type: 'image.restored', userId, imageId: image.image_id }, at);
    return { image_id: image.image_id, restored: true };
  }
}
