/** Small pieces of English the offline providers write descriptions and cluster names with. */

/** "a" or "an" by how the word sounds at its start (a vowel letter, save the "eu"/"one"/"uni" exceptions). */
export function withArticle(phrase: string): string {
  const an = /^[aeiou]/i.test(phrase) && !/^(eu|one|uni|use|usu)/i.test(phrase);
  return `${an ? 'an' : 'a'} ${phrase}`;
}

/** Plurals no rule makes, by the last word of a phrase: those the detector's COCO classes need. */
const IRREGULAR_PLURALS = new Map([
  ['person', 'people'],
  ['mouse', 'mice'],
  ['knife', 'knives'],
  ['sheep', 'sheep'],
]);

/** Nouns that are plural already, counted in pairs ("a pair of skis"): COCO's "skis" and "scissors". */
const PAIRS = new Set(['skis', 'scissors']);

const lastWord = (phrase: string) => phrase.slice(phrase.lastIndexOf(' ') + 1);

/** The plural of a noun phrase's last word ("tabby cat" → "tabby cats", "person" → "people"). */
export function plural(phrase: string): string {
  const last = lastWord(phrase);
  const irregular = IRREGULAR_PLURALS.get(last.toLowerCase());
  if (irregular) return phrase.slice(0, -last.length) + irregular;
  if (PAIRS.has(last.toLowerCase())) return phrase;
  if (/(s|x|z|ch|sh)$/i.test(phrase)) return `${phrase}es`;
  if (/[^aeiou]y$/i.test(phrase)) return `${phrase.slice(0, -1)}ies`;
  return `${phrase}s`;
}

/** So many of a thing: "a cat", "2 cats", "2 people", "a pair of skis", "3 pairs of scissors". */
export function counted(phrase: string, count: number): string {
  if (PAIRS.has(lastWord(phrase).toLowerCase()))
    return count === 1 ? `a pair of ${phrase}` : `${count} pairs of ${phrase}`;
  return count === 1 ? withArticle(phrase) : `${count} ${plural(phrase)}`;
}

/** Phrases in a list: "a cat", "a cat and a dog", "a cat, a dog and 2 people". */
export function listed(phrases: string[]): string {
  return phrases.length <= 1 ? (phrases[0] ?? '') : `${phrases.slice(0, -1).join(', ')} and ${phrases.at(-1)}`;
}

/** The phrase with its first letter in capitals. */
export function capitalised(phrase: string): string {
  return phrase.charAt(0).toUpperCase() + phrase.slice(1);
}
