/**
 * The words text search indexes and looks up: the same function on both sides, so a query finds what an image's
 * text was indexed under. Deliberately light (no dictionary, no language detection): lower case, accents folded
 * (NFKD, combining marks dropped: "Café" is "cafe"), split on anything that is not a letter or a digit in any
 * script, words of one character and common English stop words dropped, and English plurals reduced to their
 * singular ("dogs" is "dog", "boxes" is "box", "berries" is "berry"), which is most of what users mean by "the
 * same word" in photo titles and tags.
 */

/** Words too common to tell images apart; a query of only these has nothing to search for. */
const STOP_WORDS = new Set(
  (
    'a an and are as at be but by for from has have he her his in into is it its of on or our she so than that the ' +
    'their them then there these they this to was we were what when where which who will with you your'
  ).split(' '),
);

// Longer "words" are hashes, encoded data or run-together junk, not something anyone types into a search box; they
// would only make long keys.
const MAX_TOKEN_LENGTH = 64;

const COMBINING_MARKS = /\p{M}+/gu;
const NOT_LETTER_OR_DIGIT = /[^\p{L}\p{N}]+/u;
const LETTERS_ONLY = /^\p{L}+$/u;

/** "dogs" → "dog", "boxes" → "box", "berries" → "berry", "glasses" → "glass"; "bus", "glass", "analysis" stay. */
export function singular(word: string): string {
  if (word.length <= 3 || !LETTERS_ONLY.test(word)) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith('sses')) return word.slice(0, -2);
  if (word.endsWith('ss') || word.endsWith('us') || word.endsWith('is')) return word;
  if (/(?:sh|ch|x|z)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s')) return word.slice(0, -1);
  return word;
}

/** The searchable words of a text, in order, repeats kept (term frequency counts them). */
export function tokenize(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(COMBINING_MARKS, '')
    .toLowerCase()
    .split(NOT_LETTER_OR_DIGIT)
    .filter((token) => token.length > 1 && token.length <= MAX_TOKEN_LENGTH && !STOP_WORDS.has(token))
    .map(singular);
}

// An extension is what follows the last dot: a few letters or digits (".jpg", ".jpeg", ".webp", ".heic").
const EXTENSION = /\.[\p{L}\p{N}]{1,5}$/u;

/**
 * The words of a file name: its extension dropped, split on separators ("_", "-", ".", spaces) and at camelCase
 * humps ("beachSunset_2024.JPG" is "beach", "sunset", "2024"), then as `tokenize`.
 */
export function tokenizeFilename(filename: string): string[] {
  const stem = filename.replace(EXTENSION, '');
  const humps = stem.replace(/(\p{Ll}|\p{N})(\p{Lu})/gu, '$1 $2').replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, '$1 $2');
  return tokenize(humps);
}
