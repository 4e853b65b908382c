import crypto from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { ApplicationFailure, heartbeat } from '@temporalio/activity';
import sharp from 'sharp';
import type { Config } from '../config';
import { thumbnailKey } from './imageKeys';

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
  /** `#rrggbb` of the most common colour. */
  dominantColor: string;
  /** A 16 px blurred preview as a data URL, small enough to inline in a list response. */
  placeholder: string;
  thumbnails: Thumbnail[];
}

/** Failure types the workflow never retries: the input itself is bad, another attempt cannot help. */
export const INVALID_IMAGE = 'InvalidImage';
export const ORIGINAL_MISSING = 'OriginalMissing';

const SUPPORTED_FORMATS = new Set(['jpeg', 'png', 'gif', 'webp']);

/** Counts and hashes the bytes that stream through it, so the original is read from S3 once. */
function digestingStream(): Transform & { bytes: () => number; sha256: () => string } {
  const hash = crypto.createHash('sha256');
  let bytes = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      bytes += chunk.length;
      callback(null, chunk);
    },
  });
  return Object.assign(stream, { bytes: () => bytes, sha256: () => hash.digest('hex') });
}

const hex = (value: number) => value.toString(16).padStart(2, '0');

export function createThumbnailActivities(deps: { s3: S3Client; config: Pick<Config, 's3' | 'images'> }) {
  const { s3, config } = deps;
  const { thumbnailSizes, thumbnailFormat, thumbnailQuality, maxPixels } = config.images;
  const contentType = `image/${thumbnailFormat}`;

  async function readOriginal(key: string): Promise<Readable> {
    try {
      const object = await s3.send(new GetObjectCommand({ Bucket: config.s3.bucket, Key: key }));
      return object.Body as Readable;
    } catch (error) {
      if (error instanceof NoSuchKey) throw ApplicationFailure.nonRetryable(`The original ${key} is not in storage.`, ORIGINAL_MISSING);
      throw error;
    }
  }

  async function createThumbnails(input: CreateThumbnailsInput): Promise<ImageFacts> {
    const digest = digestingStream();
    // First frame of animations; pixel limit refuses decompression bombs before decoding; EXIF is read, never copied.
    const decoder = sharp({ limitInputPixels: maxPixels, animated: false, failOn: 'error', sequentialRead: true });
    const piping = pipeline(await readOriginal(input.originalKey), digest, decoder);

    try {
      const metadata = await decoder.clone().metadata();
      if (!metadata.format || !SUPPORTED_FORMATS.has(metadata.format)) {
        throw ApplicationFailure.nonRetryable(`Unsupported image format: ${metadata.format ?? 'unknown'}.`, INVALID_IMAGE);
      }
      // `autoOrient` swaps width and height for EXIF orientations 5-8, so these are the dimensions a viewer sees.
      const { width, height } = metadata.autoOrient ?? metadata;
      const normalised = () => decoder.clone().rotate().toColourspace('srgb');

      const thumbnails: Thumbnail[] = [];
      for (const size of thumbnailSizes) {
        const { data, info } = await normalised()
          .resize({ width: size, height: size, fit: 'inside', withoutEnlargement: true })
          .toFormat(thumbnailFormat, { quality: thumbnailQuality })
          .toBuffer({ resolveWithObject: true });
        const key = thumbnailKey(input.userId, input.imageId, size, thumbnailFormat);
        await s3.send(new PutObjectCommand({ Bucket: config.s3.bucket, Key: key, Body: data, ContentType: contentType, CacheControl: 'public, max-age=31536000, immutable' }));
        thumbnails.push({ size, key, width: info.width, height: info.height, bytes: info.size, contentType });
        heartbeat({ done: size });
      }

      const [{ dominant }, placeholder] = await Promise.all([
        normalised().stats(),
        normalised().resize({ width: 16, height: 16, fit: 'inside' }).blur(1).webp({ quality: 40 }).toBuffer(),
      ]);
      await piping;
      return {
        width: width ?? 0,
        height: height ?? 0,
        format: metadata.format,
        bytes: digest.bytes(),
        sha256: digest.sha256(),
        dominantColor: `#${hex(dominant.r)}${hex(dominant.g)}${hex(dominant.b)}`,
        placeholder: `data:image/webp;base64,${placeholder.toString('base64')}`,
        thumbnails,
      };
    } catch (error) {
      piping.catch(() => undefined);
      if (error instanceof ApplicationFailure) throw error;
      // sharp's own errors mean the bytes cannot be decoded (corrupt, truncated, too many pixels): not retryable.
      if (error instanceof Error && /Input|VipsJpeg|pngload|webp|gif|pixel limit|unsupported image format|corrupt/i.test(error.message)) {
        throw ApplicationFailure.nonRetryable(`The image cannot be decoded: ${error.message}`, INVALID_IMAGE);
      }
      throw error;
    }
  }

  return { createThumbnails };
}
