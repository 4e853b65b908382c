import crypto from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { storeUploadedImage } from '../harness/images';
import { testStorage } from '../harness/storage';
import { gradientJpeg } from '../fixtures/images';

/**
 * Text search's inverted index on the real stack: writing an image's words again never duplicates a posting, words
 * an image no longer has are removed, and a purge leaves none of its postings behind.
 */
describe('search term repository', () => {
  const storage = testStorage();
  afterAll(() => storage.destroy());

  /** Every posting of the user's word, as stored (not bounded like a search's read). */
  async function stored(userId: string, term: string) {
    const { Items } = await storage.clients.documents.send(
      new QueryCommand({
        TableName: storage.config.dynamodb.searchTermsTable,
        KeyConditionExpression: 'term_key = :key',
        ExpressionAttributeValues: { ':key': `${userId}#${term}` },
      }),
    );
    return Items ?? [];
  }

  it('indexes idempotently, follows a change of words, and is emptied by a purge', async () => {
    const { userId, imageId } = await storeUploadedImage(storage, await gradientJpeg(120, 80));
    const record = (await storage.images.get(userId, imageId))!;
    const described = {
      ...record,
      title: 'Red kites',
      tags: ['birds'],
      ai_description: 'A sky dominated by blue tones',
    };

    await storage.searchTerms.indexImage(described);
    await storage.searchTerms.indexImage(described); // a retried activity
    expect(await stored(userId, 'kite')).toEqual([
      expect.objectContaining({ image_id: imageId, user_id: userId, term: 'kite', weight: 3, fields: ['title'] }),
    ]);
    expect(await stored(userId, 'test')).toHaveLength(1); // the file name, test.jpg
    expect(await storage.searchTerms.postings(userId, 'blue', 1_000)).toEqual([
      { imageId, weight: 1, fields: ['ai_description'], length: expect.any(Number), createdAt: record.created_at },
    ]);

    // Described again (a new AI description): its old words go, its new ones come.
    await storage.searchTerms.indexImage({ ...described, ai_description: 'A sunset in orange' });
    expect(await stored(userId, 'blue')).toEqual([]);
    expect(await stored(userId, 'sunset')).toHaveLength(1);
    expect((await storage.searchTerms.termsOf(userId, imageId))!.sort()).toEqual(
      ['bird', 'kite', 'orange', 'red', 'sunset', 'test'].sort(),
    );

    // Another user's postings of the same word are in another partition.
    expect(await storage.searchTerms.postings(`user-${crypto.randomUUID()}`, 'kite', 1_000)).toEqual([]);

    await storage.purger.purge(userId, imageId);
    await storage.purger.purge(userId, imageId); // a purge repeated changes nothing
    for (const term of ['bird', 'kite', 'orange', 'red', 'sunset', 'test'])
      expect(await stored(userId, term)).toEqual([]);
    expect(await storage.searchTerms.termsOf(userId, imageId)).toBeUndefined();
  });

  it("indexes the provider's labels, each word weighted by the label's probability", async () => {
    const { userId, imageId } = await storeUploadedImage(storage, await gradientJpeg(120, 80));
    const record = (await storage.images.get(userId, imageId))!;
    await storage.searchTerms.indexImage({
      ...record,
      ai_description: 'A photo of an Egyptian cat.',
      labels: [
        { name: 'Egyptian cat', probability: 0.8 },
        { name: 'tabby', probability: 0.1 },
      ],
    });
    // Found by a label the description does not name, and more by the one it does.
    expect(await stored(userId, 'tabby')).toEqual([
      expect.objectContaining({ image_id: imageId, fields: ['labels'], weight: expect.closeTo(0.15, 5) }),
    ]);
    expect(await stored(userId, 'egyptian')).toEqual([
      expect.objectContaining({
        image_id: imageId,
        fields: ['ai_description', 'labels'],
        weight: expect.closeTo(2.2, 5),
      }),
    ]);
  });

  it("indexes the objects found, each kind's words weighted by the score of its surest one", async () => {
    const { userId, imageId } = await storeUploadedImage(storage, await gradientJpeg(120, 80));
    const record = (await storage.images.get(userId, imageId))!;
    await storage.searchTerms.indexImage({
      ...record,
      ai_description: 'A photo of a moped; also: 2 people.',
      objects: [
        { name: 'person', count: 2, score: 0.7 },
        { name: 'traffic light', count: 1, score: 0.32 },
      ],
    });
    expect(await stored(userId, 'traffic')).toEqual([
      expect.objectContaining({ image_id: imageId, fields: ['objects'], weight: expect.closeTo(0.48, 5) }),
    ]);
    // The object's "person" is a word of its own; the description's "people" another, which the object's class goes
    // by too (src/contracts/classWords.ts).
    expect(await stored(userId, 'person')).toEqual([
      expect.objectContaining({ image_id: imageId, fields: ['objects'], weight: expect.closeTo(1.05, 5) }),
    ]);
    expect(await stored(userId, 'people')).toEqual([
      expect.objectContaining({
        image_id: imageId,
        fields: ['ai_description', 'objects'],
        weight: expect.closeTo(1 + 1.05, 5),
      }),
    ]);
  });
});
