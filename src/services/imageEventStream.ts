import { setTimeout as sleep } from 'node:timers/promises';
import type { ImageWorkflows } from '../clients/imageWorkflows';
import { imageOutcomeEventId } from '../contracts';
import type { Storage } from '../storage/createStorage';
import type { ImageRecord } from '../storage/imageRecord';
import type { ImageUrls } from './imageUrls';
import { imageView } from './imageView';

/** One event of the stream: an image's processing ended; the same id as its webhook event. */
export interface StreamedImageEvent {
  id: string;
  type: 'image.completed' | 'image.failed';
  image: Awaited<ReturnType<typeof imageView>>;
}

/** How often the stream looks for images that began processing since (an upload from another client). */
const RESCAN_MS = 10_000;
/** Images still processing after this long are not followed (a stream opened later does not wait on old runs). */
const PROCESSING_WINDOW_MS = 24 * 3600 * 1000;

const ended = (record: ImageRecord | undefined): record is ImageRecord & { status: 'completed' | 'failed' } =>
  !!record && !record.deleted_at && (record.status === 'completed' || record.status === 'failed');

/**
 * A user's image events as they happen, for one open stream (`GET /images/events`): every RESCAN_MS, one Query of
 * the user's newest images finds those uploaded since (from any client); each still processing is followed on
 * Temporal's long poll of its run's end (as a waiting status is, no query), each already ended is told at once.
 * Events are told once per stream; the stream ends at its deadline or when the client leaves.
 */
export class ImageEventStream {
  constructor(
    private readonly storage: Storage,
    private readonly workflows: Pick<ImageWorkflows, 'untilClosed'>,
    private readonly urls: ImageUrls,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async follow(
    userId: string,
    options: { apiBase: string; seconds: number; signal: AbortSignal },
    tell: (event: StreamedImageEvent) => void,
  ): Promise<void> {
    const { signal } = options;
    const deadline = this.now().getTime() + options.seconds * 1000;
    const seen = new Set<string>();
    const following: Array<Promise<void>> = [];
    // Each image is told once: an id seen is either followed to its end or told at once, never both.
    const tellOnce = async (record: ImageRecord & { status: 'completed' | 'failed' }) => {
      if (signal.aborted) return;
      tell({
        id: imageOutcomeEventId(record.image_id, record.status),
        type: `image.${record.status}`,
        image: await imageView(record, this.urls, options.apiBase),
      });
    };
    // The first look follows what is processing now; later looks also tell what began and ended in between.
    let since = new Date(this.now().getTime() - PROCESSING_WINDOW_MS).toISOString();
    let first = true;
    while (!signal.aborted && this.now().getTime() < deadline) {
      const lookedAt = this.now();
      const { items } = await this.storage.images.list(userId, { limit: 100, filters: { from: since } });
      for (const record of items) {
        if (seen.has(record.image_id)) continue;
        if (record.status === 'processing') {
          seen.add(record.image_id);
          following.push(this.untilEnded(userId, record.image_id, deadline, signal, tellOnce));
        } else if (!first && ended(record)) {
          seen.add(record.image_id);
          await tellOnce(record);
        }
      }
      first = false;
      // A little overlap: an image written just before this look is found by the next.
      since = new Date(lookedAt.getTime() - 2_000).toISOString();
      await sleep(Math.max(0, Math.min(RESCAN_MS, deadline - this.now().getTime())), undefined, { signal }).catch(
        () => undefined, // the client left: the loop ends
      );
    }
    await Promise.all(following);
  }

  private async untilEnded(
    userId: string,
    imageId: string,
    deadline: number,
    signal: AbortSignal,
    tellOnce: (record: ImageRecord & { status: 'completed' | 'failed' }) => Promise<void>,
  ): Promise<void> {
    await this.workflows.untilClosed(imageId, deadline, signal);
    if (signal.aborted) return;
    const record = await this.storage.images.get(userId, imageId);
    if (ended(record)) await tellOnce(record);
  }
}
