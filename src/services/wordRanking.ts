import type { SearchField } from '../storage/imageSearchTerms';
import type { Posting } from '../storage/searchTermRepository';

/** An image found by the words of a query, with what it was found by. */
export interface WordMatch {
  imageId: string;
  score: number;
  createdAt: string;
  terms: string[];
  fields: SearchField[];
}

/** Search results' order: best score first; ties newest first, then by id (a stable order to page through). */
export const bestFirst = (
  a: { score: number; createdAt: string; imageId: string },
  b: { score: number; createdAt: string; imageId: string },
) => b.score - a.score || b.createdAt.localeCompare(a.createdAt) || a.imageId.localeCompare(b.imageId);

// BM25's usual constants: how fast repeats of a word stop adding to its score, and how much an image's length
// (a long description) dilutes its words.
const K1 = 1.2;
const B = 0.75;

/**
 * Ranks the images of the postings read for each query word by BM25: Σ over the query's words of
 * idf × tf·(k1+1) / (tf + k1·(1 − b + b·length/average length)), where tf is the posting's field-weighted
 * frequency (a word in a title counts three times one in the AI description). The idf is the usual
 * ln(1 + (N − df + 0.5)/(df + 0.5)) with N the number of postings a word may have read (`postingsPerTerm`): the
 * library's size is not known without reading it, and a word found in that many images tells them apart about as
 * little as one in all of them. Best first; ties newest first, then by id.
 */
export function rankByWords(postingsByTerm: Map<string, Posting[]>, postingsPerTerm: number): WordMatch[] {
  const lengths = new Map<string, number>();
  for (const postings of postingsByTerm.values()) {
    for (const posting of postings) lengths.set(posting.imageId, posting.length);
  }
  if (lengths.size === 0) return [];
  const averageLength = Math.max([...lengths.values()].reduce((sum, length) => sum + length, 0) / lengths.size, 1);
  const matches = new Map<string, WordMatch>();
  for (const [term, postings] of postingsByTerm) {
    const df = postings.length;
    const idf = Math.log(1 + (Math.max(postingsPerTerm, df) - df + 0.5) / (df + 0.5));
    for (const posting of postings) {
      const norm = 1 - B + (B * posting.length) / averageLength;
      const score = (idf * posting.weight * (K1 + 1)) / (posting.weight + K1 * norm);
      let match = matches.get(posting.imageId);
      if (!match) {
        match = { imageId: posting.imageId, score: 0, createdAt: posting.createdAt, terms: [], fields: [] };
        matches.set(posting.imageId, match);
      }
      match.score += score;
      match.terms.push(term);
      for (const field of posting.fields) if (!match.fields.includes(field)) match.fields.push(field);
    }
  }
  return [...matches.values()].sort(bestFirst);
}
