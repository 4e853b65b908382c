import { classesCalled, HYPERNYM_DECAY, wordsOf } from '../../src/contracts/classWords';
import { COCO_CLASS_NAMES } from '../../src/ai/cocoClasses';
import { CLASS_NAMES } from '../../src/ai/imageNetLabels';
import { runToExit } from '../harness/entryPoint';

/** The words of a class, nearest first, without their weights. */
const words = (className: string) => wordsOf(className).map(({ word }) => word);

/**
 * The committed word table (src/contracts/classWords.json) is what scripts/generateClassWords.ts writes from WordNet
 * now: a table or a class list changed without `npm run words:generate` fails here. (The generator runs in a process
 * of its own, as npm runs it.) And what it holds is what search and the vision provider count on.
 */
describe('the class words', () => {
  it('are what the generator writes from WordNet', async () => {
    const { code, output } = await runToExit('scripts/generateClassWords.ts', { ...process.env }, ['--check']);
    expect(output).toContain('the committed class words are what WordNet gives');
    expect(code).toBe(0);
  }, 60_000);

  it('cover every ImageNet and COCO class by the name the project gives it', () => {
    const unknown = [...CLASS_NAMES, ...COCO_CLASS_NAMES].filter((name) => classesCalled(name.toLowerCase()) === 0);
    expect(unknown).toEqual([]);
    // The names that stand for two synsets keep only the words both share: none for the bird and the machine.
    expect(words('crane')).toEqual([]);
  });

  it('give a class its plain words, nearest first', () => {
    expect(words('tabby')).toEqual(expect.arrayContaining(['cat', 'feline', 'animal']));
    expect(words('Egyptian cat')).toContain('cat');
    expect(words('golden retriever')).toEqual(expect.arrayContaining(['retriever', 'dog', 'animal']));
    expect(words('golden retriever').indexOf('retriever')).toBeLessThan(words('golden retriever').indexOf('dog'));
    expect(words('sports car')).toEqual(expect.arrayContaining(['car', 'automobile', 'vehicle']));
    expect(words('daisy')).toContain('flower');
    expect(words('ladybug')).toEqual(expect.arrayContaining(['ladybird', 'beetle', 'insect']));
    expect(words('espresso')).toEqual(expect.arrayContaining(['coffee', 'drink']));
    // COCO's names in the sense a detector means: the computer's mouse, a television set, the fruit.
    expect(words('mouse')).toContain('device');
    expect(words('tv')).toContain('television');
    expect(words('banana')).toContain('fruit');
    // "people" beside "person": the tokenizer cannot make one of the other.
    expect(words('person')).toContain('people');
  });

  it('leave out the words nobody searches photos with', () => {
    const everyWord = new Set([...CLASS_NAMES, ...COCO_CLASS_NAMES].flatMap(words));
    for (const word of ['entity', 'object', 'organism', 'artifact', 'instrumentality', 'placental', 'chordate'])
      expect(everyWord).not.toContain(word);
    // Only single words: "house cat" would make "house" find cats.
    expect([...everyWord].filter((word) => !/^\p{L}+$/u.test(word))).toEqual([]);
  });

  it('weigh a word by how far up it is', () => {
    const tabby = wordsOf('tabby');
    expect(tabby.find(({ word }) => word === 'cat')).toEqual({ word: 'cat', distance: 1, weight: HYPERNYM_DECAY });
    expect(wordsOf('ladybug')[0]).toEqual({ word: 'ladybeetle', distance: 0, weight: 1 });
    for (const { distance, weight } of tabby) expect(weight).toBeCloseTo(HYPERNYM_DECAY ** distance, 10);
    expect(wordsOf('no such class')).toEqual([]);
  });

  it('count how many classes go by a word: the fewer, the more specific', () => {
    expect(classesCalled('cat')).toBeLessThan(classesCalled('animal'));
    expect(classesCalled('dog')).toBeGreaterThan(100);
    expect(classesCalled('no such word')).toBe(0);
  });
});
