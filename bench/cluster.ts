/**
 * bench/cluster: re-clusters a library of N generated embeddings of D dimensions as the re-clustering activity does
 * (in a worker thread: k search on a sample by silhouette, then k-means on all), and prints the seconds, the
 * process's peak memory, and how long the main thread's event loop was ever held up meanwhile (what the heartbeats
 * of other activities would wait for). Targets: < 10 s at 10,000 × 92 (the `local` provider); at 50,000 × 1,536
 * (an OpenAI library) the event loop is never held up for more than 100 ms.
 *   npx tsx bench/cluster.ts [embeddings=10000] [dimensions=92]
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { LocalAiProvider } from '../src/ai/localProvider';
import { clusterInThread } from '../src/clustering/clusterInThread';
import { normaliseRows, type EmbeddingMatrix } from '../src/clustering/embeddingMatrix';
import { seededRandom } from '../src/clustering/kmeans';
import { loadConfig } from '../src/config';
import { runBench } from './benchStack';

const COUNT = Number(process.argv[2] ?? 10_000);
const DIMENSIONS = Number(process.argv[3] ?? /-(\d+)d$/.exec(new LocalAiProvider().name)![1]);
const FAMILIES = 12;

/** Seeded vectors around FAMILIES random directions, like the embeddings of a varied library. */
function library(count: number, dimensions: number): EmbeddingMatrix {
  const random = seededRandom(7);
  const gaussian = () => Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random());
  const centres = Array.from({ length: FAMILIES }, () => Float32Array.from({ length: dimensions }, gaussian));
  const values = new Float32Array(count * dimensions);
  for (let row = 0; row < count; row++) {
    const centre = centres[row % FAMILIES]!;
    for (let d = 0; d < dimensions; d++) values[row * dimensions + d] = centre[d]! + gaussian() * 0.6;
  }
  return normaliseRows({ rows: count, dimensions, values });
}

runBench(async () => {
  const matrix = library(COUNT, DIMENSIONS);
  const rssBefore = process.memoryUsage().rss;
  const delay = monitorEventLoopDelay({ resolution: 10 });
  let ticks = 0;
  delay.enable();
  const began = performance.now();
  // The service's own defaults (RECLUSTER_MAX_K, RECLUSTER_SEED and the silhouette sample).
  const options = loadConfig({ FIREBASE_PROJECT_ID: 'imagepipe' }).clustering;
  const result = await clusterInThread(matrix, options, () => ticks++, 1_000);
  const seconds = (performance.now() - began) / 1000;
  delay.disable();
  const peakMb = process.resourceUsage().maxRSS / 1024;
  console.log(`${COUNT} embeddings of ${DIMENSIONS} dimensions (${FAMILIES} generated families), in a worker thread`);
  console.log(`k tried: ${result.tried.map(({ k, silhouette }) => `${k}:${silhouette.toFixed(2)}`).join(' ')}`);
  console.log(
    `chose k = ${result.k} (silhouette ${result.silhouette.toFixed(3)}); sizes ${result.clusters.map((cluster) => cluster.members.length).join(', ')}`,
  );
  console.log(
    `re-clustering took ${seconds.toFixed(2)} s; peak RSS ${peakMb.toFixed(0)} MB (${(rssBefore / 1024 / 1024).toFixed(0)} MB before, with the vectors loaded)`,
  );
  console.log(
    `main thread meanwhile: event loop delay max ${(delay.max / 1e6).toFixed(1)} ms, p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms; ${ticks} of ${Math.floor(seconds)} once-a-second ticks ran`,
  );
});
