import type { AiProvider } from '../ai/aiProvider';
import type { Storage } from '../storage/createStorage';
import type { ImageRecord } from '../storage/imageRecord';
import type { SearchField } from '../storage/imageSearchTerms';
import type { Posting } from '../storage/searchTermRepository';
import { tokenize } from '../storage/searchTokenizer';
import type { ImageUrls } from './imageUrls';
import { imageView } from './imageView';
import { reciprocalRankFusion } from './reciprocalRankFusion';
import { decodeSearchCursor, encodeSearchCursor, searchFingerprint } from './searchCursor';
import { InvalidInputError } from './serviceErrors';
import type { ServiceMetrics } from './serviceMetrics';
import type { SimilarityIndex } from '../similarity/similarityIndex';
import { bestFirst, rankByWords, type WordMatch } from './wordRanking';

/**
 * The bounds of one search, whatever the size of the library: what it reads and how far it can be paged.
 * Exported for the documentation and the tests.
 */
export const SEARCH_LIMITS = {
  /** Distinct words of a query that are looked up; the rest are ignored. */
  maxTerms: 8,
  /** Postings read per word: a word in more images than this tells them apart too little to read them all. */
  postingsPerTerm: 1_000,
  /** Images ranked by embedding similarity to the query, at most, and the least similarity that counts. */
  semanticCandidates: 200,
  semanticFloor: 0.2,
  /** Results a search can page through in all. */
  maxResults: 500,
} as const;

/** How an image was found: the query words it has, in which of its fields, and whether by its embedding. */
export interface SearchMatch {
  terms: string[];
  fields: SearchField[];
  semantic: boolean;
}

/** What an image must still be to be found: not soft-deleted, not being purged, uploaded. */
const VISIBILITY_FACTS = ['created_at', 'status', 'deleted_at', 'purging_at'] as const;

type Candidate = { imageId: string; score: number; createdAt: string };

/** The form of a query its cursor and its embedding are made from: the same words in the same order. */
export function normaliseQuery(q: string): string {
  return q.normalize('NFKC').trim().replace(/\s+/gu, ' ').toLowerCase();
}

/**
 * Text search over one user's images: by words, through the inverted index (a bounded read per query word, never
 * the whole library), and, when the AI provider can embed text into its images' space, by the embedding of the
 * query (the in-memory similarity index). The two rankings are merged by Reciprocal Rank Fusion; images deleted,
 * being purged or never uploaded are dropped as they are read.
 */
export class ImageSearch {
  constructor(
    private readonly storage: Storage,
    private readonly urls: ImageUrls,
    private readonly similarity: SimilarityIndex,
    /** The provider images were embedded by; the semantic ranking runs only when it has `embedText`. */
    private readonly ai: Pick<AiProvider, 'name' | 'embedText'> | undefined,
    private readonly metrics: ServiceMetrics,
  ) {}

  /**
   * One page of the user's images that match `q` (in `field` only, when given), best first, and the cursor of the
   * next page. Each is the image as its view shows it, so that a client shows a result as it shows any image.
   */
  async search(
    userId: string,
    request: { q: string; field?: SearchField; limit: number; cursor?: string },
    apiBase: string,
  ) {
    const query = normaliseQuery(request.q);
    const terms = [...new Set(tokenize(query))].slice(0, SEARCH_LIMITS.maxTerms);
    if (terms.length === 0) {
      throw new InvalidInputError(
        'q',
        'has no word to search for (words of two or more letters or digits, not "the", "and"...)',
      );
    }
    const fingerprint = searchFingerprint(userId, query, request.field);
    const offset =
      request.cursor === undefined ? 0 : decodeSearchCursor(request.cursor, fingerprint, SEARCH_LIMITS.maxResults);

    const [byWords, bySemantics] = await Promise.all([
      this.rankByWords(userId, terms, request.field),
      // The meaning of a query is of no one field: a search restricted to one is by its words only.
      request.field ? [] : this.rankBySemantics(userId, query),
    ]);
    const ranked = await this.visible(userId, this.fuse(byWords, bySemantics));
    const page = ranked.slice(offset, offset + request.limit);
    // Read whole only for the page; one deleted since the ranking was read is left out.
    const pageRecords = await this.storage.images.getMany(
      userId,
      page.map((candidate) => candidate.imageId),
    );
    const records = new Map(pageRecords.map((record) => [record.image_id, record]));
    const words = new Map(byWords.map((match) => [match.imageId, match]));
    const semantic = new Set(bySemantics);
    const items = await Promise.all(
      page.flatMap((candidate) => {
        const record = records.get(candidate.imageId);
        if (!record || !isFindable(record)) return [];
        const match: SearchMatch = {
          terms: words.get(candidate.imageId)?.terms ?? [],
          fields: words.get(candidate.imageId)?.fields ?? [],
          semantic: semantic.has(candidate.imageId),
        };
        return [
          imageView(record, this.urls, apiBase).then((view) => ({
            ...view,
            // As a preview names it (the smallest thumbnail), which clients of the search read before it answered
            // whole images.
            thumbnail_url: view.thumbnails[0]?.url,
            score: Number(candidate.score.toFixed(6)),
            matched: match,
          })),
        ];
      }),
    );
    const next = offset + request.limit;
    return { items, nextCursor: next < ranked.length ? encodeSearchCursor(next, fingerprint) : undefined };
  }

