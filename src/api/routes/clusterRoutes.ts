import { Router } from 'express';
import { z } from 'zod';
import { cosineSimilarity } from '../../clustering/chooseCluster';
import type { Config } from '../../config';
import type { ClusterRepository } from '../../images/clusterRepository';
import type { EmbeddingRepository } from '../../images/embeddingRepository';
import type { ImageRecord } from '../../images/imageRecord';
import type { ImageRepository } from '../../images/imageRepository';
import type { ImageUrls } from '../../images/imageUrls';
import type { ImageWorkflows } from '../../images/imageWorkflows';
import { apiBase } from '../apiBase';
import type { ApiMetrics } from '../apiMetrics';
import { currentUser } from '../auth/authenticate';
import { ProblemError } from '../problem';
import { parseOrThrow } from '../validation';
import { ownImage } from './imageReadRoutes';

export interface ClusterDependencies {
  config: Config;
  images: ImageRepository;
  embeddings: EmbeddingRepository;
  clusters: ClusterRepository;
  urls: ImageUrls;
  workflows: ImageWorkflows;
  metrics: ApiMetrics;
}

export const similarQuerySchema = z
  .object({
    limit: z.coerce
      .number()
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(50, 'must be at most 50')
      .default(10),
  })
  .strict();
export const noQuerySchema = z.object({}).strict();

/**
 * Clusters and similarity: re-clustering on demand (`POST /images/cluster`, followed at
 * `/images/cluster/status`), the caller's clusters, and an image's nearest neighbours by embedding.
 */
export function clusterRoutes(deps: ClusterDependencies): Router {
  const { config, images, urls } = deps;
  const router = Router();

  /** The smallest thumbnail's URL: what a preview needs. */
  async function preview(record: ImageRecord, base: string) {
    const smallest = record.thumbnails?.[0];
    const url = !smallest
      ? undefined
      : urls.mode === 'proxy'
        ? `${base}/api/v1/images/${record.image_id}/thumbnail?size=${smallest.size}`
        : (await urls.signed(smallest.key)).url;
    return { image_id: record.image_id, thumbnail_url: url, ai_description: record.ai_description };
  }

  router.post('/images/cluster', async (req, res) => {
    parseOrThrow(noQuerySchema, req.query, 'query');
    const workflowId = await deps.workflows.startRecluster(currentUser(req).uid);
    deps.metrics.workflowStarted('reclusterUser');
    const statusUrl = `${apiBase(req, config)}/api/v1/images/cluster/status`;
    res.status(202).location(statusUrl).json({ workflow_id: workflowId, status: 'running', status_url: statusUrl });
  });

  router.get('/images/cluster/status', async (req, res) => {
    const status = await deps.workflows.reclusterStatus(currentUser(req).uid);
    if (!status)
      throw new ProblemError({
        status: 404,
        detail: 'No re-clustering has run for you yet: POST /api/v1/images/cluster starts one.',
      });
    res.setHeader('Cache-Control', 'no-store');
    res.json({
      workflow_id: status.workflowId,
      status: status.status,
      step: status.progress?.step,
      result: status.summary ?? status.progress?.summary,
    });
  });

  router.get('/images/clusters', async (req, res) => {
    parseOrThrow(noQuerySchema, req.query, 'query');
    const userId = currentUser(req).uid;
    const base = apiBase(req, config);
    const clusters = (await deps.clusters.list(userId)).sort(
      (a, b) => b.member_count - a.member_count || a.cluster_id.localeCompare(b.cluster_id),
    );
    res.json({
      clusters: await Promise.all(
        clusters.map(async (cluster) => {
          const samples = await Promise.all(cluster.sample_image_ids.map((imageId) => images.get(userId, imageId)));
          return {
            cluster_id: cluster.cluster_id,
            name: cluster.name,
            size: cluster.member_count,
            cohesion: cluster.cohesion,
            created_at: cluster.created_at,
            samples: await Promise.all(
              samples
                .filter((sample): sample is ImageRecord => Boolean(sample && !sample.deleted_at))
                .map((sample) => preview(sample, base)),
            ),
            images_url: `${base}/api/v1/images?cluster=${encodeURIComponent(cluster.cluster_id)}`,
          };
        }),
      ),
    });
  });

  router.get('/images/:imageId/similar', async (req, res) => {
    const { limit } = parseOrThrow(similarQuerySchema, req.query, 'query');
    const record = await ownImage(req, images);
    const userId = currentUser(req).uid;
    const target = await deps.embeddings.get(userId, record.image_id);
    if (!target)
      throw new ProblemError({
        status: 409,
        title: 'Not processed yet',
        detail: `Image ${record.image_id} has no embedding yet (status: ${record.status}).`,
      });
    // One Query over the user's embeddings: exact nearest neighbours, fine for libraries of tens of thousands.
    const ranked = (await deps.embeddings.listForUser(userId))
      .filter((candidate) => candidate.imageId !== record.image_id && candidate.provider === target.provider)
      .map((candidate) => ({
        imageId: candidate.imageId,
        similarity: cosineSimilarity(target.vector, candidate.vector),
      }))
      .sort((a, b) => b.similarity - a.similarity);
    const base = apiBase(req, config);
    const similar = [];
    // Soft-deleted images keep their embedding until purged: skip them and read on.
    for (const candidate of ranked) {
      if (similar.length >= limit) break;
      const image = await images.get(userId, candidate.imageId);
      if (image && !image.deleted_at)
        similar.push({ ...(await preview(image, base)), similarity: Number(candidate.similarity.toFixed(4)) });
    }
    res.json({ image_id: record.image_id, similar });
  });

  return router;
}
