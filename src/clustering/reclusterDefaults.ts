import type { ClusteringOptions } from './clusterEmbeddings';

/** The clustering options the service uses unless configured otherwise (RECLUSTER_MAX_K, RECLUSTER_SEED). */
export const RECLUSTER_DEFAULTS: ClusteringOptions = { maxK: 20, seed: 42, silhouetteSample: 1_000 };
