/**
 * Reciprocal Rank Fusion: each image scores Σ 1/(k + rank) over the rankings it is in (rank 1 the best). It merges
 * rankings whose scores are not comparable (BM25 over words, cosine similarity over embeddings) by their order
 * alone, needs no tuning beyond k (60, the constant of Cormack et al., 2009, that keeps the top few of one ranking
 * from drowning the other), and rewards an image both rankings agree on. The result is unordered: the caller
 * breaks ties by what it knows of the images.
 */
export const RRF_K = 60;

export function reciprocalRankFusion(rankings: string[][], k = RRF_K): Map<string, number> {
  const scores = new Map<string, number>();
  for (const ranking of rankings) {
    ranking.forEach((imageId, index) => {
      scores.set(imageId, (scores.get(imageId) ?? 0) + 1 / (k + index + 1));
    });
  }
  return scores;
}
