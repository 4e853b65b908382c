import table from './classWords.json';

/**
 * The plain words each class a vision provider names goes by, from WordNet (classWords.json, written by
 * scripts/generateClassWords.ts): its other names, and the words of its hypernyms, nearest first ("tabby": cat,
 * animal, feline, mammal). Search indexes them beside a label's own words, so "cat" finds an Egyptian cat; the vision
 * provider says and names clusters with them. In contracts because both storage and the AI providers read it.
 */

/** A word a class goes by, and how much of what the class says of an image it says. */
export interface ClassWord {
  word: string;
  /** 0 for the class's other names, n for a hypernym n steps up (counting the steps that give words). */
  distance: number;
  /** HYPERNYM_DECAY ** distance: 1 for its other names. */
  weight: number;
}

/**
 * How much of its weight a word keeps for each step up the hypernyms. A word further up still names what is in the
 * photo (a tabby is a cat and an animal) but says less of it: at 0.8 a class's own "cat" (a tiger cat's) outweighs a
 * tabby's "cat" one step up, while "animal" two or three steps up keeps half its weight or more, so that a search for
 * "animal" ranks cats and dogs by how sure the provider was of them rather than by how deep WordNet files them.
 */
export const HYPERNYM_DECAY = 0.8;

const WORDS_BY_DISTANCE = new Map<string, string[][]>(Object.entries(table.classes));

/** The words a class goes by beside its name, nearest first; none for a name the table does not know. */
export function wordsOf(className: string): ClassWord[] {
  return (WORDS_BY_DISTANCE.get(className) ?? []).flatMap((words, distance) =>
    words.map((word) => ({ word, distance, weight: HYPERNYM_DECAY ** distance })),
  );
}

let classCounts: Map<string, number> | undefined;

/** How many classes go by a word, as their name or one of their words: the fewer, the more specific the word. */
export function classesCalled(word: string): number {
  if (!classCounts) {
    classCounts = new Map();
    for (const [name, levels] of WORDS_BY_DISTANCE) {
      for (const each of new Set([name.toLowerCase(), ...levels.flat()])) {
        classCounts.set(each, (classCounts.get(each) ?? 0) + 1);
      }
    }
  }
  return classCounts.get(word) ?? 0;
}
