/**
 * bench/load: N uploads (default 1,000) at concurrency C (default 32) through the API of a fresh local stack, one
 * API and one worker process, then waits for every workflow and audits storage: uploads/s, accept latency
 * p50/p95/p99, completed, failed, lost (accepted but no item or no completed run), duplicate objects, items and
 * runs. Loopback only; bounded in count and in time (20 minutes). Target: all completed, 0 lost, 0 duplicates.
 *   npx tsx bench/load.ts [uploads=1000] [concurrency=32]
 */
import { freePort } from '../scripts/devstack/ports';
import { createDocumentClient, createDynamoDbClient } from '../src/clients/dynamodb';
import { createS3Client } from '../src/clients/s3';
import { createTemporalClient } from '../src/clients/temporal';
import { loadConfig } from '../src/config';
import { createTestUser } from '../test/harness/users';
import { withBenchStack } from './benchStack';
import { auditUploads, describeLoad, runUploads } from './loadRun';
import { startServiceProcess, stopServiceProcesses } from './serviceProcess';
import { syntheticPhotos } from './syntheticPhotos';

const UPLOADS = Number(process.argv[2] ?? 1_000);
const CONCURRENCY = Number(process.argv[3] ?? 32);
const TIME_LIMIT_MS = 20 * 60_000;

withBenchStack(async (stackEnv) => {
  const deadline = Date.now() + TIME_LIMIT_MS;
  // One user sends everything: far past any per-user rate limit a real client should get.
  const env = { ...process.env, ...stackEnv, API_PORT: String(await freePort()), LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '0' };
  const config = loadConfig(env);
  // Photos of 0.2-0.5 MP: the load is on the service's handling of many images, not on decoding large ones.
  const photos = await syntheticPhotos(40, 0.4);
  const worker = await startServiceProcess('src/workers/main.ts', { ...env, LOG_LEVEL: 'info' }, '"msg":"worker running"');
  const api = await startServiceProcess('src/api/main.ts', { ...env, LOG_LEVEL: 'info' }, 'listening');
  const s3 = createS3Client(config);
  const dynamodb = createDynamoDbClient(config);
  const temporal = createTemporalClient(config);
  try {
    const user = await createTestUser(config);
    console.log(`bench/load: ${UPLOADS} uploads at concurrency ${CONCURRENCY} of 40 generated photos (0.2-0.5 MP)`);
    const result = await runUploads({ baseUrl: `http://127.0.0.1:${env.API_PORT}`, token: user.idToken, uploads: UPLOADS, concurrency: CONCURRENCY, photos, deadline });
    const waitBegan = Date.now();
    const audit = await auditUploads({ config, s3, documents: createDocumentClient(dynamodb), temporal }, user.uid, result.accepted, deadline);
    console.log(describeLoad(result, audit));
    console.log(`all workflows done ${((Date.now() - waitBegan) / 1000).toFixed(1)} s after the last upload was accepted`);
    if (audit.lost.length > 0) console.log(`lost: ${audit.lost.slice(0, 10).join(', ')}${audit.lost.length > 10 ? ', ...' : ''}`);
  } finally {
    await stopServiceProcesses(api, worker);
    await temporal.connection.close();
    s3.destroy();
    dynamodb.destroy();
  }
}).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
