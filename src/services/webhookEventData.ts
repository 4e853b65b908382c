import type { WebhookEvent } from '../contracts';
import type { Storage } from '../storage/createStorage';
import type { WebhookRecord } from '../storage/webhookRecord';
import type { ImageUrls } from './imageUrls';
import { imageView } from './imageView';

/**
 * An event's `data`, built at each attempt: for image.completed, image.failed and image.restored, the image as
 * `GET /images/{id}` shows it now (its links under the API base the endpoint was registered through, its URLs fresh),
 * or only its id and `removed` once it is gone; for image.deleted, how it was deleted; for a re-clustering, what it
 * found.
 */
export function webhookEventData(storage: Storage, urls: ImageUrls) {
  return async (event: WebhookEvent, endpoint: WebhookRecord): Promise<unknown> => {
    if (event.type === 'library.reclustered') return { summary: event.summary };
    if (event.type === 'image.deleted')
      return {
        image_id: event.imageId,
        deleted: event.deletion?.kind,
        restorable_until: event.deletion?.restorableUntil,
      };
    const record = await storage.images.get(event.userId, event.imageId!);
    if (!record || record.purging_at) return { image_id: event.imageId, removed: true };
    return imageView(record, urls, endpoint.api_base);
  };
}
