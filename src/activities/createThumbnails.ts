import crypto from 'node:crypto';
import type { Readable } from 'node:stream';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { ApplicationFailure, heartbeat } from '@temporalio/activity';
import type { Config } from '../config';
import { imageDecoder, renderThumbnails, UndecodableImageError } from '../images/renderThumbnails';
import { INVALID_IMAGE } from './failureTypes';
import { thumbnailKey } from './imageKeys';
import { readOriginal } from './readOriginal';

export interface CreateThumbnailsInput {
  userId: string;
  imageId: string;
  originalKey: string;
}

export interface Thumbnail {
  size: number;
  key: string;
  width: number;
  height: number;
  bytes: number;
  contentType: string;
}

export interface ImageFacts {
  width: number;
  height: number;
  format: string;
  bytes: number;
  sha256: string;
  dominantColor: string;
  placeholder: string;
  thumbnails: Thumbnail[];
}

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

export function createThumbnailActivities(deps: { s3: S3Client; config: Pick<Config, 's3' | 'images'> }) {
  const { s3, config } = deps;
  const { thumbnailSizes, thumbnailFormat, thumbnailQuality, maxPixels } = config.images;
  const contentType = `image/${thumbnailFormat}`;

  /**
   * Renders and stores the thumbnail set. Keys are derived from the image id and size, so a retry overwrites what
   * an earlier attempt stored instead of adding to it.
   */
  async function createThumbnails(input: CreateThumbnailsInput): Promise<ImageFacts> {
    const original = await collect(await readOriginal(s3, config.s3.bucket, input.originalKey));
    const thumbnails: Thumbnail[] = [];
    try {
      const rendered = await renderThumbnails(
        imageDecoder(original.data, maxPixels),
        { sizes: thumbnailSizes, format: thumbnailFormat, quality: thumbnailQuality },
        async ({ size, width, height, data }) => {
          const key = thumbnailKey(input.userId, input.imageId, size, thumbnailFormat);
          await s3.send(
            new PutObjectCommand({
              Bucket: config.s3.bucket,
              Key: key,
              Body: data,
              ContentType: contentType,
              CacheControl: 'public, max-age=31536000, immutable',
            }),
          );
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
  }

  return { createThumbnails };
}
