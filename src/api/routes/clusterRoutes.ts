import { Router } from 'express';
import type { Config } from '../../config';
import type { ImageQueries } from '../../services/imageQueries';
import type { Reclustering } from '../../services/reclustering';
import { apiBase } from '../apiBase';
import { currentUser } from '../auth/authenticate';
import { noQuerySchema, similarQuerySchema } from '../schemas/imageQueries';
import { parseOrThrow } from '../validation';

/**
 * Clusters and similarity: re-clustering on demand (`POST /images/cluster`, followed at
 * `/images/cluster/status`), the caller's clusters, and an image's nearest neighbours by embedding.
 */
export function clusterRoutes(deps: { config: Config; queries: ImageQueries; reclustering: Reclustering }): Router {
  const { config, queries, reclustering } = deps;
  const router = Router();

  router.post('/images/cluster', async (req, res) => {
    parseOrThrow(noQuerySchema, req.query, 'query');
    const workflowId = await reclustering.start(currentUser(req).uid);
    const statusUrl = `${apiBase(req, config)}/api/v1/images/cluster/status`;
    res.status(202).location(statusUrl).json({ workflow_id: workflowId, status: 'running', status_url: statusUrl });
  });

  router.get('/images/cluster/status', async (req, res) => {
    const status = await reclustering.status(currentUser(req).uid);
    res.setHeader('Cache-Control', 'no-store');
    res.json(status);
  });

  router.get('/images/clusters', async (req, res) => {
    parseOrThrow(noQuerySchema, req.query, 'query');
    res.json(await queries.clusters(currentUser(req).uid, apiBase(req, config)));
  });

  router.get('/images/:imageId/similar', async (req, res) => {
    const { limit } = parseOrThrow(similarQuerySchema, req.query, 'query');
    res.json(await queries.similar(currentUser(req).uid, String(req.params.imageId), limit, apiBase(req, config)));
  });
  return router;
}
