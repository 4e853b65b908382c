import { heartbeat } from '@temporalio/activity';
import type { AiProvider } from '../ai/aiProvider';
import { MIN_CLUSTERING_IMAGES, type ClusteringOptions } from '../clustering/clusterEmbeddings';
import { clusterInThread } from '../clustering/clusterInThread';
import { matrixOf } from '../clustering/embeddingMatrix';
import {
  clusteringPlanKey,
  type ClusteringSummary,
  type ReclusterActivities,
  type ReclusterPlanInput,
  type WebhookEvent,
} from '../contracts';
import type { ClusterRecord } from '../storage/clusterRecord';
import type { ClusterRepository } from '../storage/clusterRepository';
import type { EmbeddingRepository } from '../storage/embeddingRepository';
import type { ImageObjects } from '../storage/imageObjects';
import type { ImageRepository } from '../storage/imageRepository';
import { mapWithConcurrency } from '../util/mapWithConcurrency';
import { thumbnailForAi, type ThumbnailSource } from './thumbnailForAi';

/** The computed clustering, kept in S3 between the steps that compute, name and apply it. */
interface ClusteringPlan {
  provider: string;
  k: number;
  silhouette: number;
  tried: Array<{ k: number; silhouette: number }>;
  clusters: Array<{
    clusterId: string;
    name?: string;
    centroid: number[];
    imageIds: string[];
    similarities: number[];
    meanSimilarity: number;
    minSimilarity: number;
    assignThreshold: number;
  }>;
}

// Descriptions shown to the provider to name a cluster, and members kept as its preview: the most typical ones.
const NAMING_MEMBERS = 8;
const SAMPLE_MEMBERS = 4;
const WRITE_CONCURRENCY = 16;
// Provider calls at once while re-embedding: gentle on rate limits.
const REEMBED_CONCURRENCY = 4;

const planKey = (input: ReclusterPlanInput) => clusteringPlanKey(input.userId, input.runKey);

/** Members ordered from the most to the least typical (closest to the centroid first). */
function mostTypical(cluster: ClusteringPlan['clusters'][number], count: number): string[] {
  return cluster.imageIds
    .map((imageId, index) => ({ imageId, similarity: cluster.similarities[index]! }))
    .sort((a, b) => b.similarity - a.similarity)
    .slice(0, count)
    .map((member) => member.imageId);
}

