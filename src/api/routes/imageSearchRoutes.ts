import { Router } from 'express';
import type { Config } from '../../config';
import type { ImageSearch } from '../../services/imageSearch';
import { apiBase } from '../apiBase';
import { currentUser } from '../auth/authenticate';
import { searchQuerySchema } from '../schemas/searchQuery';
import { parseOrThrow } from '../validation';

/** Text search over the caller's images (`GET /images/search?q=`): words and, with a provider that can, meaning. */
export function imageSearchRoutes(deps: { config: Config; search: ImageSearch }): Router {
  const { config, search } = deps;
  const router = Router();

  router.get('/images/search', async (req, res) => {
    const { q, limit, cursor } = parseOrThrow(searchQuerySchema, req.query, 'query');
    const base = apiBase(req, config);
    const page = await search.search(currentUser(req).uid, { q, limit, cursor }, base);
    const next =
      page.nextCursor &&
      `${base}/api/v1/images/search?${new URLSearchParams({ q, limit: String(limit), cursor: page.nextCursor }).toString()}`;
    res.json({ items: page.items, next_cursor: page.nextCursor ?? null, next: next ?? null });
  });
  return router;
}
