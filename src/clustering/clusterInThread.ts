import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Clustering, ClusteringOptions } from './clusterEmbeddings';
import type { EmbeddingMatrix } from './embeddingMatrix';

const THREAD_ENTRY = path.join(__dirname, `clusteringThread${path.extname(__filename)}`);
// Run from TypeScript sources (development, tests), the thread loads them the same way.
const EXEC_ARGV = THREAD_ENTRY.endsWith('.ts') ? ['--import', 'tsx'] : [];

/**
 * Clusters the matrix in a worker thread, so the process's event loop stays free for everything else it does
 * (heartbeats of the activities running beside it, above all); `onTick` is called every `tickMs` meanwhile. The
 * matrix's buffer is handed over, not copied: it is unusable here afterwards.
 */
export function clusterInThread(
  matrix: EmbeddingMatrix,
  options: ClusteringOptions,
  onTick: () => void = () => undefined,
  tickMs = 5_000,
): Promise<Clustering> {
  return new Promise((resolve, reject) => {
    const thread = new Worker(THREAD_ENTRY, {
      workerData: { matrix, options },
      transferList: [matrix.values.buffer as ArrayBuffer],
      execArgv: EXEC_ARGV,
    });
    const ticker = setInterval(onTick, tickMs);
    const settle = (finish: () => void) => {
      clearInterval(ticker);
      finish();
    };
    thread.once('message', (clustering: Clustering) => settle(() => resolve(clustering)));
    thread.once('error', (error: Error) => settle(() => reject(error)));
    thread.once('exit', (code) => settle(() => reject(new Error(`the clustering thread exited with code ${code}`))));
  });
}
