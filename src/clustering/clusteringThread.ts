import { parentPort, workerData } from 'node:worker_threads';
import { clusterEmbeddings, type ClusteringOptions } from './clusterEmbeddings';
import type { EmbeddingMatrix } from './embeddingMatrix';

/** The worker thread of clusterInThread: clusters the matrix it was handed and posts the result back. */
const { matrix, options } = workerData as { matrix: EmbeddingMatrix; options: ClusteringOptions };
parentPort!.postMessage(clusterEmbeddings(matrix, options));