export function createReclusterActivities(deps: {
  objects: ImageObjects;
  thumbnails: ThumbnailSource;
  ai: AiProvider;
  images: ImageRepository;
  embeddings: EmbeddingRepository;
  clusters: ClusterRepository;
  options: ClusteringOptions;
  /** Tells the user's webhook endpoints (src/services/webhookEvents.ts). */
  publish: (event: WebhookEvent) => Promise<unknown>;
  now: () => Date;
}): ReclusterActivities {
  const readPlan = (input: ReclusterPlanInput) => deps.objects.readJson<ClusteringPlan>(planKey(input));
  const writePlan = (input: ReclusterPlanInput, plan: ClusteringPlan) => deps.objects.putJson(planKey(input), plan);

  const summaryOf = (plan: ClusteringPlan, images: number, skipped: number): ClusteringSummary => ({
    images,
    skipped,
    k: plan.k,
    silhouette: plan.silhouette,
    clusters: plan.clusters.map((cluster) => ({
      cluster_id: cluster.clusterId,
      size: cluster.imageIds.length,
      name: cluster.name,
    })),
  });

  return {
    /**
     * Embeds again every image whose embedding came from another provider (or model): after a change of
     * AI_PROVIDER or model, the library moves to the new embedding space before it is clustered. Images without a
     * thumbnail (failed, still processing) are left alone.
     */
    async reembedStale(input) {
      // Only ids cross the wire: the filter runs in DynamoDB and no stale vector is read.
      const stale = await deps.embeddings.idsEmbeddedByOthers(input.userId, deps.ai.name);
      let reembedded = 0;
      await mapWithConcurrency(stale, REEMBED_CONCURRENCY, async (imageId) => {
        const image = await deps.images.get(input.userId, imageId);
        const smallest = image?.thumbnails?.[0];
        if (!image || !smallest || image.deleted_at) return;
        const shown = await thumbnailForAi(deps.thumbnails, smallest.key, {
          width: image.width,
          height: image.height,
          format: image.format,
        });
        const vector = await deps.ai.embed({ image: shown, description: image.ai_description ?? '' });
        const at = deps.now().toISOString();
        await deps.embeddings.put(input.userId, imageId, { vector, provider: deps.ai.name }, at);
        await deps.images.setEmbeddingFacts(
          input.userId,
          imageId,
          { dimensions: vector.length, provider: deps.ai.name },
          at,
        );
        heartbeat({ reembedded: ++reembedded });
      });
      return { reembedded };
    },

    /**
     * Loads the user's embeddings page by page and clusters them in a worker thread (heartbeating meanwhile, and
     * leaving this process's event loop to the activities beside it); the plan goes to S3 under a key of this run.
     */
    async computeClusters(input) {
      const all = await deps.embeddings.listForUser(input.userId, (loaded) => heartbeat({ loaded }));
      const usable = all.filter((embedding) => embedding.provider === deps.ai.name);
      const skipped = all.length - usable.length;
      if (usable.length < MIN_CLUSTERING_IMAGES) {
        return {
          images: usable.length,
          skipped,
          k: 0,
          clusters: [],
          reason: `fewer than ${MIN_CLUSTERING_IMAGES} images with embeddings`,
        };
      }
      const clustering = await clusterInThread(
        matrixOf(usable.map((embedding) => embedding.vector)),
        deps.options,
        () => heartbeat({ clustering: usable.length }),
      );
      const plan: ClusteringPlan = {
        provider: deps.ai.name,
        k: clustering.k,
        silhouette: clustering.silhouette,
        tried: clustering.tried,
        clusters: clustering.clusters.map((cluster, index) => ({
          clusterId: `${input.runKey}-${index}`,
          centroid: cluster.centroid,
          imageIds: cluster.members.map((member) => usable[member]!.imageId),
          similarities: cluster.similarities,
          meanSimilarity: cluster.meanSimilarity,
          minSimilarity: cluster.minSimilarity,
          assignThreshold: cluster.assignThreshold,
        })),
      };
      await writePlan(input, plan);
      return summaryOf(plan, usable.length, skipped);
    },

    /** Names each cluster from its most typical members' descriptions. A retry names only what is still unnamed. */
    async nameClusters(input) {
      const plan = await readPlan(input);
      if (!plan) return []; // already applied by an earlier attempt
      for (const cluster of plan.clusters) {
        if (cluster.name) continue;
        const members = await Promise.all(
          mostTypical(cluster, NAMING_MEMBERS).map((imageId) => deps.images.get(input.userId, imageId)),
        );
        const descriptions = members.flatMap((member) => (member?.ai_description ? [member.ai_description] : []));
        cluster.name = descriptions.length > 0 ? await deps.ai.nameCluster(descriptions) : 'Unnamed';
        await writePlan(input, plan);
        heartbeat({ named: cluster.clusterId });
      }
      return plan.clusters.map((cluster) => ({ cluster_id: cluster.clusterId, name: cluster.name! }));
    },

    /**
     * Writes the new clusters, points every member at its cluster, then removes the user's older clusters and the
     * plan. Every write is a put or a set of the same value, so a retry or a replay changes nothing twice; once the
     * plan is gone, the work is known to be done.
     */
    async applyClusters(input) {
      const plan = await readPlan(input);
      if (!plan) return { applied: false, removed: 0 };
      const at = deps.now().toISOString();
      for (const cluster of plan.clusters) {
        const record: ClusterRecord = {
          user_id: input.userId,
          cluster_id: cluster.clusterId,
          name: cluster.name ?? 'Unnamed',
          centroid: cluster.centroid,
          provider: plan.provider,
          member_count: cluster.imageIds.length,
          assign_threshold: cluster.assignThreshold,
          cohesion: { mean_similarity: cluster.meanSimilarity, min_similarity: cluster.minSimilarity },
          sample_image_ids: mostTypical(cluster, SAMPLE_MEMBERS),
          created_at: at,
          updated_at: at,
        };
        await deps.clusters.put(record);
      }
      const memberships = plan.clusters.flatMap((cluster) =>
        cluster.imageIds.map((imageId, index) => ({
          imageId,
          clusterId: cluster.clusterId,
          similarity: cluster.similarities[index]!,
        })),
      );
      let written = 0;
      // An image deleted since the plan was made is simply skipped.
      await mapWithConcurrency(memberships, WRITE_CONCURRENCY, async (membership) => {
        await deps.images.setCluster(input.userId, membership.imageId, membership.clusterId, membership.similarity, at);
        if (++written % 100 === 0) heartbeat({ written });
      });
      const removed = await deps.clusters.removeAllExcept(
        input.userId,
        new Set(plan.clusters.map((cluster) => cluster.clusterId)),
      );
      await deps.objects.delete(planKey(input));
      return { applied: true, removed };
    },

    async discardClusteringPlan(input) {
      await deps.objects.delete(planKey(input));
    },

    /** The user's re-clustering is done: forget the mark, unless an image arrived after `seenUpTo`. */
    async clearReclusterMark(input) {
      await deps.clusters.clearPending(input.userId, input.seenUpTo);
    },

    /** library.reclustered, once per run (a retry sends the same event id, which delivery drops). */
    async announceReclustered({ userId, runKey, result }) {
      await deps.publish({
        id: `evt_recluster_${runKey}`,
        type: 'library.reclustered',
        userId,
        occurredAt: deps.now().toISOString(),
        summary: result,
      });
    },

    /** A page of the users who have images no re-clustering has seen yet. */
    async listUsersToRecluster(input) {
      return deps.clusters.listPending(input);
    },
  };
}
