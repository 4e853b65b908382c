import { withBenchStack } from '../../bench/benchStack';
import { describeChaos, runChaos } from '../../bench/chaosRun';
import { auditUploads, describeLoad, runUploads } from '../../bench/loadRun';
import { startServiceProcess, stopServiceProcesses } from '../../bench/serviceProcess';
import { syntheticPhotos } from '../../bench/syntheticPhotos';
import { freePort } from '../../scripts/devstack/ports';
import { resolveSettings } from '../../scripts/devstack/settings';
import { createDocumentClient, createDynamoDbClient } from '../../src/clients/dynamodb';
import { createS3Client } from '../../src/clients/s3';
import { createTemporalClient } from '../../src/clients/temporal';
import { loadConfig } from '../../src/config';
import { createTestUser } from '../harness/users';

/**
 * bench/chaos in small, on a stack of its own (its servers are killed and restarted, which the shared test stack
 * must never see): the worker, S3, DynamoDB and Temporal each go away during a paced load; nothing is lost or
 * duplicated, the API answers 503 meanwhile and serves again without a restart.
 */
describe('chaos (small)', () => {
  it('loses and duplicates nothing while the worker, S3, DynamoDB and Temporal each go away', async () => {
    await withBenchStack(async (stackEnv, stackDir) => {
      const deadline = Date.now() + 200_000;
      const settings = await resolveSettings({ dir: stackDir, env: {} });
      const env = { ...process.env, ...stackEnv, API_PORT: String(await freePort()), LOG_LEVEL: 'info', RATE_LIMIT_PER_MINUTE: '0' };
      const config = loadConfig(env);
      let worker = await startServiceProcess('src/workers/main.ts', env, '"msg":"worker running"');
      const api = await startServiceProcess('src/api/main.ts', env, 'listening');
      const base = `http://127.0.0.1:${env.API_PORT}`;
      const s3 = createS3Client(config);
      const dynamodb = createDynamoDbClient(config);
      const temporal = createTemporalClient(config);
      try {
        const user = await createTestUser(config);
        const accepted: string[] = [];
        const load = runUploads({ baseUrl: base, token: user.idToken, uploads: 40, concurrency: 8, photos: await syntheticPhotos(4, 0.25), deadline, perSecond: 2, onAccepted: (id) => accepted.push(id) });
        const probe = () => fetch(`${base}/readyz`, { signal: AbortSignal.timeout(5_000) }).then((response) => response.status, () => 0);
        const chaos = await runChaos({ settings, workerEnv: env, worker, probe, accepted: () => accepted.length, at: [4, 10, 18, 26], downMs: 3_000 });
        worker = chaos.worker;
        const result = await load;
        const audit = await auditUploads({ config, s3, documents: createDocumentClient(dynamodb), temporal }, user.uid, result.accepted, deadline);
        process.stdout.write(`${describeChaos(chaos.events)}\n${describeLoad(result, audit)}\n`);

        for (const event of chaos.events.slice(1)) expect(event).toMatchObject({ answeredWhileDown: 503, recoveredAfterSeconds: expect.any(Number) });
        expect(result.accepted).toHaveLength(40);
        expect(audit).toEqual({ completed: 40, failed: 0, lost: [], duplicateObjects: 0, duplicateItems: 0, duplicateRuns: 0 });
      } finally {
        await stopServiceProcesses(api, worker);
        await temporal.connection.close();
        s3.destroy();
        dynamodb.destroy();
      }
    });
  }, 240_000);
});
