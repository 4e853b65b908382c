import { defineQuery } from '@temporalio/workflow';

export interface ReclusterUserInput {
  userId: string;
}

export interface ReclusterAllInput {
  /** Where the previous run (before continue-as-new) stopped in the list of users. */
  after?: string;
  /** What the runs before continue-as-new did. */
  done?: ReclusterAllResult;
}

/** What a scheduled re-clustering did: users gone through, and those whose run failed (the first ones named). */
export interface ReclusterAllResult {
  users: number;
  failedUsers: number;
  failed: Array<{ userId: string; reason: string }>;
}

/** One re-clustering's plan and clusters are named after this (the workflow's run id). */
export interface ReclusterPlanInput {
  userId: string;
  runKey: string;
}

/** What a re-clustering found, as its workflow reports it (no vectors: they stay in storage). */
export interface ClusteringSummary {
  images: number;
  /** Embeddings of another provider, left out until they are re-embedded. */
  skipped: number;
  k: number;
  silhouette?: number;
  clusters: Array<{ cluster_id: string; size: number; name?: string }>;
  /** Why no clusters were made. */
  reason?: string;
}

export type ReclusterResult = ClusteringSummary & { reembedded: number };

export interface ReclusterProgress {
  status: 'running' | 'completed';
  step: 'reembed' | 'compute' | 'name' | 'apply' | 'done';
  /** Images embedded again because their embedding came from another provider or model. */
  reembedded?: number;
  summary?: ClusteringSummary;
}

export const reclusterProgressQuery = defineQuery<ReclusterProgress>('reclusterProgress');

/** The activities the re-clustering workflows run, as they call them. */
export interface ReclusterActivities {
  reembedStale: (input: { userId: string }) => Promise<{ reembedded: number }>;
  computeClusters: (input: ReclusterPlanInput) => Promise<ClusteringSummary>;
  nameClusters: (input: ReclusterPlanInput) => Promise<Array<{ cluster_id: string; name: string }>>;
  applyClusters: (input: ReclusterPlanInput) => Promise<{ applied: boolean; removed: number }>;
  /** Removes the plan of a run that failed before applying it. */
  discardClusteringPlan: (input: ReclusterPlanInput) => Promise<void>;
  clearReclusterMark: (input: { userId: string; seenUpTo: string }) => Promise<void>;
  /** Tells the user's webhooks what the re-clustering found (library.reclustered; its id from the run). */
  announceReclustered: (input: ReclusterPlanInput & { result: ReclusterResult }) => Promise<void>;
  listUsersToRecluster: (input: { after?: string; limit: number }) => Promise<{ userIds: string[]; next?: string }>;
}
