/** One cluster of similar images in one user's library, as the clusters table holds it. */
export interface ClusterRecord {
  user_id: string;
  cluster_id: string;
  name: string;
  /** L2-normalised mean of the members' embeddings. */
  centroid: number[];
  /** The embedding provider the centroid was computed from: vectors of another provider are never compared to it. */
  provider: string;
  member_count: number;
  /** A new image joins only with at least this cosine similarity to the centroid (from the members' own spread). */
  assign_threshold: number;
  cohesion: { mean_similarity: number; min_similarity: number };
  /** A few members, for a cluster's preview. */
  sample_image_ids: string[];
  created_at: string;
  updated_at: string;
}
