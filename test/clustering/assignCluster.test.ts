import crypto from 'node:crypto';
import { createActivities } from '../../src/activities';
import { pipelineRunsOf } from '../../src/clients/pipelineRuns';
import { createTemporalClient } from '../../src/clients/temporal';
import { createAiProvider } from '../../src/ai/createAiProvider';
import { chooseCluster } from '../../src/clustering/chooseCluster';
import type { ClusterRecord } from '../../src/storage/clusterRecord';
import { gradientJpeg } from '../fixtures/images';
import { storeUploadedImage } from '../harness/images';
import { testConfig } from '../harness/stackEnv';
import { testStorage } from '../harness/storage';
import { keptEvents } from '../harness/webhookEvents';

const unit = (vector: number[]) => {
  const norm = Math.hypot(...vector);
  return vector.map((value) => value / norm);
};

describe('chooseCluster', () => {
  const red = { cluster_id: 'red', centroid: unit([1, 0, 0]), assign_threshold: 0.9 };
  const blue = { cluster_id: 'blue', centroid: unit([0, 0, 1]), assign_threshold: 0.9 };

  it('joins the nearest cluster when it is close enough and clearly nearest', () => {
    expect(chooseCluster(unit([1, 0.1, 0]), [red, blue], 0.05)).toMatchObject({ assigned: true, clusterId: 'red' });
  });

  it('leaves an outlier, an in-between image and a first image unassigned', () => {
    expect(chooseCluster(unit([0, 1, 0]), [red, blue], 0.05)).toMatchObject({
      assigned: false,
      reason: 'not close enough to any cluster',
    });
    const looseRed = { ...red, assign_threshold: 0.5 };
    const looseBlue = { ...blue, assign_threshold: 0.5 };
    expect(chooseCluster(unit([1, 0, 1]), [looseRed, looseBlue], 0.05)).toMatchObject({
      assigned: false,
      reason: 'as close to two clusters',
    });
    expect(chooseCluster(unit([1, 0, 0]), [], 0.05)).toEqual({ assigned: false, reason: 'no clusters yet' });
  });

  it('ignores centroids of another dimension', () => {
    expect(chooseCluster(unit([1, 0]), [red], 0.05)).toEqual({
      assigned: false,
      reason: 'no clusters of this embedding',
    });
  });
});

describe('assignCluster activity', () => {
  const config = testConfig();
  const storage = testStorage(config);
  const { images, embeddings, clusters } = storage;
  const ai = createAiProvider(config);
  // Its steps never ask Temporal anything: a client that connects on first use is never connected.
  const runs = pipelineRunsOf(createTemporalClient(config).workflowService, config.temporal.namespace);
  const activities = createActivities({ storage, ai, config, runs, ...keptEvents() });

  afterAll(() => storage.destroy());

  const cluster = (userId: string, centroid: number[], overrides: Partial<ClusterRecord> = {}): ClusterRecord => ({
    user_id: userId,
    cluster_id: crypto.randomUUID(),
    name: 'test cluster',
    centroid,
    provider: ai.name,
    member_count: 3,
    assign_threshold: 0.8,
    cohesion: { mean_similarity: 0.9, min_similarity: 0.8 },
    sample_image_ids: [],
    created_at: new Date().toISOString(),
    updated_at: new Date().toISOString(),
    ...overrides,
  });

  async function imageWithEmbedding(vector: number[]) {
    const stored = await storeUploadedImage(storage, await gradientJpeg(120, 80));
    await embeddings.put(stored.userId, stored.imageId, { vector, provider: ai.name }, new Date().toISOString());
    return stored;
  }

  it('puts a near image into its cluster once, however often the activity runs', async () => {
    const vector = unit(Array.from({ length: 8 }, (_, i) => (i === 0 ? 1 : 0.05)));
    const { userId, imageId } = await imageWithEmbedding(vector);
    const near = cluster(userId, unit(Array.from({ length: 8 }, (_, i) => (i === 0 ? 1 : 0))));
    const far = cluster(userId, unit(Array.from({ length: 8 }, (_, i) => (i === 7 ? 1 : 0))));
    await Promise.all([clusters.put(near), clusters.put(far)]);

    const results = [];
    for (let attempt = 0; attempt < 3; attempt++) results.push(await activities.assignCluster({ userId, imageId }));
    expect(results.map((result) => result.clusterId)).toEqual([near.cluster_id, near.cluster_id, near.cluster_id]);
    expect((await images.get(userId, imageId))!.cluster_id).toBe(near.cluster_id);
    const counts = Object.fromEntries(
      (await clusters.list(userId)).map((stored) => [stored.cluster_id, stored.member_count]),
    );
    expect(counts).toEqual({ [near.cluster_id]: 4, [far.cluster_id]: 3 });
  });

  it('leaves an image of another provider, or far from every cluster, unassigned', async () => {
    const { userId, imageId } = await imageWithEmbedding(unit([0, 1, 0]));
    await clusters.put(cluster(userId, unit([1, 0, 0])));
    await clusters.put(cluster(userId, unit([0, 1, 0]), { provider: 'another-model' }));
    expect(await activities.assignCluster({ userId, imageId })).toMatchObject({
      reason: 'not close enough to any cluster',
    });
    expect((await images.get(userId, imageId))!.cluster_id).toBeUndefined();
  });

  it('counts out an image that joined a cluster while it was being hard-deleted', async () => {
    const vector = unit(Array.from({ length: 8 }, (_, i) => (i === 0 ? 1 : 0.05)));
    const { userId, imageId } = await imageWithEmbedding(vector);
    const near = cluster(userId, unit(Array.from({ length: 8 }, (_, i) => (i === 0 ? 1 : 0))));
    await clusters.put(near);
    // A hard delete whose first read of the image lets the pipeline's cluster step in, right after it.
    const deleting = testStorage(config);
    let joined = false;
    deleting.clients.dynamodb.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        if (!joined && context.commandName === 'GetItemCommand') {
          joined = true;
          expect(await activities.assignCluster({ userId, imageId })).toMatchObject({ clusterId: near.cluster_id });
        }
        return result;
      },
      { step: 'initialize', name: 'assignBetweenReadAndDelete' },
    );
    try {
      // The purge's removal of the item, counting it out of its cluster.
      await deleting.images.removeCountingOut(userId, imageId, (clusterId) =>
        deleting.clusters.countOutWrites(userId, clusterId),
      );
    } finally {
      deleting.destroy();
    }
    expect(joined).toBe(true);
    expect(await images.get(userId, imageId)).toBeUndefined();
    // Counted in by the assignment, counted out by the delete: as many members as before either.
    expect((await clusters.list(userId)).map((stored) => stored.member_count)).toEqual([3]);
  });
});
