import type { Config } from '../../config';
import type { ImageSearch } from '../../services/imageSearch';
import { apiBase } from '../apiBase';
import { currentUser } from '../auth/authenticate';
import type { OperationHandlers } from '../contract/mountOperations';

/**
 * Text search over the caller's images (`GET /images/search?q=`): words (of every field, or of one) and, with a
 * provider that can, meaning.
 */
export function imageSearchRoutes(deps: {
  config: Config;
  search: ImageSearch;
}): Pick<OperationHandlers, 'searchImages'> {
  const { config, search } = deps;
  return {
    searchImages: async ({ query: { q, field, limit, cursor } }, { req, reply }) => {
      const base = apiBase(req, config);
      const page = await search.search(currentUser(req).uid, { q, field, limit, cursor }, base);
      const next =
        page.nextCursor &&
        `${base}/api/v1/images/search?${new URLSearchParams({
          q,
          ...(field ? { field } : {}),
          limit: String(limit),
          cursor: page.nextCursor,
        }).toString()}`;
      reply(200, { items: page.items, next_cursor: page.nextCursor ?? null, next: next ?? null });
    },
  };
}
