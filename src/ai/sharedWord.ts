import { classesCalled, wordsOf } from '../contracts/classWords';
import { PLAIN_WORDS } from './plainWords';

/**
 * The word that most of a group's classes go by, to name the group: of the words more than half of them share (a
 * class's name, its other names, the words of its hypernyms: src/contracts/classWords.ts), the everyday ones
 * (PLAIN_WORDS) and class names before the rest, then the most specific (the one the fewest classes of the whole
 * vocabulary go by: "cat" before "animal"), then the one the most of them share, then a class's name. Tabbies,
 * tiger cats and Egyptian cats share "cat"; beagles and golden retrievers "dog"; a tabby and a beagle "animal".
 * Undefined when more than half share no word.
 */
export function sharedWord(classNames: string[]): string | undefined {
  const sharing = new Map<string, number>();
  for (const name of classNames) {
    for (const word of new Set([name, ...wordsOf(name).map((each) => each.word)])) {
      sharing.set(word, (sharing.get(word) ?? 0) + 1);
    }
  }
  const names = new Set(classNames);
  const preferred = (word: string) => (PLAIN_WORDS.has(word) || names.has(word) ? 0 : 1);
  const [best] = [...sharing]
    .filter(([, count]) => count > classNames.length / 2)
    .sort(
      ([a, many], [b, more]) =>
        preferred(a) - preferred(b) ||
        classesCalled(a.toLowerCase()) - classesCalled(b.toLowerCase()) ||
        more - many ||
        Number(names.has(b)) - Number(names.has(a)) ||
        (a < b ? -1 : 1),
    );
  return best?.[0];
}
