import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import { Router, type Response } from 'express';
import { z } from 'zod';
import type { Config } from '../../config';
import type { ImageRepository } from '../../images/imageRepository';
import { ProblemError } from '../problem';
import { parseOrThrow } from '../validation';
import { ownImage } from './imageReadRoutes';

export interface ContentDependencies {
  config: Config;
  s3: S3Client;
  images: ImageRepository;
}

export const thumbnailQuerySchema = z.object({ size: z.coerce.number().int().positive() }).strict();

/**
 * The image bytes streamed through the API (IMAGE_URL_MODE=proxy, for clients that must not reach storage):
 * `GET /images/{id}/original` and `/thumbnail?size=`, with ETag, Content-Type and Content-Length, and 304 when
 * the client's If-None-Match still holds. Nothing is buffered: S3's stream is piped to the response.
 */
export function imageContentRoutes(deps: ContentDependencies): Router {
  async function stream(res: Response, key: string, ifNoneMatch: string | undefined, filename?: string): Promise<void> {
    let object;
    try {
      object = await deps.s3.send(
        new GetObjectCommand({ Bucket: deps.config.s3.bucket, Key: key, IfNoneMatch: ifNoneMatch }),
      );
    } catch (error) {
      if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 304) {
        res.status(304).setHeader('ETag', ifNoneMatch!).end();
        return;
      }
      if (error instanceof NoSuchKey)
        throw new ProblemError({ status: 404, detail: 'The image has no such rendition (yet).' });
      throw error;
    }
    res.setHeader('Content-Type', object.ContentType ?? 'application/octet-stream');
    if (object.ContentLength !== undefined) res.setHeader('Content-Length', object.ContentLength);
    if (object.ETag) res.setHeader('ETag', object.ETag);
    res.setHeader('Cache-Control', 'private, max-age=3600');
    if (filename) res.setHeader('Content-Disposition', `inline; filename*=UTF-8''${encodeURIComponent(filename)}`);
    await pipeline(object.Body as Readable, res);
  }

  const router = Router();
  router.get('/images/:imageId/original', async (req, res) => {
    const record = await ownImage(req, deps.images);
    await stream(res, record.original_key, req.get('if-none-match'), record.filename);
  });

  router.get('/images/:imageId/thumbnail', async (req, res) => {
    const record = await ownImage(req, deps.images);
    const { size } = parseOrThrow(thumbnailQuerySchema, req.query, 'query');
    const thumbnail = record.thumbnails?.find((candidate) => candidate.size === size);
    if (!thumbnail) {
      const sizes = record.thumbnails?.map((candidate) => candidate.size).join(', ');
      throw new ProblemError({
        status: 404,
        detail: sizes ? `No ${size} px thumbnail; sizes: ${sizes}.` : 'The image has no thumbnails yet.',
      });
    }
    await stream(res, thumbnail.key, req.get('if-none-match'));
  });
  return router;
}
