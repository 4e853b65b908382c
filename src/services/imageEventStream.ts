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

/** Images still processing after this long are not followed (a stream opened later does not wait on old runs). */
const PROCESSING_WINDOW_MS = 24 * 3600 * 1000;
/** The most direct uploads still to be completed one stream looks at again (one BatchGetItem of 100 keys at most). */
const AWAITED_UPLOADS = 100;
/** A direct upload is completed at the latest this long after its URL expires (then its purge comes). */
const COMPLETE_GRACE_MS = 60_000;

const ended = (record: ImageRecord | undefined): record is ImageRecord & { status: 'completed' | 'failed' } =>
  !!record && !record.deleted_at && (record.status === 'completed' || record.status === 'failed');

/**
 * A user's image events as they happen, for one open stream (`GET /images/events`): every `rescanMs`, one Query of
 * the user's newest images finds those uploaded since (from any client), and one BatchGetItem looks again at the
 * direct uploads found still to be completed (created when announced, they are completed any time until their URL
 * expires); each image processing is followed on Temporal's long poll of its run's end (as a waiting status is, no
 * query), each already ended is told at once. Events are told once per stream; the stream ends at its deadline or
 * when the client leaves.
 */
export class ImageEventStream {
  constructor(
    private readonly storage: Storage,
    private readonly workflows: Pick<ImageWorkflows, 'untilClosed'>,
    private readonly urls: ImageUrls,
    private readonly rescanMs: number,
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
    /** Direct uploads still to be completed, by id: until when they may be. */
    const awaited = new Map<string, number>();
    // The first look follows what is processing now; later looks also tell what began and ended in between.
    let first = true;
    const consider = async (record: ImageRecord) => {
      if (seen.has(record.image_id)) return;
      if (record.status === 'processing') {
        seen.add(record.image_id);
        awaited.delete(record.image_id);
        following.push(this.untilEnded(userId, record.image_id, deadline, signal, tellOnce));
      } else if (!first && ended(record)) {
        seen.add(record.image_id);
        awaited.delete(record.image_id);
        await tellOnce(record);
      } else if (record.status === 'awaiting_upload' && record.upload_expires_at && awaited.size < AWAITED_UPLOADS) {
        awaited.set(record.image_id, Date.parse(record.upload_expires_at) + COMPLETE_GRACE_MS);
      }
    };
    let since = new Date(this.now().getTime() - PROCESSING_WINDOW_MS).toISOString();
    while (!signal.aborted && this.now().getTime() < deadline) {
      const lookedAt = this.now();
      for (const [imageId, until] of awaited) if (until < lookedAt.getTime()) awaited.delete(imageId);
      if (awaited.size > 0)
        for (const record of await this.storage.images.getMany(userId, [...awaited.keys()])) await consider(record);
      const { items } = await this.storage.images.list(userId, {
        limit: 100,
        filters: { from: since },
        uploadsToComplete: true,
      });
      for (const record of items) await consider(record);
      first = false;
      // A little overlap: an image written just before this look is found by the next.
      since = new Date(lookedAt.getTime() - 2_000).toISOString();
      await sleep(Math.max(0, Math.min(this.rescanMs, deadline - this.now().getTime())), undefined, { signal }).catch(
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
