/** What assignment needs of a cluster. */
export interface CandidateCluster {
  cluster_id: string;
  centroid: number[];
  assign_threshold: number;
}

export type ClusterChoice =
  { assigned: true; clusterId: string; similarity: number } | { assigned: false; reason: string; similarity?: number };

/** Cosine similarity; both vectors are expected L2-normalised, but a centroid is normalised again to be safe. */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    normA += a[i]! * a[i]!;
    normB += b[i]! * b[i]!;
  }
  return normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB);
}

/**
 * The cluster a new image joins: its nearest centroid, but only when the similarity reaches that cluster's own
 * threshold and beats the second-best cluster by `margin`. An image that is near nothing, or halfway between two
 * clusters, is left for the next re-clustering rather than forced into the wrong one.
 */
export function chooseCluster(vector: number[], clusters: CandidateCluster[], margin: number): ClusterChoice {
  if (clusters.length === 0) return { assigned: false, reason: 'no clusters yet' };
  const ranked = clusters
    .filter((cluster) => cluster.centroid.length === vector.length)
    .map((cluster) => ({ cluster, similarity: cosineSimilarity(vector, cluster.centroid) }))
    .sort((a, b) => b.similarity - a.similarity);
  const [best, second] = ranked;
  if (!best) return { assigned: false, reason: 'no clusters of this embedding' };
  if (best.similarity < best.cluster.assign_threshold) {
    return { assigned: false, reason: 'not close enough to any cluster', similarity: best.similarity };
  }
  if (second && best.similarity - second.similarity < margin) {
    return { assigned: false, reason: 'as close to two clusters', similarity: best.similarity };
  }
  return { assigned: true, clusterId: best.cluster.cluster_id, similarity: best.similarity };
}
