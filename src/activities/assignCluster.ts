import { chooseCluster } from '../clustering/chooseCluster';
import type { PipelineActivities } from '../contracts';
import type { ClusterRepository } from '../storage/clusterRepository';
import type { EmbeddingRepository } from '../storage/embeddingRepository';
import type { ImageRepository } from '../storage/imageRepository';
import { storedEmbedding, type RecentEmbeddings } from './analyseImage';
import { unlessGone } from './unlessGone';

export function createClusterActivities(deps: {
  clusters: ClusterRepository;
  images: ImageRepository;
  embeddings: EmbeddingRepository;
  recentEmbeddings: RecentEmbeddings;
  assignMargin: number;
  now: () => Date;
}): Pick<PipelineActivities, 'assignCluster'> {
  return {
    /**
     * Places a new image into the nearest of its owner's clusters, when it clearly belongs there (see
     * chooseCluster); otherwise it stays unassigned until the next re-clustering. Idempotent: the membership is
     * written once, whatever the number of attempts.
     */
    async assignCluster(input) {
      // Joined or not, the next scheduled re-clustering of this user's library must see the new image.
      await deps.clusters.markPending(input.userId, deps.now().toISOString());
      const embedding = await storedEmbedding(deps, input.userId, input.imageId);
      if (!embedding) return { reason: 'no embedding stored' };
      const clusters = (await deps.clusters.list(input.userId)).filter(
        (cluster) => cluster.provider === embedding.provider,
      );
      const choice = chooseCluster(embedding.vector, clusters, deps.assignMargin);
      if (!choice.assigned) return { reason: choice.reason, similarity: choice.similarity };
      // The image joins and the cluster counts it in one transaction, which only runs while the image has none.
      const at = deps.now().toISOString();
      const membership = await unlessGone(() =>
        deps.images.joinCluster(
          input.userId,
          input.imageId,
          { clusterId: choice.clusterId, similarity: choice.similarity },
          at,
          deps.clusters.countInWrites(input.userId, choice.clusterId, at),
        ),
      );
      if (membership.outcome === 'alongside-refused') return { reason: 'the cluster was replaced by a re-clustering' };
      return { clusterId: membership.clusterId, similarity: choice.similarity };
    },
  };
}
