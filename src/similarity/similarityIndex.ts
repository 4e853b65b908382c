import { setImmediate as nextTurn } from 'node:timers/promises';
import { dotRows, matrixOf, normaliseRows, type EmbeddingMatrix } from '../clustering/embeddingMatrix';
import type { EmbeddingRepository, ListedEmbedding } from '../storage/embeddingRepository';

/** Where one image's vector is: a block of rows and its row in it. */
interface Place {
  block: number;
  row: number;
}

/**
 * The embeddings of one provider (one space, one dimension): only these are ever compared with each other. Kept in
 * blocks as they were read (a page of the table each), normalised: no copy of the whole library is ever made.
 */
interface ProviderVectors {
  blocks: Array<{ imageIds: string[]; matrix: EmbeddingMatrix }>;
  placeOf: Map<string, Place>;
}

/** One user's visible embeddings by provider, and the version of their embeddings they were read at. */
interface UserVectors {
  version: number;
  providers: Map<string, ProviderVectors>;
  values: number;
}

export interface Neighbour {
  imageId: string;
  similarity: number;
}

// Values multiplied between two turns of the event loop: a few milliseconds of work, whatever the dimension.
const VALUES_PER_TURN = 2_000_000;

/**
 * Nearest neighbours by cosine similarity over one user's embeddings, exact, without reading their whole library
 * on every request: each user's vectors are kept in memory (float32, normalised) while their embeddings' version
 * (one small read per request) says they are current, least recently used first out past `maxValues`. Reading and
 * scoring go a slice at a time between turns of the event loop, so a large library never holds up the requests
 * beside it.
 */
export class SimilarityIndex {
  private readonly users = new Map<string, UserVectors>();
  private held = 0;

  constructor(
    private readonly embeddings: EmbeddingRepository,
    /** How many float32 values (all users together) are kept: 4 bytes each. */
    private readonly maxValues: number,
  ) {}

  /** The `limit` images most similar to `imageId` (same provider only); undefined when it has no visible embedding. */
  async nearest(userId: string, imageId: string, limit: number): Promise<Neighbour[] | undefined> {
    const user = await this.vectorsOf(userId);
    const vectors = [...user.providers.values()].find((group) => group.placeOf.has(imageId));
    if (!vectors) return undefined;
    const target = vectors.placeOf.get(imageId)!;
    const targetMatrix = vectors.blocks[target.block]!.matrix;
    return this.best(vectors, limit, -Infinity, (block, matrix, row) =>
      block === target.block && row === target.row ? undefined : dotRows(targetMatrix, target.row, matrix, row),
    );
  }

  /**
   * The `limit` images whose embedding by `provider` (an AiProvider's name: one space) is most similar to
   * `vector`, none below `floor`: text search's nearest images to an embedded query. None when the user has no
   * embeddings of that provider, or of another dimension.
   */
  async nearestToVector(
    userId: string,
    provider: string,
    vector: number[],
    options: { limit: number; floor: number },
  ): Promise<Neighbour[]> {
    const vectors = (await this.vectorsOf(userId)).providers.get(provider);
    const query = normaliseRows(matrixOf([vector]));
    if (!vectors || vectors.blocks[0]?.matrix.dimensions !== query.dimensions) return [];
    return this.best(vectors, options.limit, options.floor, (_block, matrix, row) => dotRows(query, 0, matrix, row));
  }

  /** The `limit` best rows by `similarity` (undefined: not a candidate) at or above `floor`, best first. */
  private async best(
    vectors: ProviderVectors,
    limit: number,
    floor: number,
    similarityOf: (block: number, matrix: EmbeddingMatrix, row: number) => number | undefined,
  ): Promise<Neighbour[]> {
    const best: Neighbour[] = [];
    let sinceTurn = 0;
    for (const [index, { imageIds, matrix }] of vectors.blocks.entries()) {
      if (sinceTurn >= VALUES_PER_TURN) {
        await nextTurn();
        sinceTurn = 0;
      }
      sinceTurn += matrix.values.length;
      for (let row = 0; row < matrix.rows; row++) {
        const similarity = similarityOf(index, matrix, row);
        if (similarity === undefined || similarity < floor) continue;
        if (best.length === limit && similarity <= best[limit - 1]!.similarity) continue;
        const at = best.findIndex((neighbour) => similarity > neighbour.similarity);
        best.splice(at === -1 ? best.length : at, 0, { imageId: imageIds[row]!, similarity });
        if (best.length > limit) best.pop();
      }
    }
    return best;
  }

  private async vectorsOf(userId: string): Promise<UserVectors> {
    const version = await this.embeddings.version(userId);
    const cached = this.users.get(userId);
    if (cached) {
      this.users.delete(userId);
      this.held -= cached.values;
      if (cached.version === version) return this.remember(userId, cached);
    }
    const user: UserVectors = { version, providers: new Map(), values: 0 };
    for await (const page of this.embeddings.pagesForUser(userId)) this.add(user, page);
    return this.remember(userId, user);
  }

  /**
   * This process has just written one embedding, and the write made the user's embeddings `version`. When the
   * vectors held are those of the version before it, nothing else changed meanwhile: the vector joins them, and the
   * next request need not read the library again (a worker taking in a user's uploads one after another reads it
   * once). Otherwise they are dropped, and the next request reads them afresh.
   */
  learn(userId: string, imageId: string, embedding: { vector: number[]; provider: string }, version: number): void {
    const user = this.users.get(userId);
    if (!user) return;
    this.users.delete(userId);
    this.held -= user.values;
    const known = [...user.providers.values()].some((vectors) => vectors.placeOf.has(imageId));
    if (user.version !== version - 1 || known) return;
    this.add(user, [{ imageId, vector: Float32Array.from(embedding.vector), provider: embedding.provider }]);
    user.version = version;
    this.remember(userId, user);
  }

  /** One page of the table, into a block of each provider it holds. */
  private add(user: UserVectors, page: ListedEmbedding[]): void {
    const byProvider = new Map<string, ListedEmbedding[]>();
    for (const embedding of page) {
      const group = byProvider.get(embedding.provider);
      if (group) group.push(embedding);
      else byProvider.set(embedding.provider, [embedding]);
    }
    for (const [provider, embeddings] of byProvider) {
      let vectors = user.providers.get(provider);
      if (!vectors) user.providers.set(provider, (vectors = { blocks: [], placeOf: new Map() }));
      const block = vectors.blocks.length;
      const matrix = normaliseRows(matrixOf(embeddings.map((embedding) => embedding.vector)));
      embeddings.forEach((embedding, row) => vectors.placeOf.set(embedding.imageId, { block, row }));
      vectors.blocks.push({ imageIds: embeddings.map((embedding) => embedding.imageId), matrix });
      user.values += matrix.values.length;
    }
  }

  /** Keeps the user's vectors as the most recently used, dropping the least recently used past the bound. */
  private remember(userId: string, vectors: UserVectors): UserVectors {
    if (vectors.values > this.maxValues) return vectors;
    for (const [oldest, old] of this.users) {
      if (this.held + vectors.values <= this.maxValues) break;
      this.users.delete(oldest);
      this.held -= old.values;
    }
    this.users.set(userId, vectors);
    this.held += vectors.values;
    return vectors;
  }
}
