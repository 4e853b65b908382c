import crypto from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { ReclusterActivities, ReclusterPlanInput } from '../../src/contracts';
import { reclusterAll } from '../../src/workflows/reclusterAll';
import { timeSkippingEnvironment, withStandIns, type StandIns } from '../harness/standInActivities';

/** The scheduled re-clustering with stand-in activities: one user's failure must not stop the others. */
describe('reclusterAll (unit, stand-in activities)', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await timeSkippingEnvironment();
  }, 60_000);
  afterAll(() => env?.teardown());

  it('reports a user whose re-clustering fails, and goes on with every later user', async () => {
    const prefix = crypto.randomUUID().slice(0, 8);
    // The failing user comes first in key order, as the one that used to block every later user night after night.
    const users = [`${prefix}-a-broken`, `${prefix}-b`, `${prefix}-c`, `${prefix}-d`, `${prefix}-e`];
    const standIns: StandIns<ReclusterActivities> = {
      listUsersToRecluster: async () => ({ userIds: users }),
      reembedStale: async () => ({ reembedded: 0 }),
      computeClusters: async (input: ReclusterPlanInput) => {
        if (input.userId.endsWith('broken')) throw ApplicationFailure.nonRetryable('embeddings unreadable', 'Corrupt');
        return { images: 0, skipped: 0, k: 0, clusters: [], reason: 'fewer than 6 images with embeddings' };
      },
      discardClusteringPlan: async () => undefined,
      clearReclusterMark: async () => undefined,
      announceReclustered: async () => undefined,
    };
    const { outcome, calls } = await withStandIns(env, standIns, (taskQueue) =>
      env.client.workflow.execute(reclusterAll, { taskQueue, workflowId: `recluster-all-${prefix}`, args: [{}] }),
    );
    expect(outcome).toEqual({
      users: 5,
      failedUsers: 1,
      failed: [{ userId: users[0], reason: expect.stringContaining('embeddings unreadable') }],
    });
    const cleared = calls.filter(([name]) => name === 'clearReclusterMark').map(([, input]) => input);
    // Every other user was re-clustered; the broken one keeps its mark, for the next night.
    expect(cleared.map((input) => (input as { userId: string }).userId).sort()).toEqual(users.slice(1));
    // And its failed run left no plan behind.
    expect(calls).toContainEqual(['discardClusteringPlan', expect.objectContaining({ userId: users[0] })]);
  });
});
