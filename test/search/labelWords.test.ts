import crypto from 'node:crypto';
import { ImageSearch } from '../../src/services/imageSearch';
import { ImageUrls } from '../../src/services/imageUrls';
import { NO_METRICS } from '../../src/services/serviceMetrics';
import { SimilarityIndex } from '../../src/similarity/similarityIndex';
import type { ImageRecord } from '../../src/storage/imageRecord';
import { storeSearchableImage } from '../harness/images';
import { testStorage } from '../harness/storage';

/**
 * Search by the plain words of what the vision provider saw, on the real stack: a photo labelled "Egyptian cat" is
 * found by "cat", cats and dogs by "animal", each below the images their owner called so.
 */
describe('search by the words of labels', () => {
  const storage = testStorage();
  const search = new ImageSearch(
    storage,
    new ImageUrls(storage.objects, storage.config.urls, () => new Date()),
    new SimilarityIndex(storage.embeddings, 1_000_000),
    undefined, // words only
    NO_METRICS,
  );
  const userId = `user-${crypto.randomUUID()}`;
  const [titledCat, tabby, egyptianCat, pekinese, retriever] = Array.from({ length: 5 }, () => crypto.randomUUID());

  beforeAll(async () => {
    // As the vision provider describes and labels them (src/ai/visionProvider.ts).
    const images: Array<[string, Pick<ImageRecord, 'title' | 'ai_description' | 'labels'>]> = [
      // The owner's cat, drawn in the foam of an espresso.
      [
        titledCat!,
        {
          title: 'Cat',
          ai_description: 'A photo of an espresso (a coffee).',
          labels: [{ name: 'espresso', probability: 0.91 }],
        },
      ],
      [tabby!, { ai_description: 'A photo of a tabby (a cat).', labels: [{ name: 'tabby', probability: 0.86 }] }],
      [
        egyptianCat!,
        { ai_description: 'A photo of an Egyptian cat.', labels: [{ name: 'Egyptian cat', probability: 0.62 }] },
      ],
      // A cat only its third label says.
      [
        pekinese!,
        {
          ai_description: 'Probably a Pekinese (a dog), or a Shih-Tzu.',
          labels: [
            { name: 'Pekinese', probability: 0.4 },
            { name: 'Shih-Tzu', probability: 0.2 },
            { name: 'tabby', probability: 0.15 },
          ],
        },
      ],
      [
        retriever!,
        {
          ai_description: 'A photo of a golden retriever (a dog).',
          labels: [{ name: 'golden retriever', probability: 0.93 }],
        },
      ],
    ];
    for (const [index, [imageId, results]] of images.entries())
      await storeSearchableImage(storage, { userId, imageId, day: 1 + index, results });
  });
  afterAll(() => storage.destroy());

  const found = (q: string) => search.search(userId, { q, limit: 10 }, 'http://api').then((page) => page.items);

  it('finds a cat by "cat" whatever kind the provider named, below the image its owner titled "cat"', async () => {
    const items = await found('cat');
    expect(items.map((item) => item.image_id)).toEqual([titledCat, expect.any(String), expect.any(String), pekinese]);
    expect(
      items
        .map((item) => item.image_id)
        .slice(1, 3)
        .sort(),
    ).toEqual([tabby, egyptianCat].sort());
    expect(items[0]!.matched.fields).toEqual(['title']);
    expect(items[1]!.matched.fields).toEqual(['ai_description', 'labels']);
    // By its third label's class alone: a tabby is a cat.
    expect(items[3]!.matched.fields).toEqual(['labels']);
    expect(items[0]!.score).toBeGreaterThan(items[1]!.score);
  });

  it('finds cats and dogs by "animal", dogs by "dog", and the espresso by neither', async () => {
    const ids = async (q: string) => (await found(q)).map((item) => item.image_id).sort();
    expect(await ids('animal')).toEqual([tabby, egyptianCat, pekinese, retriever].sort());
    expect(await ids('dog')).toEqual([pekinese, retriever].sort());
    expect(await ids('coffee')).toEqual([titledCat]);
  });
});
