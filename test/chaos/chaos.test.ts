import { withBenchStack } from '../../bench/benchStack';
import { describeChaos, loadUnderChaos } from '../../bench/chaosRun';
import { describeLoad } from '../../bench/loadRun';
import { startServiceProcesses } from '../../bench/serviceProcess';
import { syntheticPhotos } from '../../bench/syntheticPhotos';
import { createTestUser } from '../harness/users';

/**
 * bench/chaos in small, on a stack of its own (its servers are killed and restarted, which the shared test stack
 * must never see): the worker, S3, DynamoDB and Temporal each go away during a paced load; nothing is lost or
 * duplicated, the API answers 503 meanwhile and serves again without a restart.
 */
describe('chaos (small)', () => {
  it('loses and duplicates nothing while the worker, S3, DynamoDB and Temporal each go away', async () => {
    await withBenchStack(async (stackEnv, stackDir) => {
      const service = await startServiceProcesses(stackEnv);
      try {
        const user = await createTestUser(service.config);
        const { events, result, audit } = await loadUnderChaos(service, stackDir, {
          token: user.idToken,
          userId: user.uid,
          uploads: 40,
          concurrency: 8,
          perSecond: 2,
          photos: await syntheticPhotos(4, 0.25),
          at: [4, 10, 18, 26],
          downMs: 3_000,
          deadline: Date.now() + 200_000,
        });
        process.stdout.write(`${describeChaos(events)}\n${describeLoad(result, audit)}\n`);
        for (const event of events.slice(1))
          expect(event).toMatchObject({ answeredWhileDown: 503, recoveredAfterSeconds: expect.any(Number) });
        expect(result.accepted).toHaveLength(40);
        expect(audit).toEqual({
          completed: 40,
          failed: 0,
          lost: [],
          duplicateObjects: 0,
          originalsWithoutItem: 0,
          duplicateItems: 0,
          duplicateRuns: 0,
          stuck: [],
          orphans: [],
          swept: 0,
          settledAt: expect.any(Number),
        });
      } finally {
        await service.stop();
      }
    });
  }, 240_000);
});
