import crypto from 'node:crypto';
import { originalKey } from '../../src/contracts';
import { MIME_TYPES, sniffImage } from '../../src/images/sniffImage';
import type { Storage } from '../../src/storage/createStorage';
import type { ImageRecord } from '../../src/storage/imageRecord';
import { newImageRecord, type NewImageFields } from '../../src/storage/newImageRecord';

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

/**
 * Records an image (no original stored) uploaded on day `day` of January 2024, so that lists and searches order a
 * test's images by their place, with the upload's `fields` and any `results` of processing on its item, and indexes
 * its words for search: for tests of search over items as the pipeline leaves them.
 */
export async function storeSearchableImage(
  storage: Pick<Storage, 'images' | 'searchTerms'>,
  image: {
    userId: string;
    imageId: string;
    day: number;
    fields?: Partial<NewImageFields>;
    results?: Partial<ImageRecord>;
  },
): Promise<ImageRecord> {
  const record: ImageRecord = {
    ...newImageRecord({
      userId: image.userId,
      imageId: image.imageId,
      at: new Date(Date.UTC(2024, 0, image.day)).toISOString(),
      status: 'processing',
      filename: 'photo.jpg',
      original: { content_type: 'image/jpeg', format: 'jpeg', bytes: 2048, sha256: '', width: 100, height: 100 },
      fields: { visibility: 'private', ...image.fields },
    }),
    ...image.results,
  };
  await storage.images.create(record);
  await storage.searchTerms.indexImage(record);
  return record;
}
