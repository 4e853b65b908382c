import type { Config } from '../../config';
import type { ImageQueries } from '../../services/imageQueries';
import { apiBase } from '../apiBase';
import { currentUser } from '../auth/authenticate';
import type { OperationHandlers } from '../contract/mountOperations';
import { encodeCursor } from '../schemas/listQuery';

/** The caller's images: the list, one image, its processing status, and a download URL of its original. */
export function imageReadRoutes(deps: {
  config: Config;
  queries: ImageQueries;
}): Pick<OperationHandlers, 'listImages' | 'getImage' | 'getImageStatus' | 'getImageDownload'> {
  const { config, queries } = deps;
  return {
    listImages: async ({ query: { cursor, limit, ...filters } }, { req, reply }) => {
      const page = await queries.list(currentUser(req).uid, { limit, after: cursor, filters }, apiBase(req, config));
      reply(200, { items: page.items, next_cursor: page.next ? encodeCursor(page.next) : null });
    },
    getImage: async ({ params }, { req, reply }) => {
      reply(200, await queries.view(currentUser(req).uid, params.imageId, apiBase(req, config)));
    },
    getImageStatus: async ({ params, query }, { req, res, reply }) => {
      // A client that goes away ends its wait: nothing is held open for nobody.
      const gone = new AbortController();
      res.once('close', () => gone.abort());
      const seconds = Math.min(query.wait, config.api.statusWaitMaxSeconds);
      const status = await queries.status(currentUser(req).uid, params.imageId, { seconds, signal: gone.signal });
      res.setHeader('Cache-Control', 'no-store');
      reply(200, status);
    },
    getImageDownload: async ({ params }, { req, res, reply }) => {
      const download = await queries.download(currentUser(req).uid, params.imageId);
      res.setHeader('Cache-Control', 'no-store');
      reply(200, download);
    },
  };
}
