import { pipeline } from 'node:stream/promises';
import { Router, type Request, type Response } from 'express';
import type { ImageQueries } from '../../services/imageQueries';
import { currentUser } from '../auth/authenticate';
import { thumbnailQuerySchema } from '../schemas/imageQueries';
import { parseOrThrow } from '../validation';

/**
 * The image bytes streamed through the API (IMAGE_URL_MODE=proxy, for clients that must not reach storage):
 * `GET /images/{id}/original` and `/thumbnail?size=`, with ETag, Content-Type and Content-Length, and 304 when
 * the client's If-None-Match still holds. Nothing is buffered: storage's stream is piped to the response.
 */
export function imageContentRoutes(deps: { queries: ImageQueries }): Router {
  async function send(req: Request, res: Response, size?: number): Promise<void> {
    const content = await deps.queries.content(currentUser(req).uid, String(req.params.imageId), {
      size,
      ifNoneMatch: req.get('if-none-match'),
    });
    if (content.notModified) {
      res.status(304).setHeader('ETag', content.etag).end();
      return;
    }
    res.setHeader('Content-Type', content.contentType ?? 'application/octet-stream');
    if (content.contentLength !== undefined) res.setHeader('Content-Length', content.contentLength);
    if (content.etag) res.setHeader('ETag', content.etag);
    res.setHeader('Cache-Control', 'private, max-age=3600');
    if (content.filename) {
      res.setHeader('Content-Disposition', `inline; filename*=UTF-8''${encodeURIComponent(content.filename)}`);
    }
    await pipeline(content.body, res);
  }

  const router = Router();
  router.get('/images/:imageId/original', (req, res) => send(req, res));
  router.get('/images/:imageId/thumbnail', (req, res) =>
    send(req, res, parseOrThrow(thumbnailQuerySchema, req.query, 'query').size),
  );
  return router;
}
