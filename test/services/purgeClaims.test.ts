import crypto from 'node:crypto';
import { NotFoundError } from '../../src/services/serviceErrors';
import { gradientJpeg } from '../fixtures/images';
import { servicesOnIdleQueue } from '../harness/idleQueue';
import { storeUploadedImage } from '../harness/images';

/**
 * A purge and a restore (or a late complete) of the same image, in either order: the purge claims the image with a
 * conditional write before removing anything, so exactly one of them wins and the other is told.
 */
describe('purge claims', () => {
  const { storage, deletion, intake, activitiesAt, close } = servicesOnIdleQueue();
  const { purgeImage } = activitiesAt();

  afterAll(close);

  async function softDeletedImage() {
    const { userId, imageId } = await storeUploadedImage(storage, await gradientJpeg(120, 80));
    await deletion.deleteOne(userId, imageId, false);
    return { userId, imageId };
  }

  it('refuses a restore that comes after the purge has claimed the image', async () => {
    const { userId, imageId } = await softDeletedImage();
    expect(await storage.images.claimForPurge(userId, imageId, 'still-deleted', new Date().toISOString())).toBe(
      'claimed',
    );
    await expect(deletion.restore(userId, imageId)).rejects.toBeInstanceOf(NotFoundError);
    expect(await purgeImage({ userId, imageId, when: 'still-deleted' })).toMatchObject({ purged: true });
    expect(await storage.images.get(userId, imageId)).toBeUndefined();
  });

  it('leaves an image restored before the purge alone', async () => {
    const { userId, imageId } = await softDeletedImage();
    expect(await deletion.restore(userId, imageId)).toEqual({ image_id: imageId, restored: true });
    expect(await purgeImage({ userId, imageId, when: 'still-deleted' })).toEqual({ purged: false, objects: 0 });
    expect((await storage.images.get(userId, imageId))?.deleted_at).toBeUndefined();
    expect(await storage.objects.size(`users/${userId}/images/${imageId}/original`)).toBeGreaterThan(0);
  });

  it('refuses a direct upload completed after its purge claimed it, and purges it whole', async () => {
    const userId = `user-${crypto.randomUUID()}`;
    const body = await gradientJpeg(120, 80);
    const started = await intake.startDirectUpload(userId, {
      filename: 'late.jpg',
      contentType: 'image/jpeg',
      size: body.length,
      fields: { visibility: 'private' },
    });
    await storage.objects.put(`users/${userId}/images/${started.imageId}/original`, body, {
      contentType: 'image/jpeg',
    });
    expect(
      await storage.images.claimForPurge(userId, started.imageId, 'never-uploaded', new Date().toISOString()),
    ).toBe('claimed');
    await expect(intake.completeDirectUpload(userId, started.imageId)).rejects.toBeInstanceOf(NotFoundError);
    expect(await purgeImage({ userId, imageId: started.imageId, when: 'never-uploaded' })).toMatchObject({
      purged: true,
      objects: 1,
    });
  });
});
