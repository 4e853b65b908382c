import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import { createActivities } from '../../src/activities';
import { pipelineRunsOf } from '../../src/clients/pipelineRuns';
import { createAiProvider } from '../../src/ai/createAiProvider';
import { ImageWorkflows } from '../../src/clients/imageWorkflows';
import { createTemporalClient } from '../../src/clients/temporal';
import { purgeImageWorkflowId } from '../../src/contracts';
import { createServices } from '../../src/services/createServices';
import type { Storage } from '../../src/storage/createStorage';
import { freePort } from '../../scripts/devstack/ports';
import { gradientJpeg } from '../fixtures/images';
import { testConfig } from '../harness/stackEnv';
import { testStorage } from '../harness/storage';
import { keptEvents } from '../harness/webhookEvents';

/**
 * An upload the API cannot accept is answered 503 and sent again by the client as a new image: what the first
 * attempt stored must go, whichever dependency failed, or the library holds an image its owner never got an id for.
 */
describe('intake taking back an upload it could not accept', () => {
  const config = testConfig();
  const storage = testStorage(config);
  const temporal = createTemporalClient(config);

  afterAll(async () => {
    await temporal.connection.close();
    storage.destroy();
  });

  async function uploadWith(intakeStorage: Storage, workflows: ImageWorkflows) {
    const { intake } = createServices({ storage: intakeStorage, workflows, config });
    const userId = `user-${crypto.randomUUID()}`;
    const stored = await intake.receive(userId, Readable.from([await gradientJpeg(90, 60)]), 'beach walk.jpg');
    const { accepted, failed } = await intake.accept(userId, [stored], { visibility: 'private', title: 'beach' });
    expect(accepted).toEqual([]);
    return { userId, imageId: stored.imageId, key: stored.key, withdrawal: failed[0]!.withdrawal };
  }

  async function expectNothingLeft(userId: string, imageId: string, key: string) {
    expect(await storage.images.get(userId, imageId)).toBeUndefined();
    expect(await storage.objects.size(key)).toBeUndefined();
    expect(await storage.searchTerms.termsOf(userId, imageId)).toBeUndefined();
    expect(await storage.searchTerms.postings(userId, 'beach', 10)).toEqual([]);
  }

  it('removes the item, postings and original at once when Temporal cannot start the run', async () => {
    const away = createTemporalClient(testConfig({ TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}` }));
    try {
      const { userId, imageId, key, withdrawal } = await uploadWith(storage, new ImageWorkflows(away, 'unused'));
      expect(withdrawal).toBe('removed');
      await expectNothingLeft(userId, imageId, key);
    } finally {
      await away.connection.close();
    }
  }, 20_000);

  it('leaves the removal to a purge run when DynamoDB goes away after the item was written', async () => {
    // The run's start fails (Temporal slow to answer it) and DynamoDB, having written the item, is gone: the item
    // cannot be removed now.
    const gone = () => Promise.reject(new Error('connect ECONNREFUSED (DynamoDB away)'));
    const failing: Storage = {
      ...storage,
      images: Object.assign(Object.create(storage.images) as Storage['images'], { remove: gone }),
    };
    // No worker polls this queue: the purge run waits, and the test runs its activity as the worker would.
    const idle = new ImageWorkflows(temporal, `no-worker-${crypto.randomUUID()}`);
    const workflows = Object.assign(Object.create(idle) as ImageWorkflows, {
      start: () => Promise.reject(new Error('4 DEADLINE_EXCEEDED: the start was not answered in time')),
    });
    const { userId, imageId, key, withdrawal } = await uploadWith(failing, workflows);
    expect(withdrawal).toBe('purge-scheduled');
    const purge = temporal.workflow.getHandle(purgeImageWorkflowId(imageId));
    expect((await purge.describe()).status.name).toBe('RUNNING');
    try {
      const { purgeImage } = createActivities({
        ...keptEvents(),
        storage,
        ai: createAiProvider(config),
        config,
        runs: pipelineRunsOf(temporal.workflowService, config.temporal.namespace),
      });
      // The original went first, while S3 was there: the purge removes the item left.
      expect(await purgeImage({ userId, imageId, when: 'always' })).toEqual({ purged: true, objects: 0 });
      await expectNothingLeft(userId, imageId, key);
    } finally {
      await purge.terminate();
    }
  });
});
