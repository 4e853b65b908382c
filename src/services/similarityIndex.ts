import { setImmediate as nextTurn } from 'node:timers/promises';
import { dotRows, matrixOf, normaliseRows, type EmbeddingMatrix } from '../clustering/embeddingMatrix';
import type { EmbeddingRepository, ListedEmbedding } from '../storage/embeddingRepository';

/** The embeddings of one provider (one space, one dimension): only these are ever compared with each other. */
interface ProviderVectors {
  imageIds: string[];
  rowOf: Map<string, number>;
  matrix: EmbeddingMatrix;
}

/** One user's visible embeddings, normalised, by provider, and the version of their embeddings they were read at. */
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

function byProvider(listed: ListedEmbedding[]): Map<string, ProviderVectors> {
  const groups = new Map<string, ListedEmbedding[]>();
  for (const embedding of listed) {
    const group = groups.get(embedding.provider);
    if (group) group.push(embedding);
    else groups.set(embedding.provider, [embedding]);
  }
  return new Map(
    [...groups].map(([provider, embeddings]) => [
      provider,
      {
        imageIds: embeddings.map((embedding) => embedding.imageId),
        rowOf: new Map(embeddings.map((embedding, row) => [embedding.imageId, row])),
        matrix: normaliseRows(matrixOf(embeddings.map((embedding) => embedding.vector))),
      },
    ]),
  );
}

/**
 * Nearest neighbours by cosine similarity over one user's embeddings, exact, without reading their whole library
 * on every request: each user's vectors are kept in memory (float32, normalised) while their embeddings' version
 * (one small read per request) says they are current, least recently used first out past `maxValues`. Scoring runs
 * in slices between turns of the event loop, so a large library never holds up the requests beside it.
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
    const vectors = [...user.providers.values()].find((group) => group.rowOf.has(imageId));
    if (!vectors) return undefined;
    const target = vectors.rowOf.get(imageId)!;
    const { matrix } = vectors;
    const best: Neighbour[] = [];
    const rowsPerTurn = Math.max(1, Math.floor(VALUES_PER_TURN / matrix.dimensions));
    for (let start = 0; start < matrix.rows; start += rowsPerTurn) {
      if (start > 0) await nextTurn();
      for (let row = start; row < Math.min(matrix.rows, start + rowsPerTurn); row++) {
        if (row === target) continue;
        const similarity = dotRows(matrix, target, matrix, row);
        if (best.length === limit && similarity <= best[limit - 1]!.similarity) continue;
        const at = best.findIndex((neighbour) => similarity > neighbour.similarity);
        best.splice(at === -1 ? best.length : at, 0, { imageId: vectors.imageIds[row]!, similarity });
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
    const providers = byProvider(await this.embeddings.listForUser(userId));
    const values = [...providers.values()].reduce((sum, group) => sum + group.matrix.values.length, 0);
    return this.remember(userId, { version, providers, values });
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
