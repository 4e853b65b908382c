/** Small pieces of English the offline providers write descriptions and cluster names with. */

/** "a" or "an" by how the word sounds at its start (a vowel letter, save the "eu"/"one"/"uni" exceptions). */
export function withArticle(phrase: string): string {
  const an = /^[aeiou]/i.test(phrase) && !/^(eu|one|uni|use|usu)/i.test(phrase);
  return `${an ? 'an' : 'a'} ${phrase}`;
}

/** The plural of a noun phrase's last word, for cluster names ("tabby cat" → "tabby cats"). */
export function plural(phrase: string): string {
  if (/(s|x|z|ch|sh)$/i.test(phrase)) return `${phrase}es`;
  if (/[^aeiou]y$/i.test(phrase)) return `${phrase.slice(0, -1)}ies`;
  return `${phrase}s`;
}

/** The phrase with its first letter in capitals. */
export function capitalised(phrase: string): string {
  return phrase.charAt(0).toUpperCase() + phrase.slice(1);
}
