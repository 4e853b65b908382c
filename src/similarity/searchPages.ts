import type { ListedEmbedding } from '../storage/embeddingRepository';
import type { BestNeighbours, Neighbour } from './bestNeighbours';
import { blockOf } from './vectorBlock';

/**
 * One search of a library too large to keep, read a page at a time: each page is scored and let go before the next
 * is read, so one page is held whatever the library's size. The event loop turns while each page is read, and
 * scoring one (at most 1 MB of vectors) is far less than a slice of the held library's search.
 *
 * It answers as a search of the held library does (the same blocks in the same order): none when the provider's
 * first vectors are of another dimension than the query. Read to the end, it also tells how many values the
 * library holds.
 */
export async function searchPages(
  pages: AsyncIterable<ListedEmbedding[]>,
  provider: string,
  best: BestNeighbours,
): Promise<{ neighbours: Neighbour[]; libraryValues?: number }> {
  let libraryValues = 0;
  let first = true;
  for await (const page of pages) {
    for (const embedding of page) libraryValues += embedding.vector.length;
    const ofProvider = page.filter((embedding) => embedding.provider === provider);
    if (ofProvider.length === 0) continue;
    const block = blockOf(ofProvider);
    if (first && block.matrix.dimensions !== best.dimensions) return { neighbours: [] };
    first = false;
    best.add(block);
  }
  return { neighbours: best.neighbours, libraryValues };
}
