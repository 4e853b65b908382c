import type { Config } from '../../config';
import type { ImageQueries } from '../../services/imageQueries';
import type { Reclustering } from '../../services/reclustering';
import { apiBase } from '../apiBase';
import { currentUser } from '../auth/authenticate';
import type { OperationHandlers } from '../contract/mountOperations';

/**
 * Clusters and similarity: re-clustering on demand (`POST /images/cluster`, followed at
 * `/images/cluster/status`), the caller's clusters, and an image's nearest neighbours by embedding.
 */
export function clusterRoutes(deps: {
  config: Config;
  queries: ImageQueries;
  reclustering: Reclustering;
}): Pick<OperationHandlers, 'startReclustering' | 'getReclustering' | 'listClusters' | 'getSimilarImages'> {
  const { config, queries, reclustering } = deps;
  return {
    startReclustering: async (_input, { req, res, reply }) => {
      const workflowId = await reclustering.start(currentUser(req).uid);
      const statusUrl = `${apiBase(req, config)}/api/v1/images/cluster/status`;
      res.location(statusUrl);
      reply(202, { workflow_id: workflowId, status: 'running', status_url: statusUrl });
    },
    getReclustering: async (_input, { req, res, reply }) => {
      const status = await reclustering.status(currentUser(req).uid);
      res.setHeader('Cache-Control', 'no-store');
      reply(200, status);
    },
    listClusters: async (_input, { req, reply }) => {
      reply(200, await queries.clusters(currentUser(req).uid, apiBase(req, config)));
    },
    getSimilarImages: async ({ params, query }, { req, reply }) => {
      reply(200, await queries.similar(currentUser(req).uid, params.imageId, query.limit, apiBase(req, config)));
    },
  };
}
