import { wordsOf } from '../contracts/classWords';

/**
 * Everyday words for what is in a photo, countable ones (they take "a" and a plural): of the words WordNet gives a
 * class (src/contracts/classWords.ts), those a person would say of it, where "retriever", "canine" or "mammal" would
 * not. Descriptions say the nearest of them beside a class's name, and cluster names prefer them.
 */
export const PLAIN_WORDS: ReadonlySet<string> = new Set(
  `aircraft airplane animal ape bag ball basket bear bed beetle bicycle bird boat book boot bottle bowl box bridge
   building bus butterfly cake camera car cat chair clock coffee computer crab crocodile cup dessert dog dolphin drink
   duck eagle elephant fence fish flower fox frog fruit glove goat gun hat horse insect jar knife lamp lizard lobster
   monkey motorcycle mountain mug mushroom owl parrot penguin person phone piano pig plant rabbit salamander sandwich
   seal shark sheep ship shirt shoe shop snail snake spider squirrel swan sweater table tool toy truck turtle
   vegetable vehicle weapon whale wolf worm`.split(/\s+/),
);

/** Plain, but true of so many classes that saying it beside a class's name tells a reader nothing (a scorpion). */
const TOO_GENERAL_TO_SAY = new Set(['animal']);

/**
 * The nearest everyday word for what a class is (a golden retriever is a dog), to say beside its name; none when its
 * name says it already (a sports car, an Egyptian cat, a toy poodle's "dog" is not in its name but "toy" is not its
 * kind) or WordNet gives it none.
 */
export function plainWordOf(className: string): string | undefined {
  const named = new Set(className.toLowerCase().split(/[\s-]+/));
  const plain = wordsOf(className).filter(({ word, distance }) => distance > 0 && PLAIN_WORDS.has(word));
  if (plain.some(({ word }) => named.has(word))) return undefined;
  return plain.find(({ word }) => !TOO_GENERAL_TO_SAY.has(word))?.word;
}
