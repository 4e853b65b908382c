import { dotRows, normaliseRows, rowOf, selectRows, type EmbeddingMatrix } from './embeddingMatrix';
import { kmeans, seededRandom } from './kmeans';

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
  /** Indexes into the input rows. */
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
const MAX_ITERATIONS = 100;
// The k search runs on the sample projected to this many dimensions when the embeddings have more (a seeded
// Gaussian projection keeps cosine distances nearly as they were): 1,536-dimension vectors cost 24 times less.
const SEARCH_DIMENSIONS = 64;

/** A seeded sample of row indexes (all of them when there are few). */
function sampleIndexes(count: number, size: number, random: () => number): number[] {
  const indexes = Array.from({ length: count }, (_, index) => index);
  if (count <= size) return indexes;
  for (let i = 0; i < size; i++) {
    const j = i + Math.floor(random() * (count - i));
    [indexes[i], indexes[j]] = [indexes[j]!, indexes[i]!];
  }
  return indexes.slice(0, size);
}

/** The rows multiplied by a seeded Gaussian matrix of `dimensions` columns, normalised again. */
function project(rows: EmbeddingMatrix, dimensions: number, random: () => number): EmbeddingMatrix {
  const gaussian = () => Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random());
  const basis: EmbeddingMatrix = {
    rows: dimensions,
    dimensions: rows.dimensions,
    values: new Float32Array(dimensions * rows.dimensions),
  };
  for (let i = 0; i < basis.values.length; i++) basis.values[i] = gaussian();
  const projected: EmbeddingMatrix = { rows: rows.rows, dimensions, values: new Float32Array(rows.rows * dimensions) };
  for (let i = 0; i < rows.rows; i++) {
    for (let d = 0; d < dimensions; d++) projected.values[i * dimensions + d] = dotRows(rows, i, basis, d);
  }
  return normaliseRows(projected);
}

/** Cosine distances between every pair of rows, computed once and reused for every k. */
function distanceMatrix(rows: EmbeddingMatrix): Float32Array {
  const n = rows.rows;
  const distances = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const distance = 1 - dotRows(rows, i, rows, j);
      distances[i * n + j] = distance;
      distances[j * n + i] = distance;
    }
  }
  return distances;
}

/** Mean silhouette of a labelling of the sample. */
function silhouette(distances: Float32Array, labels: Int32Array, k: number): number {
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

/** The normalised means of the rows of each label: centroids in the rows' own space. */
function centroidsOf(rows: EmbeddingMatrix, labels: Int32Array, k: number): EmbeddingMatrix {
  const centroids: EmbeddingMatrix = {
    rows: k,
    dimensions: rows.dimensions,
    values: new Float32Array(k * rows.dimensions),
  };
  for (let i = 0; i < rows.rows; i++) {
    const target = centroids.values.subarray(labels[i]! * rows.dimensions, (labels[i]! + 1) * rows.dimensions);
    const source = rowOf(rows, i);
    for (let d = 0; d < rows.dimensions; d++) target[d]! += source[d]!;
  }
  return normaliseRows(centroids);
}

function summarise(
  rows: EmbeddingMatrix,
  members: number[],
  centroids: EmbeddingMatrix,
  label: number,
): ClusterSummary {
  const similarities = members.map((index) => dotRows(rows, index, centroids, label));
  const mean = similarities.reduce((sum, value) => sum + value, 0) / similarities.length;
  const deviation = Math.sqrt(similarities.reduce((sum, value) => sum + (value - mean) ** 2, 0) / similarities.length);
  // Not Math.min(...similarities): a cluster of a large library has more members than a call takes arguments.
  const min = similarities.reduce((least, value) => Math.min(least, value), Infinity);
  return {
    members,
    centroid: Array.from(rowOf(centroids, label)),
    similarities,
    meanSimilarity: mean,
    minSimilarity: min,
    assignThreshold: Math.max(min, mean - 2 * deviation),
  };
}

/**
 * Clusters one library's embeddings (the matrix is normalised in place): spherical k-means (seeded k-means++) for
 * every k from 2 up to the bound on a seeded sample, keeping the k with the best mean silhouette, then that k on
 * every image, starting from the sample's clusters. Cosine similarity throughout: centroids are directions.
 */
export function clusterEmbeddings(matrix: EmbeddingMatrix, options: ClusteringOptions): Clustering {
  if (matrix.rows < MIN_CLUSTERING_IMAGES) {
    throw new Error(`clustering needs at least ${MIN_CLUSTERING_IMAGES} images, got ${matrix.rows}`);
  }
  const rows = normaliseRows(matrix);
  const random = seededRandom(options.seed);
  const upper = Math.min(options.maxK, Math.floor(rows.rows / 3));
  const sample = selectRows(rows, sampleIndexes(rows.rows, options.silhouetteSample, random));
  const searched = rows.dimensions > SEARCH_DIMENSIONS ? project(sample, SEARCH_DIMENSIONS, random) : sample;
  const distances = distanceMatrix(searched);

  let best: { k: number; score: number; labels: Int32Array } | undefined;
  const tried: Clustering['tried'] = [];
  for (let k = 2; k <= upper; k++) {
    let bestOfK: { score: number; labels: Int32Array } | undefined;
    for (let restart = 0; restart < RESTARTS; restart++) {
      const result = kmeans(searched, k, {
        random: seededRandom(options.seed + k * RESTARTS + restart),
        maxIterations: MAX_ITERATIONS,
      });
      const score = silhouette(distances, result.labels, k);
      if (!bestOfK || score > bestOfK.score) bestOfK = { score, labels: result.labels };
    }
    tried.push({ k, silhouette: bestOfK!.score });
    if (!best || bestOfK!.score > best.score) best = { k, ...bestOfK! };
  }

  // The sample's clusters, as centroids in the embeddings' own space, start k-means on the whole library.
  const initial = centroidsOf(sample, best!.labels, best!.k);
  const { labels, centroids } = kmeans(rows, best!.k, { random, maxIterations: MAX_ITERATIONS, initial });
  const members = Array.from({ length: best!.k }, () => [] as number[]);
  labels.forEach((label, index) => members[label]!.push(index));
  const clusters = members
    .map((indexes, label) => ({ indexes, label }))
    .filter(({ indexes }) => indexes.length > 0)
    .map(({ indexes, label }) => summarise(rows, indexes, centroids, label));
  return { k: clusters.length, silhouette: best!.score, tried, clusters };
}
