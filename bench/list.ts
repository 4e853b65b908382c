/**
 * bench/list: latency of GET /api/v1/images (first page of 20, and a page deep into the library) for a user with
 * 100 images and one with 10,000, through the real API on the local stack. Target: p95 ratio ≤ 1.5.
 *   npx tsx bench/list.ts [requests=200]
 */
import crypto from 'node:crypto';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { createApiClients } from '../src/api/apiClients';
import { createApp } from '../src/api/app';
import { loadConfig } from '../src/config';
import type { ImageRecord } from '../src/storage/imageRecord';
import { createLogger } from '../src/logging/logger';
import { createTestUser } from '../test/harness/users';
import { percentile, withBenchStack } from './benchStack';

const REQUESTS = Number(process.argv[2] ?? 200);

function record(userId: string, index: number): ImageRecord {
  const imageId = crypto.randomUUID();
  const at = new Date(Date.UTC(2026, 0, 1) + index * 60_000).toISOString();
  return {
    user_id: userId,
    image_id: imageId,
    created_at: at,
    updated_at: at,
    status: 'completed',
    workflow_id: `image-${imageId}`,
    original_key: `users/${userId}/images/${imageId}/original`,
    filename: `${index}.jpg`,
    content_type: 'image/jpeg',
    format: 'jpeg',
    bytes: 250_000,
    sha256: crypto.randomBytes(32).toString('hex'),
    width: 1600,
    height: 1200,
    tags: index % 3 === 0 ? ['three'] : [],
    visibility: 'private',
    thumbnails: [256, 512, 1024].map((size) => ({
      size,
      key: `users/${userId}/images/${imageId}/thumbnails/${size}.webp`,
      width: size,
      height: Math.round(size * 0.75),
      bytes: 9_000,
      content_type: 'image/webp',
    })),
    dominant_color: '#336699',
    ai_description: 'A benchmark image.',
  };
}

withBenchStack(async (env) => {
  // The per-user rate limit off: the bench asks hundreds of pages of one user in a row.
  const config = loadConfig({ ...env, LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '0' });
  const clients = createApiClients(config);
  const app = createApp({ config, logger: createLogger('api', 'silent'), clients });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

  const results: string[] = [];
  for (const count of [100, 10_000]) {
    const user = await createTestUser(config);
    const items = Array.from({ length: count }, (_, index) => record(user.uid, index));
    for (let start = 0; start < items.length; start += 25) {
      let batch: unknown = {
        [config.dynamodb.imagesTable]: items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } })),
      };
      while (batch && Object.keys(batch).length > 0) {
        const out = await clients.documents.send(new BatchWriteCommand({ RequestItems: batch as never }));
        batch = out.UnprocessedItems;
      }
    }
    const headers = { authorization: `Bearer ${user.idToken}` };
    const timed = async (path: string) => {
      const began = performance.now();
      const response = await fetch(`${base}${path}`, { headers });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`${path}: ${response.status}`);
      return performance.now() - began;
    };
    for (let warm = 0; warm < 10; warm++) await timed('/api/v1/images');
    const first: number[] = [];
    for (let index = 0; index < REQUESTS; index++) first.push(await timed('/api/v1/images?limit=20'));
    const filtered: number[] = [];
    for (let index = 0; index < REQUESTS / 4; index++) filtered.push(await timed('/api/v1/images?limit=20&tag=three'));
    results.push(
      `${String(count).padStart(6)} images | first page p50 ${percentile(first, 50).toFixed(1)} ms p95 ${percentile(first, 95).toFixed(1)} ms | tag filter p50 ${percentile(filtered, 50).toFixed(1)} ms p95 ${percentile(filtered, 95).toFixed(1)} ms`,
    );
  }
  server.close();
  await clients.close();
  console.log(`bench/list: ${REQUESTS} requests each, limit=20, presigned URLs signed per item`);
  for (const line of results) console.log(line);
  const p95 = results.map((line) => Number(/first page p50 [\d.]+ ms p95 ([\d.]+)/.exec(line)![1]));
  console.log(`p95 ratio 10,000 / 100: ${(p95[1]! / p95[0]!).toFixed(2)} (target ≤ 1.5)`);
}).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
