import fs from 'node:fs/promises';
import { realPhotos } from '../../bench/retrievalPhotos';
import { ApiClient, waitForImage } from '../harness/httpClient';
import { startService, type RunningService } from '../harness/service';
import { createTestUser } from '../harness/users';

/**
 * The offline `vision` provider through the whole service (its networks in the worker's model thread): what it
 * recognises in a real photo is recorded on the item, returned in the image's view and found by text search.
 */
describe('what the vision provider recognises, through the API', () => {
  let service: RunningService;
  let alice: ApiClient;
  let astronaut: string;

  beforeAll(async () => {
    service = await startService({}, { AI_PROVIDER: 'vision' });
    alice = new ApiClient(service.api.url, (await createTestUser(service.api.config)).idToken);
    const photo = (await realPhotos()).find((each) => each.name === 'skimage-astronaut')!;
    const upload = await alice.upload([{ name: 'astronaut.jpg', body: await fs.readFile(photo.path) }]);
    expect(upload.status).toBe(202);
    astronaut = upload.body.images[0].image_id;
    // The first image waits for the networks to load in the model thread.
    expect((await waitForImage(alice, astronaut, 60_000)).body.status).toBe('completed');
  }, 90_000);
  afterAll(() => service.stop());

  it("returns the image's labels and objects in its view, and says what it is sure of", async () => {
    const { data } = await alice.typed.GET('/api/v1/images/{imageId}', { params: { path: { imageId: astronaut } } });
    expect(data!.labels!.length).toBeGreaterThan(0);
    expect(data!.labels!.every(({ probability }) => probability >= 0.05 && probability <= 1)).toBe(true);
    // ImageNet has no class for a person; the detector finds one, and the description says so.
    expect(data!.objects).toEqual([{ name: 'person', count: 1, score: expect.closeTo(0.6, 1) }]);
    expect(data!.ai_description).toMatch(/^A photo with a person; /);
  });

  it('finds the image by the objects found in it', async () => {
    const found = await alice.get('/api/v1/images/search?q=person');
    expect(found.status).toBe(200);
    expect(found.body.items).toEqual([
      expect.objectContaining({
        image_id: astronaut,
        matched: expect.objectContaining({ terms: ['person'], fields: ['ai_description', 'objects'] }),
      }),
    ]);
  });
});
