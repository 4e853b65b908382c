import { dotRows, type EmbeddingMatrix } from '../clustering/embeddingMatrix';
import type { VectorBlock } from './vectorBlock';

export interface Neighbour {
  imageId: string;
  similarity: number;
}

/**
 * The best `limit` neighbours of one query among the blocks shown so far, best first; of equal similarities, the
 * first shown. Whether the blocks are held in memory or read page by page, the same blocks in the same order give
 * the same answer.
 */
export class BestNeighbours {
  private readonly best: Neighbour[] = [];

  constructor(
    /** One normalised row. */
    private readonly query: EmbeddingMatrix,
    private readonly options: {
      limit: number;
      /** No neighbour below this similarity. */
      floor: number;
      /** The image the query is the embedding of: not its own neighbour. */
      excluding?: string;
    },
  ) {}

  get dimensions(): number {
    return this.query.dimensions;
  }

  /** Scores every row of `block` against the query, keeping the best. */
  add({ imageIds, matrix }: VectorBlock): void {
    const { limit, floor, excluding } = this.options;
    const best = this.best;
    for (let row = 0; row < matrix.rows; row++) {
      const imageId = imageIds[row]!;
      if (imageId === excluding) continue;
      const similarity = dotRows(this.query, 0, matrix, row);
      if (similarity < floor) continue;
      if (best.length === limit && similarity <= best[limit - 1]!.similarity) continue;
      const at = best.findIndex((neighbour) => similarity > neighbour.similarity);
      best.splice(at === -1 ? best.length : at, 0, { imageId, similarity });
      if (best.length > limit) best.pop();
    }
  }

  get neighbours(): Neighbour[] {
    return this.best;
  }
}
