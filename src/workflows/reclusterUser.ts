import type { RetryPolicy } from '@temporalio/workflow';
import { CancellationScope, patched, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import {
  reclusterProgressQuery,
  type ClusteringSummary,
  type ReclusterActivities,
  type ReclusterProgress,
  type ReclusterResult,
  type ReclusterUserInput,
} from '../contracts';

const retry: RetryPolicy = {
  initialInterval: '2 seconds',
  backoffCoefficient: 2,
  maximumInterval: '1 minute',
  maximumAttempts: 8,
};
// Loading and clustering a large library takes a while: they heartbeat as pages load and memberships are written.
const { reembedStale, computeClusters, applyClusters } = proxyActivities<ReclusterActivities>({
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '1 minute',
  retry,
});
// One provider call per cluster, heartbeating after each.
const { nameClusters } = proxyActivities<ReclusterActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '2 minutes',
  retry,
});
const { clearReclusterMark, discardClusteringPlan, announceReclustered } = proxyActivities<ReclusterActivities>({
  startToCloseTimeout: '20 seconds',
  retry,
});

/**
 * Re-clusters one user's library: re-embed (images embedded by another provider or model) → compute (embeddings →
 * k search → k-means, plan kept in S3) → name (the AI provider names each cluster) → apply (clusters written,
 * members pointed at them, old clusters removed). Only ids and the summary travel through history.
 */
export async function reclusterUser(input: ReclusterUserInput): Promise<ReclusterResult> {
  const progress: ReclusterProgress = { status: 'running', step: 'reembed' };
  setHandler(reclusterProgressQuery, () => progress);
  const { runId, startTime } = workflowInfo();
  const plan = { userId: input.userId, runKey: runId };

  const { reembedded } = await reembedStale({ userId: input.userId });
  progress.reembedded = reembedded;
  progress.step = 'compute';
  let summary: ClusteringSummary;
  try {
    summary = await computeClusters(plan);
    progress.summary = summary;
    if (summary.k > 0) {
      progress.step = 'name';
      const names = new Map((await nameClusters(plan)).map(({ cluster_id, name }) => [cluster_id, name]));
      summary.clusters = summary.clusters.map((cluster) => ({ ...cluster, name: names.get(cluster.cluster_id) }));
      progress.step = 'apply';
      await applyClusters(plan);
    }
  } catch (error) {
    // A run that fails after computing leaves its plan behind: remove it (applying removes it on success).
    await CancellationScope.nonCancellable(() => discardClusteringPlan(plan));
    throw error;
  }
  // Images that arrived after this run started keep the user marked for the next one.
  await clearReclusterMark({ userId: input.userId, seenUpTo: startTime.toISOString() });
  const result: ReclusterResult = { ...summary, reembedded };
  // Runs begun before webhooks existed end as they began.
  if (patched('webhook-events')) await announceReclustered({ userId: input.userId, runKey: runId, result });
  Object.assign(progress, { status: 'completed', step: 'done' });
  return result;
}
