import crypto from 'node:crypto';
import { originalKey } from '../../src/contracts';
import { MIME_TYPES, sniffImage } from '../../src/images/sniffImage';
import type { Storage } from '../../src/storage/createStorage';
import { newImageRecord } from '../../src/storage/newImageRecord';

/**
 * Stores an original and its item as the API does after an upload (at `at`: now, unless a test needs it older), for
 * tests of the pipeline on its own.
 */
export async function storeUploadedImage(
  storage: Pick<Storage, 'objects' | 'images'>,
  body: Buffer,
  userId = `user-${crypto.randomUUID()}`,
  at = new Date(),
) {
  const imageId = crypto.randomUUID();
  const key = originalKey(userId, imageId);
  await storage.objects.put(key, body, { contentType: 'application/octet-stream' });
  const sniffed = sniffImage(body);
  const image = sniffed.kind === 'image' ? sniffed : { format: 'jpeg' as const, width: 0, height: 0 };
  const record = newImageRecord({
    userId,
    imageId,
    at: at.toISOString(),
    status: 'processing',
    filename: 'test.jpg',
    original: {
      content_type: MIME_TYPES[image.format],
      format: image.format,
      bytes: body.length,
      sha256: crypto.createHash('sha256').update(body).digest('hex'),
      width: image.width,
      height: image.height,
    },
    fields: { visibility: 'private' },
  });
  await storage.images.create(record);
  return { userId, imageId, originalKey: key, filename: record.filename, bytes: record.bytes };
}