  /**
   * BM25 over a bounded read of each word's postings; with a field, over the postings of words in that field only
   * (their weight stays the word's in the whole image: a posting holds no weight per field).
   */
  private async rankByWords(userId: string, terms: string[], field?: SearchField): Promise<WordMatch[]> {
    const read = await Promise.all(
      terms.map((term) => this.storage.searchTerms.postings(userId, term, SEARCH_LIMITS.postingsPerTerm)),
    );
    const postings = field
      ? read.map((each) =>
          each
            .filter((posting) => posting.fields.includes(field))
            .map((posting): Posting => ({ ...posting, fields: [field] })),
        )
      : read;
    return rankByWords(
      new Map<string, Posting[]>(terms.map((term, index) => [term, postings[index]!])),
      SEARCH_LIMITS.postingsPerTerm,
    );
  }

  /**
   * The user's images nearest to the embedded query, best first; none when the provider cannot embed text. A
   * provider that fails (down, rate-limited) leaves the search to words alone rather than failing it: it is
   * counted, so an operator sees it.
   */
  private async rankBySemantics(userId: string, query: string): Promise<string[]> {
    if (!this.ai?.embedText) return [];
    let vector: number[];
    try {
      vector = await this.ai.embedText(query);
    } catch {
      this.metrics.searchWithoutEmbedding();
      return [];
    }
    const nearest = await this.similarity.nearestToVector(userId, this.ai.name, vector, {
      limit: SEARCH_LIMITS.semanticCandidates,
      floor: SEARCH_LIMITS.semanticFloor,
    });
    return nearest.map((neighbour) => neighbour.imageId);
  }

  /** Both rankings merged by RRF, best first (ties newest first as far as the postings tell), bounded. */
  private fuse(byWords: WordMatch[], bySemantics: string[]): Candidate[] {
    const words = byWords.slice(0, SEARCH_LIMITS.maxResults);
    const createdAt = new Map(words.map((match) => [match.imageId, match.createdAt]));
    const scores = reciprocalRankFusion([words.map((match) => match.imageId), bySemantics]);
    return [...scores]
      .map(([imageId, score]) => ({ imageId, score, createdAt: createdAt.get(imageId) ?? '' }))
      .sort(bestFirst)
      .slice(0, SEARCH_LIMITS.maxResults);
  }

  /**
   * The candidates whose images can still be found, read in batches of their few visibility facts, ordered again
   * with their creation times (vector-only candidates had none): the list every page of the search is cut from.
   */
  private async visible(userId: string, candidates: Candidate[]): Promise<Candidate[]> {
    const facts = await this.storage.images.getMany(
      userId,
      candidates.map((candidate) => candidate.imageId),
      [...VISIBILITY_FACTS],
    );
    const findable = new Map(facts.filter(isFindable).map((fact) => [fact.image_id, fact.created_at]));
    return candidates
      .filter((candidate) => findable.has(candidate.imageId))
      .map((candidate) => ({ ...candidate, createdAt: findable.get(candidate.imageId)! }))
      .sort(bestFirst);
  }
}

function isFindable(record: Pick<ImageRecord, (typeof VISIBILITY_FACTS)[number]>): boolean {
  return !record.deleted_at && !record.purging_at && record.status !== 'awaiting_upload';
}
