import crypto from 'node:crypto';
import { OpenAiProvider } from '../../src/ai/openAiProvider';
import { loadConfig } from '../../src/config';
import { ImageSearch } from '../../src/services/imageSearch';
import { ImageUrls } from '../../src/services/imageUrls';
import { NO_METRICS } from '../../src/services/serviceMetrics';
import { SimilarityIndex } from '../../src/similarity/similarityIndex';
import { storeSearchableImage } from '../harness/images';
import { startOpenAiCompatibleServer } from '../harness/openAiCompatibleServer';
import { testStorage } from '../harness/storage';

/**
 * The semantic half of text search, with the `openai` provider against the OpenAI-compatible stand-in: the query is
 * embedded with the images' embedding model and ranked by cosine similarity to the user's embeddings, merged with
 * the word ranking; a provider that fails leaves the search to words alone; a search of one field asks no embedding.
 */
describe('image search by meaning', () => {
  const storage = testStorage();
  let server: Awaited<ReturnType<typeof startOpenAiCompatibleServer>>;
  let search: ImageSearch;
  let provider: OpenAiProvider;
  let degraded = 0;
  const userId = `user-${crypto.randomUUID()}`;
  const [awning, striped, unrelated, deleted] = Array.from({ length: 4 }, () => crypto.randomUUID());

  beforeAll(async () => {
    server = await startOpenAiCompatibleServer();
    const config = loadConfig({
      FIREBASE_PROJECT_ID: 'imagepipe-test',
      AI_PROVIDER: 'openai',
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: `${server.url}/v1`,
      OPENAI_EMBEDDING_DIMENSIONS: '3',
      AI_TIMEOUT_MS: '2000',
    });
    provider = OpenAiProvider.fromConfig(config.ai);
    search = new ImageSearch(
      storage,
      new ImageUrls(storage.objects, storage.config.urls, () => new Date()),
      new SimilarityIndex(storage.embeddings, 1_000_000),
      provider,
      { ...NO_METRICS, searchWithoutEmbedding: () => degraded++ },
    );
    const images: Array<[string, string, number[]]> = [
      [awning!, 'Shop awning', [0, 1, 0]],
      [striped!, 'Holiday', [1, 0.1, 0]],
      [unrelated!, 'Holiday', [0, 0, 1]],
      [deleted!, 'Holiday', [1, 0, 0]],
    ];
    for (const [index, [imageId, title, vector]] of images.entries()) {
      const record = await storeSearchableImage(storage, { userId, imageId, day: 1 + index, fields: { title } });
      await storage.embeddings.put(userId, imageId, { vector, provider: provider.name }, record.created_at);
    }
    const at = new Date().toISOString();
    await storage.images.softDelete(userId, deleted!, { at, purgeAfter: at, purgeRunId: 'unused' }, []);
  });
  afterAll(async () => {
    await server.close();
    storage.destroy();
  });

  const embedding = (vector: number[]) => ({
    status: 200,
    body: { object: 'list', model: 'm', data: [{ object: 'embedding', index: 0, embedding: vector }], usage: {} },
  });

  it('finds images by the embedding of the query, merged with those found by its words', async () => {
    server.requests.splice(0);
    server.answerNext(embedding([1, 0, 0]));
    const page = await search.search(userId, { q: '  Striped   AWNING ', limit: 10 }, 'http://api');

    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.body).toMatchObject({ input: 'striped awning', dimensions: 3 });
    // The deleted image, nearest of all, is dropped as it is read; the images below the similarity floor are not
    // candidates.
    expect(page.items.map((item) => item.image_id)).toEqual([awning, striped]);
    expect(page.items[0]!.matched).toEqual({ terms: ['awning'], fields: ['title'], semantic: false });
    expect(page.items[0]!.score).toBeCloseTo(1 / 61, 6);
    expect(page.items[1]!.matched).toEqual({ terms: [], fields: [], semantic: true });
    expect(page.items[1]!.score).toBeCloseTo(1 / 62, 6);
    expect(page.nextCursor).toBeUndefined();
  });

  it('ranks an image both rankings agree on first', async () => {
    server.answerNext(embedding([0.3, 1, 0]));
    const page = await search.search(userId, { q: 'holiday', limit: 10 }, 'http://api');
    // The vector is nearest the awning, then the striped image; the words find the holiday images (equal scores,
    // newest first: the unrelated image before the striped one). The striped image is in both.
    expect(page.items.map((item) => item.image_id)).toEqual([striped, awning, unrelated]);
    expect(page.items[0]!.matched).toEqual({ terms: ['holiday'], fields: ['title'], semantic: true });
  });

  it('searches by words alone when the provider fails, and counts it', async () => {
    server.answerNext({ status: 500, body: { error: { message: 'down', type: 'server_error' } } });
    const page = await search.search(userId, { q: 'awning', limit: 10 }, 'http://api');
    expect(page.items.map((item) => item.image_id)).toEqual([awning]);
    expect(degraded).toBe(1);
  });

  it('asks the provider for no embedding when the search is restricted to one field', async () => {
    server.requests.splice(0);
    const page = await search.search(userId, { q: 'holiday awning', field: 'title', limit: 10 }, 'http://api');
    expect(server.requests).toHaveLength(0);
    expect(page.items.map((item) => item.image_id)).toEqual([awning, unrelated, striped]);
    expect(page.items.every((item) => !item.matched.semantic)).toBe(true);
  });
});
