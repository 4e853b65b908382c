import { setImmediate as nextTurn } from 'node:timers/promises';
import { matrixOf, normaliseRows, selectRows, type EmbeddingMatrix } from '../clustering/embeddingMatrix';
import type { EmbeddingRepository, ListedEmbedding } from '../storage/embeddingRepository';
import { BestNeighbours, type Neighbour } from './bestNeighbours';
import { searchPages } from './searchPages';
import { SharedReads } from './sharedReads';
import { blocksByProvider, type VectorBlock } from './vectorBlock';

/** Where one image's vector is: a block of rows and its row in it. */
interface Place {
  block: number;
  row: number;
}

/**
 * The embeddings of one provider (one space, one dimension): only these are ever compared with each other. Kept in
 * blocks as they were read (a page of the table each): no copy of the whole library is ever made.
 */
interface ProviderVectors {
  blocks: VectorBlock[];
  placeOf: Map<string, Place>;
}

/** One user's visible embeddings by provider, and the version of their embeddings they were read at. */
interface UserVectors {
  version: number;
  providers: Map<string, ProviderVectors>;
  values: number;
}

/** A library read given up past the bound: the requests waiting for it search it page by page instead. */
const OVER_BUDGET = 'over budget';

// Values multiplied between two turns of the event loop: a few milliseconds of work, whatever the dimension.
const VALUES_PER_TURN = 2_000_000;

// Users whose library is known to be over the bound: ids only, bounded all the same.
const MAX_OVER_BUDGET_USERS = 10_000;

/**
 * Nearest neighbours by cosine similarity over one user's embeddings, exact, without reading their whole library
 * on every request: each user's vectors are kept in memory (float32, normalised) while their embeddings' version
 * (one small read per request) says they are current, least recently used first out past `maxValues`. Concurrent
 * requests that find a user's vectors missing or stale share one read of the library. A library larger than
 * `maxValues` is never kept, nor copied whole: each request reads it a page at a time, keeping only its best
 * neighbours. Scoring goes a slice at a time between turns of the event loop, so a large library never holds up
 * the requests beside it.
 */
export class SimilarityIndex {
  private readonly users = new Map<string, UserVectors>();
  private held = 0;
  private readonly reads = new SharedReads<UserVectors | typeof OVER_BUDGET>();
  /** Users whose library was over the bound when last read, oldest first: searched page by page without a try. */
  private readonly overBudget = new Set<string>();

  constructor(
    private readonly embeddings: EmbeddingRepository,
    /** How many float32 values (all users together) are kept: 4 bytes each. */
    private readonly maxValues: number,
  ) {}

  /** How many values are kept now, all users together. */
  get heldValues(): number {
    return this.held;
  }

  /** The `limit` images most similar to `imageId` (same provider only); undefined when it has no visible embedding. */
  async nearest(userId: string, imageId: string, limit: number): Promise<Neighbour[] | undefined> {
    const options = { limit, floor: -Infinity, excluding: imageId };
    const library = await this.libraryOf(userId);
    if (library === OVER_BUDGET) {
      const target = await this.embeddings.getVisible(userId, imageId);
      if (!target) return undefined;
      return this.searchPagesOf(userId, target.provider, new BestNeighbours(normalisedRow(target.vector), options));
    }
    const vectors = [...library.providers.values()].find((group) => group.placeOf.has(imageId));
    if (!vectors) return undefined;
    const { block, row } = vectors.placeOf.get(imageId)!;
    return this.searchHeld(vectors, new BestNeighbours(selectRows(vectors.blocks[block]!.matrix, [row]), options));
  }

  /**
   * The `limit` images whose embedding by `provider` (an AiProvider's name: one space) is most similar to
   * `vector`, none below `floor`: text search's nearest images to an embedded query. None when the user has no
   * embeddings of that provider, or of another dimension. A caller that has just written the user's embeddings
   * `writtenVersion` (see learn) spares the read of the version: vectors held at it are current enough.
   */
  async nearestToVector(
    userId: string,
    provider: string,
    vector: number[],
    options: { limit: number; floor: number; writtenVersion?: number },
  ): Promise<Neighbour[]> {
    const best = new BestNeighbours(normalisedRow(vector), options);
    const library = await this.libraryOf(userId, options.writtenVersion);
    if (library === OVER_BUDGET) return this.searchPagesOf(userId, provider, best);
    const vectors = library.providers.get(provider);
    if (!vectors || vectors.blocks[0]?.matrix.dimensions !== best.dimensions) return [];
    return this.searchHeld(vectors, best);
  }

