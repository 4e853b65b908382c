import { matrixOf, normaliseRows, type EmbeddingMatrix } from '../clustering/embeddingMatrix';
import type { ListedEmbedding } from '../storage/embeddingRepository';

/** Embeddings of one provider from one page of the table, normalised: dot products are cosine similarities. */
export interface VectorBlock {
  imageIds: string[];
  matrix: EmbeddingMatrix;
}

/** Embeddings of one provider (one dimension) as a block, in their order. */
export function blockOf(embeddings: ListedEmbedding[]): VectorBlock {
  return {
    imageIds: embeddings.map((embedding) => embedding.imageId),
    matrix: normaliseRows(matrixOf(embeddings.map((embedding) => embedding.vector))),
  };
}

/** One page of the table as a block of each provider it holds. */
export function blocksByProvider(page: ListedEmbedding[]): Map<string, VectorBlock> {
  const byProvider = new Map<string, ListedEmbedding[]>();
  for (const embedding of page) {
    const group = byProvider.get(embedding.provider);
    if (group) group.push(embedding);
    else byProvider.set(embedding.provider, [embedding]);
  }
  return new Map([...byProvider].map(([provider, embeddings]) => [provider, blockOf(embeddings)]));
}
