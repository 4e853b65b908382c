import { pipeline } from 'node:stream/promises';
import type { Request, Response } from 'express';
import type { ImageQueries } from '../../services/imageQueries';
import { currentUser } from '../auth/authenticate';
import type { OperationHandlers } from '../contract/mountOperations';

/**
 * The image bytes streamed through the API (IMAGE_URL_MODE=proxy, for clients that must not reach storage):
 * `GET /images/{id}/original` and `/thumbnail?size=`, with ETag, Content-Type and Content-Length, and 304 when
 * the client's If-None-Match still holds. Nothing is buffered: storage's stream is piped to the response.
 */
export function imageContentRoutes(deps: {
  queries: ImageQueries;
}): Pick<OperationHandlers, 'getImageOriginal' | 'getImageThumbnail'> {
  async function send(req: Request, res: Response, imageId: string, size?: number): Promise<void> {
    const content = await deps.queries.content(currentUser(req).uid, imageId, {
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

  return {
    getImageOriginal: ({ params }, { req, res }) => send(req, res, params.imageId),
    getImageThumbnail: ({ params, query }, { req, res }) => send(req, res, params.imageId, query.size),
  };
}
