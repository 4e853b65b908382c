import { dotRows, normaliseRows, type EmbeddingMatrix } from './embeddingMatrix';

export interface KMeansResult {
  /** The cluster of each row. */
  labels: Int32Array;
  /** k unit-length centroids, row by row. */
  centroids: EmbeddingMatrix;
}

export interface KMeansOptions {
  /** A seeded source of numbers in [0, 1): the same input and seed give the same clusters. */
  random: () => number;
  maxIterations: number;
  /** Starting centroids (k rows, unit length); chosen by k-means++ when absent. */
  initial?: EmbeddingMatrix;
}

/** Small, fast, seeded PRNG (mulberry32): reproducible choices without global state. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Greedy k-means++ seeding: the first centroid at random; for each next one, a few candidate rows drawn with
 * probability proportional to their squared distance from the nearest centroid so far, keeping the candidate that
 * leaves the smallest total distance. On unit vectors that distance is 2 − 2·cosine.
 */
function kmeansPlusPlus(rows: EmbeddingMatrix, k: number, random: () => number): EmbeddingMatrix {
  const { dimensions } = rows;
  const centroids: EmbeddingMatrix = { rows: k, dimensions, values: new Float32Array(k * dimensions) };
  const trials = 2 + Math.floor(Math.log(k));
  const distanceTo = (row: number) => (i: number) => Math.max(0, 2 - 2 * dotRows(rows, i, rows, row));
  const first = Math.floor(random() * rows.rows);
  centroids.values.set(rows.values.subarray(first * dimensions, (first + 1) * dimensions), 0);
  let nearest: Float64Array = Float64Array.from({ length: rows.rows }, (_, i) => distanceTo(first)(i));
  for (let c = 1; c < k; c++) {
    const total = nearest.reduce((sum, value) => sum + value, 0);
    let best: { row: number; nearest: Float64Array; total: number } | undefined;
    for (let trial = 0; trial < trials; trial++) {
      let target = random() * total;
      let candidate = rows.rows - 1;
      for (let i = 0; i < rows.rows; i++) {
        target -= nearest[i]!;
        if (target <= 0) {
          candidate = i;
          break;
        }
      }
      const distance = distanceTo(candidate);
      const updated = nearest.map((value, i) => Math.min(value, distance(i)));
      const updatedTotal = updated.reduce((sum, value) => sum + value, 0);
      if (!best || updatedTotal < best.total) best = { row: candidate, nearest: updated, total: updatedTotal };
    }
    centroids.values.set(rows.values.subarray(best!.row * dimensions, (best!.row + 1) * dimensions), c * dimensions);
    nearest = best!.nearest;
  }
  return centroids;
}

/**
 * Spherical k-means (cosine similarity) of unit-length rows: each row joins its most similar centroid, each
 * centroid becomes the normalised mean of its members, until no row moves or `maxIterations`. A centroid left
 * without members moves to the row least similar to its own centroid, so k clusters come out.
 */
export function kmeans(rows: EmbeddingMatrix, k: number, options: KMeansOptions): KMeansResult {
  const { dimensions } = rows;
  const centroids = options.initial ?? kmeansPlusPlus(rows, k, options.random);
  const labels = new Int32Array(rows.rows).fill(-1);
  const best = new Float64Array(rows.rows);
  for (let iteration = 0; iteration < options.maxIterations; iteration++) {
    let moved = 0;
    for (let i = 0; i < rows.rows; i++) {
      let label = 0;
      let similarity = -Infinity;
      for (let c = 0; c < k; c++) {
        const value = dotRows(rows, i, centroids, c);
        if (value > similarity) [label, similarity] = [c, value];
      }
      best[i] = similarity;
      if (labels[i] !== label) {
        labels[i] = label;
        moved++;
      }
    }
    if (moved === 0 && iteration > 0) break;
    centroids.values.fill(0);
    const counts = new Int32Array(k);
    for (let i = 0; i < rows.rows; i++) {
      const label = labels[i]!;
      counts[label]! += 1;
      const target = label * dimensions;
      for (let d = 0, source = i * dimensions; d < dimensions; d++, source++) {
        centroids.values[target + d]! += rows.values[source]!;
      }
    }
    for (let c = 0; c < k; c++) {
      if (counts[c]! > 0) continue;
      let farthest = 0;
      for (let i = 1; i < rows.rows; i++) if (best[i]! < best[farthest]!) farthest = i;
      best[farthest] = Infinity;
      centroids.values.set(rows.values.subarray(farthest * dimensions, (farthest + 1) * dimensions), c * dimensions);
    }
    normaliseRows(centroids);
  }
  return { labels, centroids };
}
