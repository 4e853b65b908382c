import crypto from 'node:crypto';
import type { Readable } from 'node:stream';
import { ApplicationFailure, heartbeat } from '@temporalio/activity';
import type { Config } from '../config';
import { INVALID_IMAGE, ORIGINAL_MISSING, thumbnailKey, type PipelineActivities, type Thumbnail } from '../contracts';
import { imageDecoder, renderThumbnails, UndecodableImageError } from '../images/renderThumbnails';
import { ObjectMissingError, type ImageObjects } from '../storage/imageObjects';

/**
 * Reads the original stream into memory while hashing it, heartbeating as chunks arrive. sharp collects a stream
 * input into one buffer before decoding anyway; holding it here keeps a storage error (retryable) apart from a
 * decoding error (not retryable). Uploads are bounded (UPLOAD_MAX_BYTES), and so is this buffer.
 */
async function collect(body: Readable): Promise<{ data: Buffer; sha256: string }> {
  const hash = crypto.createHash('sha256');
  const chunks: Buffer[] = [];
  for await (const chunk of body) {
    hash.update(chunk as Buffer);
    chunks.push(chunk as Buffer);
    heartbeat();
  }
  return { data: Buffer.concat(chunks), sha256: hash.digest('hex') };
}

/** The original's bytes as a stream; a missing object is final (OriginalMissing), any other error is retried. */
async function readOriginal(objects: ImageObjects, key: string): Promise<Readable> {
  try {
    return await objects.readStream(key);
  } catch (error) {
    if (error instanceof ObjectMissingError) throw ApplicationFailure.nonRetryable(error.message, ORIGINAL_MISSING);
    throw error;
  }
}

export function createThumbnailActivities(deps: {
  objects: ImageObjects;
  images: Pick<Config['images'], 'thumbnailSizes' | 'thumbnailFormat' | 'thumbnailQuality' | 'maxPixels'>;
}): Pick<PipelineActivities, 'createThumbnails'> {
  const { objects } = deps;
  const { thumbnailSizes, thumbnailFormat, thumbnailQuality, maxPixels } = deps.images;
  const contentType = `image/${thumbnailFormat}`;

  return {
    /**
     * Renders and stores the thumbnail set. Keys are derived from the image id and size, so a retry overwrites what
     * an earlier attempt stored instead of adding to it.
     */
    async createThumbnails(input) {
      const original = await collect(await readOriginal(objects, input.originalKey));
      const thumbnails: Thumbnail[] = [];
      try {
        const rendered = await renderThumbnails(
          imageDecoder(original.data, maxPixels),
          { sizes: thumbnailSizes, format: thumbnailFormat, quality: thumbnailQuality },
          async ({ size, width, height, data }) => {
            const key = thumbnailKey(input.userId, input.imageId, size, thumbnailFormat);
            await objects.put(key, data, { contentType, cacheControl: 'public, max-age=31536000, immutable' });
            thumbnails.push({ size, key, width, height, bytes: data.length, contentType });
            heartbeat({ stored: size });
          },
        );
        return {
          width: rendered.width,
          height: rendered.height,
          format: rendered.format,
          bytes: original.data.length,
          sha256: original.sha256,
          dominantColor: rendered.dominantColor,
          placeholder: rendered.placeholder,
          thumbnails,
        };
      } catch (error) {
        if (error instanceof UndecodableImageError) throw ApplicationFailure.nonRetryable(error.message, INVALID_IMAGE);
        throw error;
      }
    },
  };
}
