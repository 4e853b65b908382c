import crypto from 'node:crypto';
import { createHeldEventActivities } from '../../src/activities/sendHeldEvents';
import type { WebhookEvent, WebhookEventType } from '../../src/contracts';
import { ImageDeletion } from '../../src/services/imageDeletion';
import { NO_METRICS } from '../../src/services/serviceMetrics';
import { WebhookEvents } from '../../src/services/webhookEvents';
import type { Storage } from '../../src/storage/createStorage';
import { gradientJpeg } from '../fixtures/images';
import { servicesOnIdleQueue } from '../harness/idleQueue';
import { storeUploadedImage } from '../harness/images';

const MINUTE = 60_000;

/**
 * An API process that dies between a delete or restore and queueing its webhook event (or cannot queue it: Temporal
 * away) loses no event: the event was held before the change, and the storage sweep sends it, under the same id,
 * once it sees the change was made; one whose change was never made is let go. Queueing is refused here, as with
 * Temporal away; the sweep's activity runs with a clock 31 minutes ahead (STORAGE_SWEEP_STRANDED_AFTER_MINUTES 30).
 */
describe('webhook events held while a delete or restore is made', () => {
  const { config, storage, workflows, webhooks, close } = servicesOnIdleQueue();
  const notQueued: string[] = [];
  const unqueueable = new WebhookEvents(
    storage.webhooks,
    storage.heldEvents,
    { enqueueWebhookEvent: () => Promise.reject(new Error('Temporal is away')) },
    config,
  );
  const deletion = new ImageDeletion(storage, workflows, config, () => new Date(), unqueueable, {
    webhookEventNotQueued: (type) => notQueued.push(type),
  });
  let photo = 0;

  afterAll(close);

  /** The deletion service, queueing refused, over the image repository with `overrides` in place of its methods. */
  const deletionOverriding = (overrides: Partial<Storage['images']>) =>
    new ImageDeletion(
      { ...storage, images: Object.assign(Object.create(storage.images) as Storage['images'], overrides) },
      workflows,
      config,
      () => new Date(),
      unqueueable,
      NO_METRICS,
    );

  /** The sweep's activity at `minutesAhead` from now, and what it queued. */
  async function sweepAt(minutesAhead: number) {
    const published: WebhookEvent[] = [];
    const { sendHeldEvents } = createHeldEventActivities({
      heldEvents: storage.heldEvents,
      images: storage.images,
      events: { publish: async (event) => published.push(event) },
      now: () => new Date(Date.now() + minutesAhead * MINUTE),
    });
    return { swept: await sendHeldEvents({ heldAfterMinutes: 30 }), published };
  }

  /** Held events of this user's, as the sweep will find them. */
  const heldOf = async (userId: string) =>
    (await storage.heldEvents.heldSince(new Date(Date.now() + MINUTE).toISOString(), 1000)).filter(
      (event) => event.userId === userId,
    );

  /** A user with an endpoint that wants `events`, and one image of theirs, processed. */
  async function userWithImage(events: WebhookEventType[] = ['image.deleted', 'image.restored']) {
    const userId = `user-${crypto.randomUUID()}`;
    await webhooks.register(userId, { url: 'https://receiver.example.test/hooks', events }, 'https://api.example.test');
    const { imageId } = await storeUploadedImage(storage, await gradientJpeg(120 + (photo += 1), 90), userId);
    return { userId, imageId };
  }

  it('sends a soft delete and a restore whose events could not be queued, with their ids, once each', async () => {
    const { userId, imageId } = await userWithImage();
    const deleted = await deletion.deleteOne(userId, imageId, false);
    expect(deleted.deleted).toBe('soft');
    await deletion.restore(userId, imageId);
    expect(notQueued.slice(-2)).toEqual(['image.deleted', 'image.restored']);
    const held = await heldOf(userId);
    expect(held.map((event) => event.type)).toEqual(['image.deleted', 'image.restored']);

    // Not before the requests that held them have surely ended.
    expect((await sweepAt(0)).published.filter((event) => event.userId === userId)).toEqual([]);
    const { published } = await sweepAt(31);
    expect(published.filter((event) => event.userId === userId)).toEqual(held);
    expect(held[0]).toMatchObject({
      imageId,
      deletion: { kind: 'soft', restorableUntil: deleted.deleted === 'soft' && deleted.restorable_until },
    });
    expect(await heldOf(userId)).toEqual([]);
    expect((await sweepAt(31)).published.filter((event) => event.userId === userId)).toEqual([]);
  });

  it('sends a hard delete once its image is gone, and waits while it is not', async () => {
    const { userId, imageId } = await userWithImage();
    await deletion.deleteOne(userId, imageId, true);
    const [held] = await heldOf(userId);
    expect(held).toMatchObject({ type: 'image.deleted', imageId, deletion: { kind: 'hard' } });
    const { published } = await sweepAt(31);
    expect(published.filter((event) => event.userId === userId)).toEqual([held]);
  });

  it('lets go of events whose change was never made: the process died before it, or it was refused', async () => {
    const { userId, imageId } = await userWithImage();
    const at = new Date().toISOString();
    const events = new WebhookEvents(storage.webhooks, storage.heldEvents, workflows, config);
    // Held, then the process died before each change: the image is neither deleted nor restored.
    await events.hold({
      id: 'evt_soft',
      type: 'image.deleted',
      userId,
      imageId,
      occurredAt: at,
      deletion: { kind: 'soft' },
    });
    await events.hold({ id: 'evt_restore', type: 'image.restored', userId, imageId, occurredAt: at });
    await events.hold({
      id: 'evt_hard',
      type: 'image.deleted',
      userId,
      imageId,
      occurredAt: at,
      deletion: { kind: 'hard' },
    });
    const soon = await sweepAt(31);
    expect(soon.published.filter((event) => event.userId === userId)).toEqual([]);
    expect((await heldOf(userId)).map((event) => event.id)).toEqual(['evt_hard']);
    // A hard delete's image still there a day on: its delete never finished (its removal's sweep would have).
    await sweepAt(25 * 60);
    expect(await heldOf(userId)).toEqual([]);

    // A restore refused (the purge claims the image after the restore read it) lets its event go; the delete's stays.
    await deletion.deleteOne(userId, imageId, false);
    const overtaken = deletionOverriding({
      restore: async (...args) => {
        await storage.images.claimForPurge(userId, imageId, 'still-deleted', new Date().toISOString());
        return storage.images.restore(...args);
      },
    });
    await expect(overtaken.restore(userId, imageId)).rejects.toThrow(/restore window has ended/);
    expect((await heldOf(userId)).map((event) => event.type)).toEqual(['image.deleted']);
    // The delete was made: the sweep sends it, and nothing is left held on the stack.
    expect((await sweepAt(31)).published.filter((event) => event.userId === userId).map((event) => event.type)).toEqual(
      ['image.deleted'],
    );
    expect(await heldOf(userId)).toEqual([]);
  });

  it('keeps the event of a change that failed with an error, which may have been made, for the sweep to decide', async () => {
    const { userId, imageId } = await userWithImage();
    // The write lands, and its answer is lost (a timeout after DynamoDB committed it).
    const timingOut = deletionOverriding({
      softDelete: async (...args) => {
        await storage.images.softDelete(...args);
        throw new Error('socket hang up');
      },
    });
    await expect(timingOut.deleteOne(userId, imageId, false)).rejects.toThrow('socket hang up');
    const [held] = await heldOf(userId);
    expect(held).toMatchObject({ type: 'image.deleted', imageId });
    expect((await sweepAt(31)).published.filter((event) => event.userId === userId)).toEqual([held]);
  });

  it('holds nothing for a user with no endpoint that wants the event, and lets go once it is queued', async () => {
    const { userId, imageId } = await userWithImage(['image.completed']);
    await deletion.deleteOne(userId, imageId, false);
    expect(await heldOf(userId)).toEqual([]);

    const queued: string[] = [];
    const queueing = new ImageDeletion(
      storage,
      workflows,
      config,
      () => new Date(),
      new WebhookEvents(
        storage.webhooks,
        storage.heldEvents,
        { enqueueWebhookEvent: async (_user, _webhook, event) => void queued.push(event.id) },
        config,
      ),
      NO_METRICS,
    );
    const other = await userWithImage();
    await queueing.deleteOne(other.userId, other.imageId, false);
    expect(queued).toHaveLength(1);
    expect(await heldOf(other.userId)).toEqual([]);
  });
});
