import { Router } from 'express';
import type { Config } from '../../config';
import type { ImageQueries } from '../../services/imageQueries';
import { apiBase } from '../apiBase';
import { currentUser } from '../auth/authenticate';
import { encodeCursor, listQuerySchema } from '../schemas/listQuery';
import { parseOrThrow } from '../validation';

/** The caller's images: the list, one image, its processing status, and a download URL of its original. */
export function imageReadRoutes(deps: { config: Config; queries: ImageQueries }): Router {
  const { config, queries } = deps;
  const router = Router();

  router.get('/images', async (req, res) => {
    const { cursor, limit, ...filters } = parseOrThrow(listQuerySchema, req.query, 'query');
    const page = await queries.list(currentUser(req).uid, { limit, after: cursor, filters }, apiBase(req, config));
    res.json({ items: page.items, next_cursor: page.next ? encodeCursor(page.next) : null });
  });

  router.get('/images/:imageId', async (req, res) => {
    res.json(await queries.view(currentUser(req).uid, String(req.params.imageId), apiBase(req, config)));
  });

  router.get('/images/:imageId/status', async (req, res) => {
    const status = await queries.status(currentUser(req).uid, String(req.params.imageId));
    res.setHeader('Cache-Control', 'no-store');
    res.json(status);
  });

  router.get('/images/:imageId/download', async (req, res) => {
    const download = await queries.download(currentUser(req).uid, String(req.params.imageId));
    res.setHeader('Cache-Control', 'no-store');
    res.json(download);
  });
  return router;
}
