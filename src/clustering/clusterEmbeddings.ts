import { kmeans } from 'ml-kmeans';
import { cosineSimilarity } from './chooseCluster';

/** Fewer images than this make no clusters: with k ≥ 2 and about three images a cluster, there is nothing to find. */
export const MIN_CLUSTERING_IMAGES = 6;

export interface ClusteringOptions {
  /** Largest k tried; the search also stops at a third of the images (clusters of about three at the least). */
  maxK: number;
  /** Seeds k-means++ and the silhouette sample: the same library gives the same clusters. */
  seed: number;
  /** Images the silhouette is measured on (it is quadratic); a seeded sample of larger libraries. */
  silhouetteSample: number;
}

export interface ClusterSummary {
  /** Indexes into the input vectors. */
  members: number[];
  /** L2-normalised. */
  centroid: number[];
  /** Members' cosine similarity to the centroid, per member, in `members` order. */
  similarities: number[];
  meanSimilarity: number;
  minSimilarity: number;
  /** The similarity a new image needs to join: as close as the members mostly are (mean − 2σ), never below the least similar member. */
  assignThreshold: number;
}

export interface Clustering {
  k: number;
  /** Mean silhouette (cosine distance) of the chosen k, on the sample; -1..1, higher is better separated. */
  silhouette: number;
  /** Silhouette of each k tried, for the record. */
  tried: Array<{ k: number; silhouette: number }>;
  clusters: ClusterSummary[];
}

// k-means++ can settle in a poor local optimum (two groups merged, another split): keep the best of a few starts.
const RESTARTS = 3;

/** Small, fast, seeded PRNG (mulberry32): reproducible samples without global state. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normalise(vector: number[]): number[] {
  const norm = Math.hypot(...vector) || 1;
  return vector.map((value) => value / norm);
}

/** A seeded sample of indexes (all of them when there are few). */
function sampleIndexes(count: number, size: number, seed: number): number[] {
  const indexes = Array.from({ length: count }, (_, index) => index);
  if (count <= size) return indexes;
  const random = seededRandom(seed);
  for (let i = 0; i < size; i++) {
    const j = i + Math.floor(random() * (count - i));
    [indexes[i], indexes[j]] = [indexes[j]!, indexes[i]!];
  }
  return indexes.slice(0, size);
}

/** Cosine distances between every pair of sampled vectors, computed once and reused for every k. */
function distanceMatrix(vectors: number[][], sample: number[]): Float32Array {
  const n = sample.length;
  const distances = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const distance = 1 - cosineSimilarity(vectors[sample[i]!]!, vectors[sample[j]!]!);
      distances[i * n + j] = distance;
      distances[j * n + i] = distance;
    }
  }
  return distances;
}

/** Mean silhouette of a labelling of the sample. */
function silhouette(distances: Float32Array, labels: number[], k: number): number {
  const n = labels.length;
  let total = 0;
  const sums = new Float64Array(k);
  const counts = new Float64Array(k);
  for (const label of labels) counts[label]! += 1;
  for (let i = 0; i < n; i++) {
    sums.fill(0);
    for (let j = 0; j < n; j++) if (j !== i) sums[labels[j]!]! += distances[i * n + j]!;
    const own = labels[i]!;
    if (counts[own]! <= 1) continue; // a singleton's silhouette is 0 by convention
    const a = sums[own]! / (counts[own]! - 1);
    let b = Infinity;
    for (let c = 0; c < k; c++) if (c !== own && counts[c]! > 0) b = Math.min(b, sums[c]! / counts[c]!);
    total += b === Infinity ? 0 : (b - a) / Math.max(a, b);
  }
  return total / n;
}

function summarise(vectors: number[][], members: number[], centroid: number[]): ClusterSummary {
  const unit = normalise(centroid);
  const similarities = members.map((index) => cosineSimilarity(vectors[index]!, unit));
  const mean = similarities.reduce((sum, value) => sum + value, 0) / similarities.length;
  const deviation = Math.sqrt(similarities.reduce((sum, value) => sum + (value - mean) ** 2, 0) / similarities.length);
  // Not Math.min(...similarities): a cluster of a large library has more members than a call takes arguments.
  const min = similarities.reduce((least, value) => Math.min(least, value), Infinity);
  return {
    members,
    centroid: unit,
    similarities,
    meanSimilarity: mean,
    minSimilarity: min,
    assignThreshold: Math.max(min, mean - 2 * deviation),
  };
}

/**
 * Clusters one library's embeddings: k-means (seeded k-means++) for every k from 2 up to the bound on a seeded
 * sample, keeping the k with the best mean silhouette, then that k on every image. Vectors are L2-normalised, so
 * squared Euclidean distance ranks like cosine distance and centroids are meaningful directions.
 */
export function clusterEmbeddings(input: number[][], options: ClusteringOptions): Clustering {
  const vectors = input.map(normalise);
  if (vectors.length < MIN_CLUSTERING_IMAGES)
    throw new Error(`clustering needs at least ${MIN_CLUSTERING_IMAGES} images, got ${vectors.length}`);
  const upper = Math.min(options.maxK, Math.floor(vectors.length / 3));
  const sample = sampleIndexes(vectors.length, options.silhouetteSample, options.seed);
  const distances = distanceMatrix(vectors, sample);

  // k is chosen on the sample (k-means on it, a few seeded restarts each, scored by silhouette); the winning
  // centroids then seed k-means on the whole library.
  const sampled = sample.map((index) => vectors[index]!);
  let best: { k: number; score: number; centroids: number[][] } | undefined;
  const tried: Clustering['tried'] = [];
  for (let k = 2; k <= upper; k++) {
    let bestOfK: { score: number; centroids: number[][] } | undefined;
    for (let restart = 0; restart < RESTARTS; restart++) {
      const result = kmeans(sampled, k, {
        seed: options.seed + restart,
        initialization: 'kmeans++',
        maxIterations: 100,
      });
      const score = silhouette(distances, result.clusters, k);
      if (!bestOfK || score > bestOfK.score) bestOfK = { score, centroids: result.centroids };
    }
    tried.push({ k, silhouette: bestOfK!.score });
    if (!best || bestOfK!.score > best.score) best = { k, ...bestOfK! };
  }
  const chosen = { ...best!, ...kmeans(vectors, best!.k, { initialization: best!.centroids, maxIterations: 100 }) };
  const labels = chosen.clusters;
  const members = Array.from({ length: chosen.k }, () => [] as number[]);
  labels.forEach((label, index) => members[label]!.push(index));
  const clusters = members
    .map((indexes, label) => ({ indexes, centroid: chosen.centroids[label]! }))
    .filter(({ indexes }) => indexes.length > 0)
    .map(({ indexes, centroid }) => summarise(vectors, indexes, centroid));
  return { k: clusters.length, silhouette: chosen.score, tried, clusters };
}
