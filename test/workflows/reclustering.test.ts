import crypto from 'node:crypto';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../src/activities';
import { pipelineRunsOf } from '../../src/clients/pipelineRuns';
import { createAiProvider } from '../../src/ai/createAiProvider';
import { ImageWorkflows } from '../../src/clients/imageWorkflows';
import { createTemporalClient } from '../../src/clients/temporal';
import { createServices } from '../../src/services/createServices';
import { ensureTables } from '../../src/provisioning/ensureTables';
import { ensureReclusterSchedule } from '../../src/workers/schedules';
import { gradientJpeg } from '../fixtures/images';
import { storeUploadedImage } from '../harness/images';
import { testConfig } from '../harness/stackEnv';
import { testStorage } from '../harness/storage';
import { startWorkerProcess } from '../harness/workerProcess';
import { keptEvents } from '../harness/webhookEvents';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The scheduled and the activity-level sides of re-clustering. A clusters table of this test's own keeps its
 * pending marks (and so the scheduled run's users) apart from the other tests sharing the stack.
 */
describe('re-clustering', () => {
  const suffix = crypto.randomUUID().slice(0, 8);
  const overrides = {
    DYNAMODB_TABLE_CLUSTERS: `test-clusters-${suffix}`,
    TEMPORAL_TASK_QUEUE: `recluster-${suffix}`,
    RECLUSTER_SCHEDULE_ID: `test-recluster-${suffix}`,
    RECLUSTER_CRON: '17 4 * * *',
  };
  const config = testConfig(overrides);
  const storage = testStorage(config);
  const { images, embeddings, clusters } = storage;
  const { dynamodb } = storage.clients;
  const ai = createAiProvider(config);
  const temporal = createTemporalClient(config);

  beforeAll(() => ensureTables(dynamodb, config));
  afterAll(async () => {
    await temporal.schedule
      .getHandle(config.clustering.scheduleId)
      .delete()
      .catch(() => undefined);
    await temporal.connection.close();
    await dynamodb.send(new DeleteTableCommand({ TableName: config.dynamodb.clustersTable }));
    storage.destroy();
  });

  /** A user with two clear groups of three images each (embeddings written as the pipeline would), marked pending. */
  async function libraryOfTwoGroups(): Promise<{ userId: string; groups: string[][] }> {
    const userId = `user-${crypto.randomUUID()}`;
    const groups: string[][] = [[], []];
    for (let index = 0; index < 6; index++) {
      const group = index % 2;
      const { imageId } = await storeUploadedImage(storage, await gradientJpeg(120, 80), userId);
      const vector = Array.from(
        { length: 8 },
        (_, dimension) => (dimension === group ? 1 : 0) + ((index * 7 + dimension) % 5) * 0.01,
      );
      await embeddings.put(userId, imageId, { vector, provider: ai.name }, new Date().toISOString());
      groups[group]!.push(imageId);
    }
    await clusters.markPending(userId, new Date().toISOString());
    return { userId, groups };
  }

  it('creates the schedule when the worker starts, follows the configured cron, and a triggered run re-clusters pending users', async () => {
    const { userId, groups } = await libraryOfTwoGroups();
    const worker = await startWorkerProcess(overrides);
    try {
      const schedule = temporal.schedule.getHandle(config.clustering.scheduleId);
      const described = await schedule.describe();
      expect(described.action).toMatchObject({
        type: 'startWorkflow',
        workflowType: 'reclusterAll',
        taskQueue: config.temporal.taskQueue,
      });
      expect(described.spec.calendars?.[0]).toMatchObject({
        hour: [{ start: 4, end: 4 }],
        minute: [{ start: 17, end: 17 }],
      });

      // Started again with another cron (a redeploy), the one schedule is updated, not duplicated.
      await ensureReclusterSchedule(temporal, { ...config, clustering: { ...config.clustering, cron: '5 2 * * *' } });
      expect((await schedule.describe()).spec.calendars?.[0]).toMatchObject({
        hour: [{ start: 2, end: 2 }],
        minute: [{ start: 5, end: 5 }],
      });

      await schedule.trigger();
      let workflowId: string | undefined;
      for (let i = 0; i < 100 && !workflowId; i++) {
        workflowId = (await schedule.describe()).info.recentActions[0]?.action.workflow.workflowId;
        if (!workflowId) await sleep(100);
      }
      expect(await temporal.workflow.getHandle(workflowId!).result()).toMatchObject({ users: 1 });

      const found = await clusters.list(userId);
      expect(found.map((cluster) => cluster.member_count).sort()).toEqual([3, 3]);
      for (const group of groups) {
        const ids = new Set(
          await Promise.all(group.map(async (imageId) => (await images.get(userId, imageId))!.cluster_id)),
        );
        expect(ids.size).toBe(1);
      }
      expect((await clusters.listPending({ limit: 100 })).userIds).not.toContain(userId);
    } finally {
      await worker.kill('SIGTERM');
    }
  }, 120_000);

  it('applies a plan once however often it is retried, and a repeated re-clustering replaces the clusters', async () => {
    const { userId } = await libraryOfTwoGroups();
    const activities = createActivities({
      ...keptEvents(),
      storage,
      ai,
      config,
      runs: pipelineRunsOf(temporal.workflowService, config.temporal.namespace),
    });
    const env = new MockActivityEnvironment();
    const run = async (runKey: string) => {
      const input = { userId, runKey };
      expect(await env.run(activities.computeClusters, input)).toMatchObject({ images: 6, k: 2 });
      await env.run(activities.nameClusters, input);
      await env.run(activities.nameClusters, input); // a retry after the names were stored
      expect(await env.run(activities.applyClusters, input)).toMatchObject({ applied: true });
      expect(await env.run(activities.applyClusters, input)).toEqual({ applied: false, removed: 0 }); // a retry after success
    };
    await run('first-run');
    await run('second-run');
    const found = await clusters.list(userId);
    expect(found.map((cluster) => cluster.cluster_id).sort()).toEqual(['second-run-0', 'second-run-1']);
    expect(found.reduce((sum, cluster) => sum + cluster.member_count, 0)).toBe(6);
  });

  it('leaves soft-deleted images out of clustering, and takes them back once restored', async () => {
    const { userId, groups } = await libraryOfTwoGroups();
    const activities = createActivities({
      ...keptEvents(),
      storage,
      ai,
      config,
      runs: pipelineRunsOf(temporal.workflowService, config.temporal.namespace),
    });
    // Deleting needs a purge scheduled: on a task queue no worker polls, it just waits.
    const { deletion } = createServices({ storage, workflows: new ImageWorkflows(temporal, `idle-${suffix}`), config });
    const env = new MockActivityEnvironment();
    const compute = (runKey: string) => env.run(activities.computeClusters, { userId, runKey });
    await deletion.deleteOne(userId, groups[0]![0]!, false);
    expect(await compute('while-deleted')).toMatchObject({
      images: 5,
      k: 0,
      reason: 'fewer than 6 images with embeddings',
    });
    await deletion.restore(userId, groups[0]![0]!);
    expect(await compute('after-restore')).toMatchObject({ images: 6, k: 2 });
  });

  it('leaves a library too small to cluster alone', async () => {
    const userId = `user-${crypto.randomUUID()}`;
    const activities = createActivities({
      ...keptEvents(),
      storage,
      ai,
      config,
      runs: pipelineRunsOf(temporal.workflowService, config.temporal.namespace),
    });
    expect(await new MockActivityEnvironment().run(activities.computeClusters, { userId, runKey: 'small' })).toEqual({
      images: 0,
      skipped: 0,
      k: 0,
      clusters: [],
      reason: 'fewer than 6 images with embeddings',
    });
  });
});
