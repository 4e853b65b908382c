import { auditUploads, describeLoad, runUploads } from '../../bench/loadRun';
import { syntheticPhotos } from '../../bench/syntheticPhotos';
import { startService, type RunningService } from '../harness/service';
import { testConfig } from '../harness/stackEnv';
import { createTestUser } from '../harness/users';

/** bench/load in small: the same driver and audit, so the paths stay covered between benchmark runs. */
describe('load (small)', () => {
  const config = testConfig();
  let service: RunningService;

  beforeAll(async () => {
    // Six photos sent 24 times, each a new image, as in bench/load.
    service = await startService({ DUPLICATES: 'allow' });
  });
  afterAll(async () => {
    await service.stop();
  });

  it('completes every accepted upload, loses none and duplicates nothing', async () => {
    const { api, worker, storage } = service;
    const user = await createTestUser(api.config);
    const deadline = Date.now() + 50_000;
    const result = await runUploads({
      baseUrl: api.url,
      token: user.idToken,
      uploads: 24,
      concurrency: 8,
      photos: await syntheticPhotos(6, 0.3),
      deadline,
    });
    const audit = await auditUploads(
      { config, clients: storage.clients, temporal: worker.client },
      user.uid,
      result.accepted,
      deadline,
    );
    process.stdout.write(`${describeLoad(result, audit)}\n`);
    expect(result.accepted).toHaveLength(24);
    expect(audit).toEqual({
      completed: 24,
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
  });
});
