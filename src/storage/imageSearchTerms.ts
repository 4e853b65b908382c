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
  // words its class goes by beyond its name count less again (CLASS_WORDS).
  labels: 1.5,
  // Per kind of object, times the detector's score for its surest one, as labels are weighted (and their words).
  objects: 1.5,
};

/**
 * The words a label or a kind of object adds beyond its name's: its class's other names and the words of its
 * hypernyms, each weighed by how far up they are (src/contracts/classWords.ts), so that "cat" finds a photo labelled
 * "Egyptian cat", "animal" finds cats and dogs, and "people" a person, below the images whose owner called them so.
 * Every word is a posting, one DynamoDB write each time the image is indexed, so an image gets the weightiest only:
 * those that weigh at least `minWeight` summed over its labels and objects (a label at 10 % gives its class's other
 * names 0.15; one at 80 % gives a word three steps up 0.61), and of them at most `max` that its other words do not
 * index already: at most 10 writes more per image.
 */
export const CLASS_WORDS = { minWeight: 0.15, max: 10 };

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
  for (const { term, field, weight } of classWords(record, byTerm)) add(term, field, weight);
  const order = (field: SearchField) => SEARCH_FIELDS.indexOf(field);
  for (const entry of byTerm.values()) entry.fields.sort((a, b) => order(a) - order(b));
  return { terms: [...byTerm.values()], length };
}

/**
 * The words the labels' and the objects' classes add beyond their names (CLASS_WORDS), weightiest first, each in the
 * field of what brought it; `indexed`, the image's other words.
 */
function classWords(record: Pick<ImageRecord, 'labels' | 'objects'>, indexed: ReadonlyMap<string, unknown>) {
  const found: Array<['labels' | 'objects', string, number]> = [
    ...(record.labels ?? []).map(({ name, probability }): ['labels', string, number] => ['labels', name, probability]),
    ...(record.objects ?? []).map(({ name, score }): ['objects', string, number] => ['objects', name, score]),
  ];
  const weights = new Map<string, Map<'labels' | 'objects', number>>();
  for (const [field, name, sureness] of found) {
    const own = new Set(tokenize(name));
    // Two of a class's words can make one term ("glasses" is "glass"): it counts once, at its nearest.
    const ofClass = new Map<string, number>();
    for (const { word, weight } of wordsOf(name)) {
      for (const term of tokenize(word)) {
        const weighed = SEARCH_FIELD_WEIGHTS[field] * sureness * weight;
        if (!own.has(term)) ofClass.set(term, Math.max(ofClass.get(term) ?? 0, weighed));
      }
    }
    for (const [term, weight] of ofClass) {
      const byField = weights.get(term) ?? new Map<'labels' | 'objects', number>();
      weights.set(term, byField.set(field, (byField.get(field) ?? 0) + weight));
    }
  }
  const total = (byField: Map<string, number>) => [...byField.values()].reduce((sum, weight) => sum + weight, 0);
  let added = 0;
  return [...weights]
    .filter(([, byField]) => total(byField) >= CLASS_WORDS.minWeight)
    .sort((a, b) => total(b[1]) - total(a[1]))
    .flatMap(([term, byField]) => {
      if (!indexed.has(term)) {
        if (added === CLASS_WORDS.max) return [];
        added++;
      }
      return [...byField].map(([field, weight]) => ({ term, field, weight }));
    });
}
