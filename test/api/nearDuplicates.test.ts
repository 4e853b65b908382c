import sharp from 'sharp';
import { ApiClient, waitForImage } from '../harness/httpClient';
import { startService, type RunningService } from '../harness/service';
import { createTestUser } from '../harness/users';
import { familyMember } from '../fixtures/families';

/**
 * Near-duplicates through the API on the real stack, with the `mobilenet` provider (the real network, in the
 * worker's thread): a photo uploaded again altered is recorded as nearly duplicating the first, shown in its view,
 * its status and the list filtered to near-duplicates; a different photo, another user's copy and the image
 * itself are not.
 */
describe('near-duplicates API', () => {
  let service: RunningService;
  let alice: ApiClient;
  let bob: ApiClient;
  let source: Buffer;
  let original: string;
  let different: string;

  async function uploadAndWait(client: ApiClient, name: string, body: Buffer): Promise<string> {
    const upload = await client.upload([{ name, body }]);
    expect(upload.status).toBe(202);
    const imageId = upload.body.images[0].image_id as string;
    expect((await waitForImage(client, imageId, 60_000)).body.status).toBe('completed');
    return imageId;
  }

  beforeAll(async () => {
    service = await startService({}, { AI_PROVIDER: 'mobilenet' });
    alice = new ApiClient(service.api.url, (await createTestUser(service.api.config)).idToken);
    bob = new ApiClient(service.api.url, (await createTestUser(service.api.config)).idToken);
    source = await familyMember('red-stripes', 2);
    // The first image loads the network in the worker (a few seconds).
    original = await uploadAndWait(alice, 'original.jpg', source);
    different = await uploadAndWait(alice, 'checks.jpg', await familyMember('green-checks', 2));
  }, 120_000);
  afterAll(() => service.stop());

  it('records an altered copy as a near-duplicate of the original, and shows it in the view and the status', async () => {
    const copy = await uploadAndWait(
      alice,
      'copy.jpg',
      await sharp(source).greyscale().jpeg({ quality: 40 }).toBuffer(),
    );
    const view = await alice.get(`/api/v1/images/${copy}`);
    expect(view.body.near_duplicates).toEqual([
      {
        image_id: original,
        similarity: expect.any(Number),
        url: expect.stringMatching(new RegExp(`/api/v1/images/${original}$`)),
      },
    ]);
    expect(view.body.near_duplicates[0].similarity).toBeGreaterThanOrEqual(0.9);
    const status = await alice.get(`/api/v1/images/${copy}/status`);
    expect(status.body.near_duplicates).toEqual({ count: 1 });
    // Found in the embedding step, which has the vector: no step of their own.
    expect(status.body.steps.map((step: { name: string }) => step.name)).not.toContain('duplicates');

    // The original and the different photo came first: neither duplicates anything.
    for (const imageId of [original, different]) {
      expect((await alice.get(`/api/v1/images/${imageId}`)).body.near_duplicates).toBeUndefined();
    }
    const listed = await alice.get('/api/v1/images?near_duplicates=true');
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((item: { image_id: string }) => item.image_id)).toEqual([copy]);
  });

  it("never finds another user's images", async () => {
    const bobsCopy = await uploadAndWait(bob, 'copy.jpg', source);
    expect((await bob.get(`/api/v1/images/${bobsCopy}`)).body.near_duplicates).toBeUndefined();
    expect((await bob.get('/api/v1/images?near_duplicates=true')).body.items).toEqual([]);
  });

  it('refuses a near_duplicates filter other than true', async () => {
    const refused = await alice.get('/api/v1/images?near_duplicates=yes');
    expect(refused.status).toBe(400);
    expect(refused.contentType).toContain('application/problem+json');
  });
});
