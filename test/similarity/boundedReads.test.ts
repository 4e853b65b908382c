import crypto from 'node:crypto';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import v8 from 'node:v8';
import vm from 'node:vm';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { seededRandom } from '../../src/clustering/kmeans';
import { SimilarityIndex } from '../../src/similarity/similarityIndex';
import type { EmbeddingRepository, ListedEmbedding } from '../../src/storage/embeddingRepository';
import { encodeVector } from '../../src/storage/float32Vector';
import { hideEmbedding, testStorage } from '../harness/storage';

/**
 * Similar-image reads stay bounded under concurrency: requests that find a user's vectors missing share one read of
 * the library, and a library over the bound is searched a page at a time, never copied whole, with the same answers.
 */
describe('similarity index reads', () => {
  const storage = testStorage();
  afterAll(() => storage.destroy());

  const at = () => new Date().toISOString();
  const put = (userId: string, imageId: string, vector: number[], provider = 'test-3d') =>
    storage.embeddings.put(userId, imageId, { vector, provider }, at());
  const ids = (neighbours: Array<{ imageId: string }> | undefined) => neighbours?.map((neighbour) => neighbour.imageId);

  /**
   * The repository, with the version reads that returned, the library reads (`pagesForUser` calls) and the pages
   * they read counted; `read` stands in for the table's pages.
   */
  function counted(read: (userId: string) => AsyncGenerator<ListedEmbedding[]> = (userId) => pagesOf(userId)) {
    const counts = { versions: 0, reads: 0, pages: 0 };
    const embeddings = Object.assign(Object.create(storage.embeddings) as EmbeddingRepository, {
      async version(userId: string) {
        const version = await storage.embeddings.version(userId);
        counts.versions++;
        return version;
      },
      async *pagesForUser(userId: string) {
        counts.reads++;
        for await (const page of read(userId)) {
          counts.pages++;
          yield page;
        }
      },
    });
    return { embeddings, counts };
  }
  const pagesOf = (userId: string) => storage.embeddings.pagesForUser(userId);
  /** Waits for `done`, for a few seconds at most: a test that fails must not hang. */
  const until = async (done: () => boolean) => {
    const giveUp = Date.now() + 5_000;
    while (!done()) {
      if (Date.now() > giveUp) throw new Error('waited in vain');
      await sleep(1);
    }
  };

  async function threeImages() {
    const userId = `user-${crypto.randomUUID()}`;
    const [a, b, c] = Array.from({ length: 3 }, () => crypto.randomUUID());
    await put(userId, a!, [1, 0, 0]);
    await put(userId, b!, [0.9, 0.1, 0]);
    await put(userId, c!, [0, 1, 0]);
    return { userId, a: a!, b: b!, c: c! };
  }

  it('answers concurrent requests that find no vectors held from one read of the library', async () => {
    const { userId, a, b, c } = await threeImages();
    // The read goes on once every request has found the version: all of them come while it is in flight.
    const { embeddings, counts } = counted(async function* (id) {
      await until(() => counts.versions === 16 * counts.reads);
      yield* pagesOf(id);
    });
    const index = new SimilarityIndex(embeddings, 1_000_000);
    const toA = () => index.nearestToVector(userId, 'test-3d', [1, 0, 0], { limit: 5, floor: -1 });

    const answers = await Promise.all(
      Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? index.nearest(userId, a, 5) : toA())),
    );
    expect(counts.reads).toBe(1);
    answers.forEach((answer, i) => expect(ids(answer)).toEqual(i % 2 === 0 ? [b, c] : [a, b, c]));

    // Changed: the next burst reads it once more.
    const d = crypto.randomUUID();
    await put(userId, d, [1, 0.01, 0]);
    const again = await Promise.all(Array.from({ length: 16 }, () => index.nearest(userId, a, 1)));
    expect(counts.reads).toBe(2);
    again.forEach((answer) => expect(ids(answer)).toEqual([d]));
  });

  it('gives a failed read to every request waiting for it, and keeps nothing of it', async () => {
    const { userId, a, b } = await threeImages();
    const { embeddings, counts } = counted(async function* (id) {
      if (counts.reads === 1) {
        await until(() => counts.versions === 8);
        throw new Error('the table is away');
      }
      yield* pagesOf(id);
    });
    const index = new SimilarityIndex(embeddings, 1_000_000);

    const failed = await Promise.allSettled(Array.from({ length: 8 }, () => index.nearest(userId, a, 1)));
    expect(failed.map((outcome) => outcome.status === 'rejected' && (outcome.reason as Error).message)).toEqual(
      Array(8).fill('the table is away'),
    );
    expect(counts.reads).toBe(1);

    expect(ids(await index.nearest(userId, a, 1))).toEqual([b]);
    expect(ids(await index.nearest(userId, a, 1))).toEqual([b]);
    expect(counts.reads).toBe(2);
  });

  it('reads anew for a request that finds a newer version than the read in flight, and keeps the newer vectors', async () => {
    const { userId, a, b } = await threeImages();
    let taken = false;
    let released = false;
    // Each read takes the whole library, then the first waits: its vectors are the library before the write below.
    const { embeddings, counts } = counted(async function* (id) {
      const pages: ListedEmbedding[][] = [];
      for await (const page of pagesOf(id)) pages.push(page);
      if (counts.reads === 1) {
        taken = true;
        await until(() => released);
      }
      yield* pages;
    });
    const index = new SimilarityIndex(embeddings, 1_000_000);
    const toA = () => index.nearestToVector(userId, 'test-3d', [1, 0, 0], { limit: 2, floor: -1 });

    const older = toA();
    older.catch(() => undefined); // awaited below: failing before then, not unhandled
    await until(() => taken);
    const d = crypto.randomUUID();
    await put(userId, d, [1, 0.01, 0]);
    expect(ids(await toA())).toEqual([a, d]); // not from the read in flight, which misses d
    expect(counts.reads).toBe(2);

    released = true;
    expect(ids(await older)).toEqual([a, b]); // as of the version it found
    expect(ids(await toA())).toEqual([a, d]); // the older read, back last, replaced nothing
    expect(counts.reads).toBe(2);
  });

  describe('over the bound', () => {
    // 1,536 dimensions: about 160 embeddings to a 1 MB page of the table, so this library is 4 pages.
    const DIMENSIONS = 1_536;
    const userId = `user-${crypto.randomUUID()}`;
    const imageIds = Array.from({ length: 560 }, () => crypto.randomUUID());
    const random = seededRandom(7);
    const families = Array.from({ length: 4 }, () => Array.from({ length: DIMENSIONS }, () => random() - 0.5));
    const vectors = imageIds.map((_, i) =>
      // Every tenth is the same as the one before it: ties, which both searches order alike.
      i % 10 === 9 ? undefined : families[i % 4]!.map((value) => value + (random() - 0.5) * 0.8),
    );
    const providerOf = (i: number) => (i % 7 === 0 ? 'other-1536d' : 'test-1536d');
    const hidden = (i: number) => i % 11 === 0;

    beforeAll(async () => {
      const items = imageIds.map((imageId, i) => ({
        user_id: userId,
        image_id: imageId,
        vector: encodeVector((vectors[i] ?? vectors[i - 1])!),
        dimensions: DIMENSIONS,
        provider: providerOf(i),
        updated_at: at(),
        ...(hidden(i) ? { hidden_at: at() } : {}),
      }));
      for (let start = 0; start < items.length; start += 25) {
        let pending = {
          [storage.config.dynamodb.embeddingsTable]: items
            .slice(start, start + 25)
            .map((Item) => ({ PutRequest: { Item } })),
        };
        while (Object.keys(pending).length > 0) {
          const out = await storage.clients.documents.send(new BatchWriteCommand({ RequestItems: pending }));
          pending = (out.UnprocessedItems ?? {}) as typeof pending;
        }
      }
    });

    it('answers exactly as the held library does, reading it a page at a time and keeping none of it', async () => {
      const held = new SimilarityIndex(storage.embeddings, 10_000_000);
      const { embeddings, counts } = counted();
      const streamed = new SimilarityIndex(embeddings, 100 * DIMENSIONS); // less than one page
      let pages = 0;
      for await (const _page of pagesOf(userId)) pages++;
      expect(pages).toBeGreaterThan(2);

      const searches: Array<(index: SimilarityIndex) => Promise<unknown>> = [
        // 8 and 9 are the same vector; 14 is of the other provider.
        ...[1, 8, 9, 14, 50, 559].flatMap((i) => [
          (index: SimilarityIndex) => index.nearest(userId, imageIds[i]!, 10),
          (index: SimilarityIndex) => index.nearest(userId, imageIds[i]!, 1_000),
        ]),
        (index) => index.nearest(userId, imageIds[11]!, 10), // hidden: no embedding to search with
        (index) => index.nearest(userId, crypto.randomUUID(), 10),
        (index) => index.nearestToVector(userId, 'test-1536d', families[1]!, { limit: 25, floor: 0.3 }),
        (index) => index.nearestToVector(userId, 'test-1536d', families[2]!, { limit: 1_000, floor: -1 }),
        (index) => index.nearestToVector(userId, 'other-1536d', families[0]!, { limit: 5, floor: -1 }),
        (index) => index.nearestToVector(userId, 'test-1536d', [1, 0, 0], { limit: 5, floor: -1 }),
        (index) => index.nearestToVector(userId, 'nobody-1536d', families[0]!, { limit: 5, floor: -1 }),
      ];
      for (const search of searches) expect(await search(streamed)).toEqual(await search(held));
      expect(await held.nearest(userId, imageIds[11]!, 10)).toBeUndefined();
      expect(held.heldValues).toBeGreaterThan(0);

      expect(streamed.heldValues).toBe(0);
      // The first read was given up at its first page, past the bound; every search then read the library once.
      const searchesReading = searches.length - 2; // the image without a visible embedding is answered with no read
      expect(counts.reads).toBe(1 + searchesReading);
      // The search with a query of another dimension stops at the first page.
      expect(counts.pages).toBe(1 + (searchesReading - 1) * pages + 1);
    });

    it('answers concurrent requests with a read each, a page at a time, none holding the pages before its last', async () => {
      v8.setFlagsFromString('--expose-gc');
      const gc = vm.runInNewContext('gc') as () => void;
      // Of the pages a read gave before, how many were still reachable as it read another, at most.
      let mostBehind = 0;
      const { embeddings, counts } = counted(async function* (id) {
        const behind: Array<WeakRef<ListedEmbedding[]>> = [];
        for await (const page of pagesOf(id)) {
          await nextTurn();
          gc();
          mostBehind = Math.max(mostBehind, behind.filter((earlier) => earlier.deref() !== undefined).length);
          behind.push(new WeakRef(page));
          yield page;
        }
      });
      const index = new SimilarityIndex(embeddings, 100 * DIMENSIONS);
      const expected = await new SimilarityIndex(storage.embeddings, 10_000_000).nearest(userId, imageIds[3]!, 10);

      const answers = await Promise.all(Array.from({ length: 8 }, () => index.nearest(userId, imageIds[3]!, 10)));
      answers.forEach((answer) => expect(answer).toEqual(expected));
      expect(counts.reads).toBe(1 + 8); // one read given up past the bound, shared; then one search each
      expect(index.heldValues).toBe(0);
      // The page a search was given last may still be referenced as it reads the next one; none before it.
      expect(mostBehind).toBeLessThanOrEqual(1);
      expect(counts.pages).toBeGreaterThan(8 * 3);
    });
  });

  it('keeps a library again once it is back within the bound', async () => {
    const userId = `user-${crypto.randomUUID()}`;
    const imageIds = Array.from({ length: 5 }, () => crypto.randomUUID());
    for (const [i, imageId] of imageIds.entries()) await put(userId, imageId, [1, i, 0]);
    const { embeddings, counts } = counted();
    const index = new SimilarityIndex(embeddings, 12); // four 3-dimension vectors

    await index.nearest(userId, imageIds[0]!, 1);
    expect(index.heldValues).toBe(0);
    await hideEmbedding(storage, userId, imageIds[3]!);
    await hideEmbedding(storage, userId, imageIds[4]!);
    const reads = counts.reads;
    await index.nearest(userId, imageIds[0]!, 1); // still searched page by page: it finds the library fits
    expect(index.heldValues).toBe(0);
    await index.nearest(userId, imageIds[0]!, 1); // read to be kept
    expect(index.heldValues).toBe(9);
    await index.nearest(userId, imageIds[0]!, 1);
    expect(counts.reads - reads).toBe(2);
  });
});
