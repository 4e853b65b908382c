/**
 * bench/chaos: a load run (default 600 uploads at concurrency 16, paced at 10 a second so that it spans every
 * fault) during which the worker is killed with SIGKILL and replaced, and the S3 gateway, DynamoDB Local and the
 * Temporal dev server are each killed and restarted on their data on disk. Uploads refused meanwhile (503) are
 * retried as a client would. After recovery it prints the load bench's counts. Loopback only, bounded in count and
 * time. Target: 0 lost, 0 duplicates; the API answers 503 problem+json while a dependency is down and recovers
 * without a restart.
 *   npx tsx bench/chaos.ts [uploads=600] [concurrency=16]
 */
import { createTestUser } from '../test/harness/users';
import { runBench, withBenchStack } from './benchStack';
import { describeChaos, loadUnderChaos } from './chaosRun';
import { describeLoad } from './loadRun';
import { startServiceProcesses } from './serviceProcess';
import { syntheticPhotos } from './syntheticPhotos';

const UPLOADS = Number(process.argv[2] ?? 600);
const CONCURRENCY = Number(process.argv[3] ?? 16);
const TIME_LIMIT_MS = 20 * 60_000;

runBench(() =>
  withBenchStack(async (stackEnv, stackDir) => {
    const photos = await syntheticPhotos(40, 0.4);
    const service = await startServiceProcesses(stackEnv);
    try {
      const user = await createTestUser(service.config);
      console.log(
        `bench/chaos: ${UPLOADS} uploads at concurrency ${CONCURRENCY}, while the worker, S3, DynamoDB and Temporal are each taken down`,
      );
      const step = Math.floor(UPLOADS / 5);
      const { events, result, audit } = await loadUnderChaos(service, stackDir, {
        token: user.idToken,
        userId: user.uid,
        uploads: UPLOADS,
        concurrency: CONCURRENCY,
        perSecond: 10,
        photos,
        at: [step, 2 * step, 3 * step, 4 * step],
        downMs: 4_000,
        deadline: Date.now() + TIME_LIMIT_MS,
      });
      console.log(describeChaos(events));
      console.log(describeLoad(result, audit));
      if (audit.lost.length > 0)
        console.log(`lost: ${audit.lost.slice(0, 10).join(', ')}${audit.lost.length > 10 ? ', ...' : ''}`);
    } finally {
      await service.stop();
    }
  }),
);
