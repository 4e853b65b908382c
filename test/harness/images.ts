import crypto from 'node:crypto';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { originalKey } from '../../src/activities/imageKeys';
import type { Config } from '../../src/config';
import type { ImageRepository } from '../../src/images/imageRepository';
import { newImageRecord } from '../../src/images/newImageRecord';
import { MIME_TYPES, sniffImage } from '../../src/images/sniffImage';

/** Stores an original and its item as the API does after an upload, for tests of the pipeline on its own. */
export async function storeUploadedImage(
  config: Config,
  s3: S3Client,
  images: ImageRepository,
  body: Buffer,
  userId = `user-${crypto.randomUUID()}`,
) {
  const imageId = crypto.randomUUID();
  const key = originalKey(userId, imageId);
  await s3.send(new PutObjectCommand({ Bucket: config.s3.bucket, Key: key, Body: body }));
  const sniffed = sniffImage(body);
  const image = sniffed.kind === 'image' ? sniffed : { format: 'jpeg' as const, width: 0, height: 0 };
  const record = newImageRecord({
    userId,
    imageId,
    at: new Date().toISOString(),
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
  await images.create(record);
  return { userId, imageId, originalKey: key, filename: record.filename, bytes: record.bytes };
}
