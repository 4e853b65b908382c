import type { ImageRecord } from './imageRecord';
import { tokenize, tokenizeFilename } from './searchTokenizer';

/** The parts of an image that text search reads: the fields its words are taken from. */
export const SEARCH_FIELDS = [
  'title',
  'tags',
  'filename',
  'description',
  'ai_description',
  'labels',
  'objects',
] as const;
export type SearchField = (typeof SEARCH_FIELDS)[number];

/**
 * How much one occurrence of a word counts in each field: what the owner chose to call the image (title, tags)
 * says most about it, the file name a good deal, their own description more than the pipeline's.
 */
export const SEARCH_FIELD_WEIGHTS: Record<SearchField, number> = {
  title: 3,
  tags: 3,
  filename: 2,
  description: 1.5,
  ai_description: 1,
  // Per label, times its probability: a class the provider is sure of counts as much as the owner's description.
  labels: 1.5,
  // Per kind of object, times the detector's score for its surest one, as labels are weighted.
  objects: 1.5,
};

/** One word of an image, as its posting stores it. */
export interface ImageTerm {
  term: string;
  /** Σ over fields of the field's weight × the word's occurrences there. */
  weight: number;
  /** The fields it occurs in, in the order of SEARCH_FIELD_WEIGHTS. */
  fields: SearchField[];
}

export interface ImageTerms {
  terms: ImageTerm[];
  /** Σ of every word's weight: the image's length for BM25's length normalisation. */
  length: number;
}

/**
 * Words a provider's description says of nearly every image (that it is an image, its size in pixels): they find
 * everything, so they rank nothing, and each would cost a posting, a DynamoDB write, per image. The owner's own words
 * are all kept.
 */
const CAPTION_FILLER = new Set(['image', 'picture', 'photo', 'photograph', 'pixel', 'dominated', 'tone', 'showing']);
const isCaptionWord = (token: string) => !/\d/u.test(token) && !CAPTION_FILLER.has(token);

/** The words of each field of the record, each with how much one occurrence counts there. */
function fieldTokens(record: Pick<ImageRecord, SearchField>): Array<[SearchField, string[], number]> {
  const fields: Array<[SearchField, string[]]> = [
    ['title', tokenize(record.title ?? '')],
    ['tags', (record.tags ?? []).flatMap(tokenize)],
    ['filename', tokenizeFilename(record.filename ?? '')],
    ['description', tokenize(record.description ?? '')],
    ['ai_description', tokenize(record.ai_description ?? '').filter(isCaptionWord)],
  ];
  return [
    ...fields.map(([field, tokens]): [SearchField, string[], number] => [field, tokens, SEARCH_FIELD_WEIGHTS[field]]),
    // Each label's words, weighted by how probable the provider found it.
    ...(record.labels ?? []).map(({ name, probability }): [SearchField, string[], number] => [
      'labels',
      tokenize(name),
      SEARCH_FIELD_WEIGHTS.labels * probability,
    ]),
    // Each kind of object's words, weighted by how sure the detector is of it.
    ...(record.objects ?? []).map(({ name, score }): [SearchField, string[], number] => [
      'objects',
      tokenize(name),
      SEARCH_FIELD_WEIGHTS.objects * score,
    ]),
  ];
}

/** Every word an image is found by, with its weighted frequency: what the index holds for it. */
export function imageSearchTerms(record: Pick<ImageRecord, SearchField>): ImageTerms {
  const byTerm = new Map<string, ImageTerm>();
  let length = 0;
  for (const [field, tokens, weight] of fieldTokens(record)) {
    for (const term of tokens) {
      let entry = byTerm.get(term);
      if (!entry) byTerm.set(term, (entry = { term, weight: 0, fields: [] }));
      entry.weight += weight;
      if (!entry.fields.includes(field)) entry.fields.push(field);
      length += weight;
    }
  }
  return { terms: [...byTerm.values()], length };
}