  private async searchHeld(vectors: ProviderVectors, best: BestNeighbours): Promise<Neighbour[]> {
    let sinceTurn = 0;
    for (const block of vectors.blocks) {
      if (sinceTurn >= VALUES_PER_TURN) {
        await nextTurn();
        sinceTurn = 0;
      }
      sinceTurn += block.matrix.values.length;
      best.add(block);
    }
    return best.neighbours;
  }

  /** Searches a library over the bound page by page; read to the end, it also tells whether the library still is. */
  private async searchPagesOf(userId: string, provider: string, best: BestNeighbours): Promise<Neighbour[]> {
    const { neighbours, libraryValues } = await searchPages(this.embeddings.pagesForUser(userId), provider, best);
    if (libraryValues !== undefined && libraryValues <= this.maxValues) this.overBudget.delete(userId);
    return neighbours;
  }

  /**
   * The user's vectors as of their embeddings version (held, or read), or word that they are over the bound. The
   * version is read, unless the caller knows one it has just written.
   */
  private async libraryOf(userId: string, knownVersion?: number): Promise<UserVectors | typeof OVER_BUDGET> {
    const version = knownVersion ?? (await this.embeddings.version(userId));
    const cached = this.users.get(userId);
    if (cached) {
      this.users.delete(userId);
      this.held -= cached.values;
      // Versions only grow: vectors another request read at a newer version than this one saw are current too.
      if (cached.version >= version) return this.remember(userId, cached);
    }
    if (this.overBudget.has(userId)) return OVER_BUDGET;
    return this.reads.read(userId, version, () => this.read(userId, version));
  }

  /** Reads the user's library to keep it, giving it up as soon as it is over the bound. */
  private async read(userId: string, version: number): Promise<UserVectors | typeof OVER_BUDGET> {
    const user: UserVectors = { version, providers: new Map(), values: 0 };
    for await (const page of this.embeddings.pagesForUser(userId)) {
      this.add(user, page);
      if (user.values > this.maxValues) {
        this.markOverBudget(userId);
        return OVER_BUDGET;
      }
    }
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
    for (const [provider, block] of blocksByProvider(page)) {
      let vectors = user.providers.get(provider);
      if (!vectors) user.providers.set(provider, (vectors = { blocks: [], placeOf: new Map() }));
      const at = vectors.blocks.length;
      block.imageIds.forEach((imageId, row) => vectors.placeOf.set(imageId, { block: at, row }));
      vectors.blocks.push(block);
      user.values += block.matrix.values.length;
    }
  }

  /**
   * Keeps the user's vectors as the most recently used, dropping the least recently used past the bound; not when
   * vectors of a newer version came back first from a read of their own, nor when they alone are over the bound.
   */
  private remember(userId: string, vectors: UserVectors): UserVectors {
    const current = this.users.get(userId);
    if (current && current.version > vectors.version) return vectors;
    if (current) {
      this.users.delete(userId);
      this.held -= current.values;
    }
    if (vectors.values > this.maxValues) {
      this.markOverBudget(userId);
      return vectors;
    }
    this.overBudget.delete(userId);
    for (const [oldest, old] of this.users) {
      if (this.held + vectors.values <= this.maxValues) break;
      this.users.delete(oldest);
      this.held -= old.values;
    }
    this.users.set(userId, vectors);
    this.held += vectors.values;
    return vectors;
  }

  private markOverBudget(userId: string): void {
    this.overBudget.delete(userId);
    this.overBudget.add(userId);
    const [oldest] = this.overBudget;
    if (this.overBudget.size > MAX_OVER_BUDGET_USERS) this.overBudget.delete(oldest!);
  }
}

/** A vector as a one-row matrix, normalised as the held vectors are. */
function normalisedRow(vector: number[]): EmbeddingMatrix {
  return normaliseRows(matrixOf([vector]));
}
