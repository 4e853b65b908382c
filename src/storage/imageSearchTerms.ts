import { wordsOf } from '../contracts/classWords';
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
  // Per label, times its probability: a class the provider is sure of counts as much as the owner's description. The
  // words its class goes by beyond its name count less again (LABEL_WORDS).
  labels: 1.5,
  // Per kind of object, times the detector's score for its surest one, as labels are weighted.
  objects: 1.5,
};

/**
 * The words a label adds beyond its name's: its class's other names and the words of its hypernyms, each weighed
 * by how far up they are (src/contracts/classWords.ts), so that "cat" finds a photo labelled "Egyptian cat" and
 * "animal" finds cats and dogs, below the images whose owner called them so. Every word is a posting, one DynamoDB
 * write each time the image is indexed, so an image gets the weightiest only: those that weigh at least `minWeight`
 * summed over its labels (a label at 10 % gives its class's other names 0.15; one at 80 % gives a word three steps
 * up 0.61), and of them at most `max` that its other words do not index already: at most 10 writes more per image.
 */
export const LABEL_WORDS = { minWeight: 0.15, max: 10 };

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
  const add = (term: string, field: SearchField, weight: number) => {
    let entry = byTerm.get(term);
    if (!entry) byTerm.set(term, (entry = { term, weight: 0, fields: [] }));
    entry.weight += weight;
    if (!entry.fields.includes(field)) entry.fields.push(field);
    length += weight;
  };
  for (const [field, tokens, weight] of fieldTokens(record)) {
    for (const term of tokens) add(term, field, weight);
  }
  for (const { term, weight } of labelWords(record.labels ?? [], byTerm)) add(term, 'labels', weight);
  return { terms: [...byTerm.values()], length };
}

/** The words the labels add beyond their names (LABEL_WORDS), weightiest first; `indexed`, the image's other words. */
function labelWords(labels: NonNullable<ImageRecord['labels']>, indexed: ReadonlyMap<string, unknown>) {
  const weights = new Map<string, number>();
  for (const { name, probability } of labels) {
    const own = new Set(tokenize(name));
    // Two of a class's words can make one term ("glasses" is "glass"): it counts once, at its nearest.
    const ofLabel = new Map<string, number>();
    for (const { word, weight } of wordsOf(name)) {
      for (const term of tokenize(word)) {
        const weighed = SEARCH_FIELD_WEIGHTS.labels * probability * weight;
        if (!own.has(term)) ofLabel.set(term, Math.max(ofLabel.get(term) ?? 0, weighed));
      }
    }
    for (const [term, weight] of ofLabel) weights.set(term, (weights.get(term) ?? 0) + weight);
  }
  let added = 0;
  return [...weights]
    .filter(([, weight]) => weight >= LABEL_WORDS.minWeight)
    .sort((a, b) => b[1] - a[1])
    .flatMap(([term, weight]) => {
      if (!indexed.has(term)) {
        if (added === LABEL_WORDS.max) return [];
        added++;
      }
      return [{ term, weight }];
    });
}
