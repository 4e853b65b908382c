/**
 * bench/chaos: a load run (default 600 uploads at concurrency 16, paced at 10 a second so that it spans every
 * fault) during which the worker is killed with SIGKILL
 * and replaced, and the S3 gateway, DynamoDB Local and the Temporal dev server are each killed and restarted on
 * their data on disk. Uploads refused meanwhile (503) are retried as a client would. After recovery it prints the
 * load bench's counts. Loopback only, bounded in count and time. Target: 0 lost, 0 duplicates; the API answers
 * 503 problem+json while a dependency is down and recovers without a restart.
 *   npx tsx bench/chaos.ts [uploads=600] [concurrency=16]
 */
import { freePort } from '../scripts/devstack/ports';
import { resolveSettings } from '../scripts/devstack/settings';
import { createDocumentClient, createDynamoDbClient } from '../src/clients/dynamodb';
import { createS3Client } from '../src/clients/s3';
import { createTemporalClient } from '../src/clients/temporal';
import { loadConfig } from '../src/config';
import { createTestUser } from '../test/harness/users';
import { withBenchStack } from './benchStack';
import { describeChaos, runChaos } from './chaosRun';
import { auditUploads, describeLoad, runUploads } from './loadRun';
import { startServiceProcess, stopServiceProcesses } from './serviceProcess';
import { syntheticPhotos } from './syntheticPhotos';

const UPLOADS = Number(process.argv[2] ?? 600);
const CONCURRENCY = Number(process.argv[3] ?? 16);
const TIME_LIMIT_MS = 20 * 60_000;

withBenchStack(async (stackEnv, stackDir) => {
  const deadline = Date.now() + TIME_LIMIT_MS;
  const settings = await resolveSettings({ dir: stackDir, env: {} });
  const env = { ...process.env, ...stackEnv, API_PORT: String(await freePort()), LOG_LEVEL: 'info', RATE_LIMIT_PER_MINUTE: '0' };
  const config = loadConfig(env);
  const photos = await syntheticPhotos(40, 0.4);
  let worker = await startServiceProcess('src/workers/main.ts', env, '"msg":"worker running"');
  const api = await startServiceProcess('src/api/main.ts', env, 'listening');
  const base = `http://127.0.0.1:${env.API_PORT}`;
  const s3 = createS3Client(config);
  const dynamodb = createDynamoDbClient(config);
  const temporal = createTemporalClient(config);
  try {
    const user = await createTestUser(config);
    console.log(`bench/chaos: ${UPLOADS} uploads at concurrency ${CONCURRENCY}, while the worker, S3, DynamoDB and Temporal are each taken down`);
    const accepted: string[] = [];
    const load = runUploads({ baseUrl: base, token: user.idToken, uploads: UPLOADS, concurrency: CONCURRENCY, photos, deadline, perSecond: 10, onAccepted: (id) => accepted.push(id) });
    const probe = () => fetch(`${base}/readyz`, { signal: AbortSignal.timeout(5_000) }).then((response) => response.status, () => 0);
    const step = Math.floor(UPLOADS / 5);
    const chaos = await runChaos({ settings, workerEnv: env, worker, probe, accepted: () => accepted.length, at: [step, 2 * step, 3 * step, 4 * step], downMs: 4_000 });
    worker = chaos.worker;
    const result = await load;
    const audit = await auditUploads({ config, s3, documents: createDocumentClient(dynamodb), temporal }, user.uid, result.accepted, deadline);
    console.log(describeChaos(chaos.events));
    console.log(describeLoad(result, audit));
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
