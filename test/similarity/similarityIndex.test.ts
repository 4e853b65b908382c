import crypto from 'node:crypto';
import { SimilarityIndex } from '../../src/similarity/similarityIndex';
import { hideEmbedding, testStorage } from '../harness/storage';

/**
 * Similar images are searched in the user's vectors kept in memory, read again from the table only when their
 * embeddings change: not the whole library read on every request.
 */
describe('similarity index', () => {
  const storage = testStorage();
  let queries = 0;
  storage.clients.dynamodb.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'QueryCommand') queries++;
      return next(args);
    },
    { step: 'initialize', name: 'countQueries' },
  );
  afterAll(() => storage.destroy());

  const at = () => new Date().toISOString();
  const put = (userId: string, imageId: string, vector: number[], provider = 'test-3d') =>
    storage.embeddings.put(userId, imageId, { vector, provider }, at());

  it('reads a library once, ranks by cosine similarity, and reads it again only once it has changed', async () => {
    const userId = `user-${crypto.randomUUID()}`;
    const [a, b, c, d, e] = Array.from({ length: 5 }, () => crypto.randomUUID());
    await put(userId, a!, [1, 0, 0]);
    await put(userId, b!, [0.9, 0.1, 0]);
    await put(userId, c!, [0, 1, 0]);
    await put(userId, d!, [1, 0, 0], 'another-model-3d');
    const index = new SimilarityIndex(storage.embeddings, 1_000_000);

    const before = queries;
    const first = await index.nearest(userId, a!, 5);
    expect(first!.map((neighbour) => neighbour.imageId)).toEqual([b, c]); // never another provider's vectors
    expect(first![0]!.similarity).toBeCloseTo(0.9 / Math.hypot(0.9, 0.1), 5);
    expect(queries - before).toBe(1);

    await index.nearest(userId, b!, 5);
    await index.nearest(userId, c!, 1);
    expect(queries - before).toBe(1);

    await put(userId, e!, [1, 0.01, 0]);
    expect((await index.nearest(userId, a!, 1))![0]!.imageId).toBe(e);
    expect(queries - before).toBe(2);

    await hideEmbedding(storage, userId, e!); // its image was soft-deleted
    expect((await index.nearest(userId, a!, 1))![0]!.imageId).toBe(b);
    expect(await index.nearest(userId, e!, 1)).toBeUndefined();
  });

  it('takes in the vectors this process writes without reading the library again, unless another wrote meanwhile', async () => {
    const userId = `user-${crypto.randomUUID()}`;
    const [a, b, c, d] = Array.from({ length: 4 }, () => crypto.randomUUID());
    await put(userId, a!, [1, 0, 0]);
    const index = new SimilarityIndex(storage.embeddings, 1_000_000);
    const nearestToA = async () =>
      (await index.nearestToVector(userId, 'test-3d', [1, 0, 0], { limit: 5, floor: -1 })).map(
        (neighbour) => neighbour.imageId,
      );
    expect(await nearestToA()).toEqual([a]);
    const before = queries;

    // Written here: learned in place, with the version the write made.
    const learn = async (imageId: string, vector: number[]) =>
      index.learn(userId, imageId, { vector, provider: 'test-3d' }, await put(userId, imageId, vector));
    await learn(b!, [0.9, 0.1, 0]);
    await learn(c!, [0, 1, 0]);
    expect(await nearestToA()).toEqual([a, b, c]);
    expect(queries - before).toBe(0);

    // Written elsewhere (another worker): the next write here finds a version it does not follow, and drops them.
    await put(userId, d!, [0.95, 0, 0.05]);
    await learn(crypto.randomUUID(), [0, 0, 1]);
    expect((await nearestToA()).slice(0, 2)).toEqual([a, d]);
    expect(queries - before).toBe(1);
  });

  it('keeps no more vectors than its bound, the least recently used going first', async () => {
    const users = Array.from({ length: 3 }, () => `user-${crypto.randomUUID()}`);
    for (const userId of users) {
      await put(userId, 'a', [1, 0, 0]);
      await put(userId, 'b', [0, 1, 0]);
    }
    const index = new SimilarityIndex(storage.embeddings, 12); // two users' 2 × 3 values
    const before = queries;
    await index.nearest(users[0]!, 'a', 1);
    await index.nearest(users[1]!, 'a', 1);
    await index.nearest(users[0]!, 'a', 1); // still held
    await index.nearest(users[2]!, 'a', 1); // pushes out users[1], the least recently used
    await index.nearest(users[0]!, 'a', 1); // still held
    expect(queries - before).toBe(3);
    await index.nearest(users[1]!, 'a', 1); // read again
    expect(queries - before).toBe(4);
  });
});
