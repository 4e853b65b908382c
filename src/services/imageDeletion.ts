import crypto from 'node:crypto';
import type { ImageWorkflows } from '../clients/imageWorkflows';
import type { Config } from '../config';
import type { WebhookEvent } from '../contracts';
import type { Storage } from '../storage/createStorage';
import { ownImage, type OwnedImage } from './ownImage';
import { removeImageNow } from './removeImageNow';
import { ConflictError, NotFoundError } from './serviceErrors';
import type { ServiceMetrics } from './serviceMetrics';
import type { HeldEvent, WebhookEvents } from './webhookEvents';
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
    private readonly events: Pick<WebhookEvents, 'hold' | 'send' | 'drop'>,
    private readonly metrics: Pick<ServiceMetrics, 'webhookEventNotQueued'>,
  ) {}

  /**
   * Holds the webhook event of a change about to be made (when an endpoint wants it), so that an API process dying
   * between the change and the telling leaves the event for the storage sweep. A failure to hold it fails the
   * request before anything is changed.
   */
  private hold(event: Omit<WebhookEvent, 'id'>): Promise<HeldEvent> {
    return this.events.hold({ ...event, id: `evt_${crypto.randomUUID()}` });
  }

  /**
   * Lets go of the held event of a change refused. One whose change threw stays held: it may have been made (a
   * timeout after the write, a removal half done), and the sweep sends it only if the image shows it was.
   */
  private async drop(held: HeldEvent): Promise<void> {
    await this.events.drop(held).catch(() => undefined);
  }

  /**
   * Tells the user's webhooks, once the change is made. The change stands whatever happens here: an event that
   * cannot be queued now is counted (imagepipe_webhook_events_not_queued_total) and stays held, for the sweep.
   */
  private async send(held: HeldEvent): Promise<void> {
    try {
      await this.events.send(held);
    } catch {
      this.metrics.webhookEventNotQueued(held.event.type);
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
    const restorableUntil = purgeAt.toISOString();
    // Its time is the item's deleted_at: by that the sweep tells that the delete was made.
    const held = await this.hold({
      type: 'image.deleted',
      userId,
      imageId,
      occurredAt: at,
      deletion: { kind: 'soft', restorableUntil },
    });
    // The item and its embedding in one transaction: a deleted image never shapes clusters or similar images, even
    // when its pipeline writes the embedding afterwards, and a restored one always does again.
    const deleted = await this.storage.images.softDelete(
      userId,
      imageId,
      { at, purgeAfter: restorableUntil, purgeRunId },
      this.storage.embeddings.visibilityWrites(userId, imageId, true, at),
    );
    if (!deleted) {
      await this.drop(held);
      throw new NotFoundError(`No image ${imageId}.`);
    }
    // Its bytes uploaded again now make a new image (an upload does not answer with one its owner deleted).
    if (image.sha256) await this.storage.checksums.release(userId, image.sha256, imageId);
    await this.send(held);
    return { image_id: imageId, status: 200, deleted: 'soft', restorable_until: restorableUntil };
  }

  private async hardDelete(image: OwnedImage): Promise<DeleteOutcome & { status: 200 }> {
    const { user_id: userId, image_id: imageId } = image;
    const held = await this.hold({
      type: 'image.deleted',
      userId,
      imageId,
      occurredAt: this.now().toISOString(),
      deletion: { kind: 'hard' },
    });
    await removeImageNow({ storage: this.storage, workflows: this.workflows }, image);
    await this.send(held);
    return { image_id: imageId, status: 200, deleted: 'hard' };
  }

  /** Undoes a soft delete: the image is listed again and its purge is cancelled. */
  async restore(userId: string, imageId: string): Promise<{ image_id: string; restored: true }> {
    const image = await ownImage(this.storage.images, userId, imageId, { includeDeleted: true });
    const deletedAt = image.deleted_at;
    if (!deletedAt) throw new ConflictError(`Image ${image.image_id} is not deleted.`);
    const at = this.now().toISOString();
    // Its time is the item's restored_at: by that the sweep tells that the restore was made.
    const held = await this.hold({ type: 'image.restored', userId, imageId: image.image_id, occurredAt: at });
    // Refused once the purge has claimed the image: then the purge wins, and says so here.
    const restored = await this.storage.images.restore(
      userId,
      image.image_id,
      { at, deletedAt },
      this.storage.embeddings.visibilityWrites(userId, image.image_id, false, at),
    );
    if (!restored) {
      await this.drop(held);
      throw new NotFoundError(`No image ${image.image_id}: its restore window has ended.`);
    }
    if (image.purge_run_id) await this.workflows.cancelPurgeRun(image.image_id, image.purge_run_id);
    // Holds its checksum again, unless the same bytes were uploaded meanwhile: then that image keeps it.
    if (image.sha256) await this.storage.checksums.claim(userId, image.sha256, image.image_id);
    await this.send(held);
    return { image_id: image.image_id, restored: true };
  }
}
