/**
 * bench/cluster: re-clusters a library of N embeddings (default 10,000) of the `local` provider's dimension, as the
 * re-clustering activity does (k search on a sample by silhouette, then k-means on all), and prints the seconds
 * and the process's peak memory. Target: < 10 s.
 *   npx tsx bench/cluster.ts [embeddings=10000]
 */
import { LocalAiProvider } from '../src/ai/localProvider';
import { clusterEmbeddings } from '../src/clustering/clusterEmbeddings';
import { loadConfig } from '../src/config';

const COUNT = Number(process.argv[2] ?? 10_000);
const FAMILIES = 12;
const DIMENSIONS = Number(/-(\d+)d$/.exec(new LocalAiProvider().name)![1]);

/** Seeded vectors around FAMILIES random directions, L2-normalised, like the embeddings of a varied library. */
function library(count: number): number[][] {
  let state = 7;
  const random = () => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return state / 4_294_967_296;
  };
  const gaussian = () => Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random());
  const centres = Array.from({ length: FAMILIES }, () => Array.from({ length: DIMENSIONS }, gaussian));
  return Array.from({ length: count }, (_, index) => {
    const vector = centres[index % FAMILIES]!.map((value) => value + gaussian() * 0.6);
    const norm = Math.hypot(...vector);
    return vector.map((value) => value / norm);
  });
}

const vectors = library(COUNT);
const rssBefore = process.memoryUsage().rss;
const began = performance.now();
// The service's own defaults (RECLUSTER_MAX_K, RECLUSTER_SEED and the silhouette sample).
const result = clusterEmbeddings(vectors, loadConfig({ FIREBASE_PROJECT_ID: 'demo-bench' }).clustering);
const seconds = (performance.now() - began) / 1000;
const peakMb = process.resourceUsage().maxRSS / 1024;
console.log(`${COUNT} embeddings of ${DIMENSIONS} dimensions (${FAMILIES} generated families)`);
console.log(`k tried: ${result.tried.map(({ k, silhouette }) => `${k}:${silhouette.toFixed(2)}`).join(' ')}`);
console.log(
  `chose k = ${result.k} (silhouette ${result.silhouette.toFixed(3)}); sizes ${result.clusters.map((cluster) => cluster.members.length).join(', ')}`,
);
console.log(
  `re-clustering took ${seconds.toFixed(2)} s; peak RSS ${peakMb.toFixed(0)} MB (${(rssBefore / 1024 / 1024).toFixed(0)} MB before, with the vectors loaded)`,
);
