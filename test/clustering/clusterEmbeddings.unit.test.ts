import {
  clusterEmbeddings as clusterMatrix,
  MIN_CLUSTERING_IMAGES,
  type ClusteringOptions,
} from '../../src/clustering/clusterEmbeddings';
import { matrixOf } from '../../src/clustering/embeddingMatrix';
import { loadConfig } from '../../src/config';
import { adjustedRandIndex } from '../harness/adjustedRandIndex';

// The service's own defaults (RECLUSTER_MAX_K, RECLUSTER_SEED and the silhouette sample).
const RECLUSTER_DEFAULTS = loadConfig({ FIREBASE_PROJECT_ID: 'imagepipe' }).clustering;
const clusterEmbeddings = (vectors: number[][], options: ClusteringOptions) =>
  clusterMatrix(matrixOf(vectors), options);

/** Vectors around `families` distinct directions, with some spread. */
function families(count: number, perFamily: number, spread: number): { vectors: number[][]; truth: number[] } {
  let state = 1;
  const random = () => (state = (Math.imul(state, 48_271) % 2_147_483_647) >>> 0) / 2_147_483_647;
  const vectors: number[][] = [];
  const truth: number[] = [];
  for (let family = 0; family < count; family++) {
    const centre = Array.from({ length: 32 }, () => random() - 0.5);
    for (let member = 0; member < perFamily; member++) {
      vectors.push(centre.map((value) => value + (random() - 0.5) * spread));
      truth.push(family);
    }
  }
  return { vectors, truth };
}

const labelsOf = (clusters: Array<{ members: number[] }>, count: number) => {
  const labels = new Array<number>(count);
  clusters.forEach((cluster, label) => cluster.members.forEach((index) => (labels[index] = label)));
  return labels;
};

describe('clusterEmbeddings', () => {
  it('finds the families without being told how many there are', () => {
    const { vectors, truth } = families(5, 12, 0.3);
    const result = clusterEmbeddings(vectors, RECLUSTER_DEFAULTS);
    expect(result.k).toBe(5);
    expect(adjustedRandIndex(truth, labelsOf(result.clusters, vectors.length))).toBe(1);
    for (const cluster of result.clusters) {
      expect(Math.hypot(...cluster.centroid)).toBeCloseTo(1, 6);
      expect(cluster.assignThreshold).toBeGreaterThanOrEqual(cluster.minSimilarity);
      expect(cluster.assignThreshold).toBeLessThanOrEqual(cluster.meanSimilarity);
    }
  });

  it('is reproducible: the same library gives the same clusters', () => {
    const { vectors } = families(4, 10, 0.8);
    const first = clusterEmbeddings(vectors, RECLUSTER_DEFAULTS);
    const second = clusterEmbeddings(vectors, RECLUSTER_DEFAULTS);
    expect(second.clusters.map((cluster) => cluster.members)).toEqual(first.clusters.map((cluster) => cluster.members));
  });

  it('keeps the k search within a third of the library and the configured bound', () => {
    const { vectors } = families(3, 4, 0.3);
    expect(clusterEmbeddings(vectors, { ...RECLUSTER_DEFAULTS, maxK: 3 }).tried.map(({ k }) => k)).toEqual([2, 3]);
    expect(() => clusterEmbeddings(vectors.slice(0, MIN_CLUSTERING_IMAGES - 1), RECLUSTER_DEFAULTS)).toThrow(
      /at least 6 images/,
    );
  });
});
