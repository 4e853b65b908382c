import type { StorageSweepActivities, WebhookEvent } from '../contracts';
import type { HeldWebhookEvents } from '../storage/heldWebhookEvents';
import type { ImageRecord } from '../storage/imageRecord';
import type { ImageRepository } from '../storage/imageRepository';

/** How many held events one sweep looks at; the next sweep takes the rest. */
const HELD_PER_SWEEP = 250;
/** A hard delete whose image is still there after this never finished: its event is let go. */
const HARD_DELETE_WAIT_MS = 24 * 3600 * 1000;

export type HeldEventVerdict = 'send' | 'drop' | 'wait';

/**
 * Whether the change a held event tells of was made, read from the image's item as it is now: a soft delete wrote
 * the event's time as `deleted_at` (which a restore since keeps as `restored_deletion_at`), a restore as
 * `restored_at`, a hard delete left no item (its removal's sweep finishes one that its process left half-done, so
 * until a day has passed the event waits for it). Only the latest delete and restore are known: of a delete undone
 * and made again within the sweep's wait, the first's event is let go if its process died.
 */
export function heldEventVerdict(event: WebhookEvent, image: ImageRecord | undefined, now: Date): HeldEventVerdict {
  if (event.type === 'image.deleted' && event.deletion?.kind === 'hard') {
    if (!image) return 'send';
    return now.getTime() - Date.parse(event.occurredAt) < HARD_DELETE_WAIT_MS ? 'wait' : 'drop';
  }
  // A soft-deleted image that is gone now was deleted: purged, or deleted hard after.
  if (event.type === 'image.deleted')
    return !image || image.deleted_at === event.occurredAt || image.restored_deletion_at === event.occurredAt
      ? 'send'
      : 'drop';
  if (event.type === 'image.restored')
    return image && !image.deleted_at && image.restored_at === event.occurredAt ? 'send' : 'drop';
  return 'send';
}

export function createHeldEventActivities(deps: {
  heldEvents: HeldWebhookEvents;
  images: ImageRepository;
  events: { publish: (event: WebhookEvent) => Promise<unknown> };
  now: () => Date;
}): Pick<StorageSweepActivities, 'sendHeldEvents'> {
  return {
    /**
     * The events API requests held longer than `heldAfterMinutes` ago: their process died between the change and
     * queueing the event (or could not queue it). Each is queued, under the id it was held with (so an endpoint that
     * had it already drops it), when its change was made, and let go when it never was.
     */
    async sendHeldEvents({ heldAfterMinutes }) {
      const before = new Date(deps.now().getTime() - heldAfterMinutes * 60_000).toISOString();
      const swept = { sent: 0, dropped: 0, waiting: 0 };
      for (const event of await deps.heldEvents.heldSince(before, HELD_PER_SWEEP)) {
        const image = event.imageId ? await deps.images.get(event.userId, event.imageId) : undefined;
        const verdict = heldEventVerdict(event, image, deps.now());
        if (verdict === 'wait') {
          swept.waiting++;
          continue;
        }
        if (verdict === 'send') await deps.events.publish(event);
        await deps.heldEvents.release(event);
        swept[verdict === 'send' ? 'sent' : 'dropped']++;
      }
      return swept;
    },
  };
}
