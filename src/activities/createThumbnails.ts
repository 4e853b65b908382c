import crypto from 'node:crypto';
import type { Readable } from 'node:stream';
import { ApplicationFailure } from '@temporalio/activity';
import type { Config } from '../config';
import { INVALID_IMAGE, ORIGINAL_MISSING, thumbnailKey, type PipelineActivities } from '../contracts';
import { imageDecoder, renderThumbnails, UndecodableImageError } from '../images/renderThumbnails';
import { ObjectMissingError, type ImageObjects } from '../storage/imageObjects';
import { heartbeatsAfter } from './heartbeatsAfter';
import type { RecentThumbnails } from './thumbnailForAi';

// Most images take a fraction of this: they send no heartbeat. The step's heartbeat timeout is 10 s.
const HEARTBEATS_AFTER_MS = 3_000;

/**
 * Reads the original stream into memory, beating as chunks arrive, and hashes it unless its SHA-256 is known
 * (the API hashes what it streams in; a direct upload's is computed here). sharp collects a stream input into one
 * buffer before decoding anyway; holding it here keeps a storage error (retryable) apart from a decoding error (not
 * retryable). Uploads are bounded (UPLOAD_MAX_BYTES), and so is this buffer.
 */
async function collect(
  body: Readable,
  knownSha256: string | undefined,
  beat: () => void,
): Promise<{ data: Buffer; sha256: string }> {
  const hash = knownSha256 ? undefined : crypto.createHash('sha256');
  const chunks: Buffer[] = [];
  for await (const chunk of body) {
    hash?.update(chunk as Buffer);
    chunks.push(chunk as Buffer);
    beat();
  }
  return { data: Buffer.concat(chunks), sha256: knownSha256 ?? hash!.digest('hex') };
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
  recentThumbnails: RecentThumbnails;
}): Pick<PipelineActivities, 'createThumbnails'> {
  const { objects } = deps;
  const { thumbnailSizes, thumbnailFormat, thumbnailQuality, maxPixels } = deps.images;
  const contentType = `image/${thumbnailFormat}`;
  const smallest = Math.min(...thumbnailSizes);

  return {
    /**
     * Renders and stores the thumbnail set. Keys are derived from the image id and size, so a retry overwrites what
     * an earlier attempt stored instead of adding to it.
     */
    async createThumbnails(input) {
      const beat = heartbeatsAfter(HEARTBEATS_AFTER_MS);
      const original = await collect(await readOriginal(objects, input.originalKey), input.sha256, beat);
      // Validation took the API's facts as they were: this is the read that would find the original otherwise.
      if (input.checked && original.data.length !== input.checked.bytes) {
        throw ApplicationFailure.nonRetryable(
          `The original is ${original.data.length} bytes, not the ${input.checked.bytes} checked at its upload.`,
          INVALID_IMAGE,
        );
      }
      const keyOf = (size: number) => thumbnailKey(input.userId, input.imageId, size, thumbnailFormat);
      try {
        const rendered = await renderThumbnails(
          imageDecoder(original.data, maxPixels),
          { sizes: thumbnailSizes, format: thumbnailFormat, quality: thumbnailQuality },
          async ({ size, data }) => {
            await objects.put(keyOf(size), data, { contentType, cacheControl: 'public, max-age=31536000, immutable' });
            if (size === smallest) deps.recentThumbnails.remember(keyOf(size), { data, contentType });
            beat({ stored: size });
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
          thumbnails: rendered.thumbnails.map(({ size, width, height, data }) => ({
            size,
            key: keyOf(size),
            width,
            height,
            bytes: data.length,
            contentType,
          })),
        };
      } catch (error) {
        if (error instanceof UndecodableImageError) throw ApplicationFailure.nonRetryable(error.message, INVALID_IMAGE);
        throw error;
      }
    },
  };
}
