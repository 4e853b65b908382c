/**
 * bench/similar: GET /images/{id}/similar over one user's library of N images with D-dimension embeddings (default
 * 50,000 × 1,536, an OpenAI library), through the real API on a throwaway stack. Prints the first request's latency
 * (the library read into memory), the latency of the requests after it, what reading the whole library on every
 * request (the way it was before) costs, and the API's event loop delay meanwhile; then 16 requests at once to an
 * index holding nothing yet (as after a restart, or a write by another process): how many reads of the library they
 * made, and their latency.
 *   npx tsx bench/similar.ts [images=50000] [dimensions=1536]
 */
import crypto from 'node:crypto';
import http from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import {
  BatchWriteCommand,
  type BatchWriteCommandInput,
  type BatchWriteCommandOutput,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { cosineSimilarity } from '../src/clustering/chooseCluster';
import { seededRandom } from '../src/clustering/kmeans';
import { encodeVector } from '../src/storage/float32Vector';
import { SimilarityIndex } from '../src/similarity/similarityIndex';
import type { EmbeddingRepository } from '../src/storage/embeddingRepository';
import { newImageRecord } from '../src/storage/newImageRecord';
import { mapWithConcurrency } from '../src/util/mapWithConcurrency';
import { startApi } from '../test/harness/apiServer';
import { testStorage } from '../test/harness/storage';
import { createTestUser } from '../test/harness/users';
import { percentile, runBench, withBenchStack } from './benchStack';

const COUNT = Number(process.argv[2] ?? 50_000);
const DIMENSIONS = Number(process.argv[3] ?? 1_536);
const PROVIDER = `bench-${DIMENSIONS}d`;
const WARM_REQUESTS = 20;
const COLD_REQUESTS = 16;

async function writeAll(documents: DynamoDBDocumentClient, table: string, items: Record<string, unknown>[]) {
  const batches = Array.from({ length: Math.ceil(items.length / 25) }, (_, index) =>
    items.slice(index * 25, index * 25 + 25),
  );
  await mapWithConcurrency(batches, 8, async (batch) => {
    let pending: BatchWriteCommandInput['RequestItems'] = { [table]: batch.map((Item) => ({ PutRequest: { Item } })) };
    while (pending && Object.keys(pending).length > 0) {
      const out: BatchWriteCommandOutput = await documents.send(new BatchWriteCommand({ RequestItems: pending }));
      pending = out.UnprocessedItems;
    }
  });
}

runBench(() =>
  withBenchStack(async (env) => {
    Object.assign(process.env, env);
    const api = await startApi({ SIMILARITY_CACHE_MB: '1024' });
    const storage = testStorage(api.config);
    try {
      const user = await createTestUser(api.config);
      const random = seededRandom(11);
      const imageIds = Array.from({ length: COUNT }, () => crypto.randomUUID());
      const at = new Date().toISOString();
      process.stdout.write(`writing ${COUNT} images with ${DIMENSIONS}-dimension embeddings... `);
      const began = performance.now();
      await writeAll(
        storage.clients.documents,
        api.config.dynamodb.imagesTable,
        imageIds.map((imageId) => ({
          ...newImageRecord({
            userId: user.uid,
            imageId,
            at,
            status: 'processing',
            filename: `${imageId}.jpg`,
            original: { content_type: 'image/jpeg', format: 'jpeg', bytes: 1, sha256: '', width: 1, height: 1 },
            fields: { visibility: 'private' },
          }),
          status: 'completed',
        })),
      );
      await writeAll(
        storage.clients.documents,
        api.config.dynamodb.embeddingsTable,
        imageIds.map((imageId) => ({
          user_id: user.uid,
          image_id: imageId,
          vector: encodeVector(Array.from({ length: DIMENSIONS }, () => random() - 0.5)),
          dimensions: DIMENSIONS,
          provider: PROVIDER,
          updated_at: at,
        })),
      );
      console.log(`${((performance.now() - began) / 1000).toFixed(0)} s`);

      const delay = monitorEventLoopDelay({ resolution: 10 });
      // Plain http, not fetch: the first request reads the whole library and may take longer than fetch waits.
      const timed = (imageId: string) =>
        new Promise<number>((resolve, reject) => {
          const start = performance.now();
          const request = http.get(`${api.url}/api/v1/images/${imageId}/similar?limit=10`, {
            headers: { authorization: `Bearer ${user.idToken}` },
          });
          request.on('response', (response) => {
            let body = '';
            response.on('data', (chunk: Buffer) => (body += chunk.toString()));
            response.on('end', () => {
              const similar = (JSON.parse(body) as { similar?: unknown[] }).similar;
              if (response.statusCode !== 200 || similar?.length !== 10)
                reject(new Error(`similar answered ${response.statusCode}`));
              else resolve(performance.now() - start);
            });
          });
          request.on('error', reject);
        });
      delay.enable();
      const first = await timed(imageIds[0]!);
      const firstDelayMax = delay.max / 1e6;
      delay.reset();
      const warm = [];
      for (let i = 1; i <= WARM_REQUESTS; i++) warm.push(await timed(imageIds[i * 97]!));
      delay.disable();

      // Requests at once to an index holding nothing yet, the API's own kind over the same table: one read of the
      // library answers them all.
      let reads = 0;
      const counted = Object.assign(Object.create(storage.embeddings) as EmbeddingRepository, {
        pagesForUser: (userId: string) => {
          reads++;
          return storage.embeddings.pagesForUser(userId);
        },
      });
      const cold = new SimilarityIndex(counted, api.config.similarity.cacheValues);
      const coldLatencies = await Promise.all(
        Array.from({ length: COLD_REQUESTS }, async (_, i) => {
          const start = performance.now();
          const nearest = await cold.nearest(user.uid, imageIds[i * 53]!, 10);
          if (nearest?.length !== 10) throw new Error(`the cold index answered ${nearest?.length} neighbours`);
          return performance.now() - start;
        }),
      );

      // What a request cost when it read and compared the whole library each time.
      const readBegan = performance.now();
      const all = await storage.embeddings.listForUser(user.uid);
      const target = all[0]!.vector;
      all.map((candidate) => cosineSimilarity(target, candidate.vector)).sort((a, b) => b - a);
      const readEveryTime = performance.now() - readBegan;

      console.log(`${COUNT} images, ${DIMENSIONS}-dimension embeddings, one user; limit=10`);
      console.log(
        `first request (library read into memory): ${first.toFixed(0)} ms; API event loop delay max ${firstDelayMax.toFixed(0)} ms`,
      );
      console.log(
        `next ${WARM_REQUESTS} requests: p50 ${percentile(warm, 50).toFixed(0)} ms, p95 ${percentile(warm, 95).toFixed(0)} ms; API event loop delay max ${(delay.max / 1e6).toFixed(0)} ms`,
      );
      console.log(
        `${COLD_REQUESTS} requests at once to an index holding nothing yet: library reads ${reads}; p50 ${percentile(coldLatencies, 50).toFixed(0)} ms, p95 ${percentile(coldLatencies, 95).toFixed(0)} ms`,
      );
      console.log(
        `reading and comparing the whole library on every request, as before: ${readEveryTime.toFixed(0)} ms a request`,
      );
      console.log(
        `API RSS ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MB (vectors held: ${((COUNT * DIMENSIONS * 4) / 1024 / 1024).toFixed(0)} MB)`,
      );
    } finally {
      storage.destroy();
      await api.close();
    }
  }),
);
