import { HYPERNYM_DECAY } from '../../src/contracts/classWords';
import type { ImageRecord } from '../../src/storage/imageRecord';
import { imageSearchTerms, CLASS_WORDS, SEARCH_FIELD_WEIGHTS } from '../../src/storage/imageSearchTerms';

/** The words of an image that has only these fields (no tags, an empty file name). */
const termsOf = (fields: Partial<ImageRecord>) => imageSearchTerms({ tags: [], filename: '', ...fields });

/**
 * What a label or a kind of object adds to the words an image is found by: its class's other names and hypernyms,
 * within bounds.
 */
describe('the words of classes', () => {
  const weightOf = (terms: ReturnType<typeof termsOf>['terms'], term: string) =>
    terms.find((each) => each.term === term)?.weight;

  it("adds its class's words, weighed by the label's probability and how far up they are", () => {
    const { terms, length } = termsOf({ labels: [{ name: 'Egyptian cat', probability: 0.8 }] });
    const label = SEARCH_FIELD_WEIGHTS.labels * 0.8;
    // Its own words as before; "cat", one of them, not counted twice.
    expect(weightOf(terms, 'egyptian')).toBeCloseTo(label, 10);
    expect(weightOf(terms, 'cat')).toBeCloseTo(label, 10);
    expect(weightOf(terms, 'animal')).toBeCloseTo(label * HYPERNYM_DECAY, 10);
    expect(weightOf(terms, 'feline')).toBeCloseTo(label * HYPERNYM_DECAY ** 2, 10);
    expect(weightOf(terms, 'mammal')).toBeCloseTo(label * HYPERNYM_DECAY ** 3, 10);
    expect(terms.find((each) => each.term === 'animal')!.fields).toEqual(['labels']);
    expect(length).toBeCloseTo(
      terms.reduce((sum, term) => sum + term.weight, 0),
      10,
    );
  });

  it('sums what several labels say of one word', () => {
    const { terms } = termsOf({
      labels: [
        { name: 'tabby', probability: 0.4 },
        { name: 'tiger cat', probability: 0.3 },
      ],
    });
    const decayed = SEARCH_FIELD_WEIGHTS.labels * HYPERNYM_DECAY;
    expect(weightOf(terms, 'animal')).toBeCloseTo(decayed * 0.4 + decayed * 0.3, 10);
    // The tiger cat's own "cat", and the tabby's one step up.
    expect(weightOf(terms, 'cat')).toBeCloseTo(SEARCH_FIELD_WEIGHTS.labels * 0.3 + decayed * 0.4, 10);
  });

  it('adds only the weightiest words, at most CLASS_WORDS.max that the image has not already', () => {
    const { terms } = termsOf({
      title: 'Coffee break',
      labels: [
        { name: 'sports car', probability: 0.4 },
        { name: 'golden retriever', probability: 0.3 },
        { name: 'espresso', probability: 0.2 },
        { name: 'daisy', probability: 0.1 },
      ],
    });
    const ownWords = ['coffee', 'break', 'sport', 'car', 'golden', 'retriever', 'espresso', 'daisy'];
    const added = terms.map(({ term }) => term).filter((term) => !ownWords.includes(term));
    expect(added).toHaveLength(CLASS_WORDS.max);
    expect(added).toEqual(
      expect.arrayContaining(['automobile', 'vehicle', 'transport', 'dog', 'canine', 'animal', 'java']),
    );
    // Lighter than the ten: left out.
    for (const term of ['beverage', 'drink', 'mammal', 'food']) expect(added).not.toContain(term);
    // Below the floor: a label at 10 % says too little of "flower" one step up.
    expect(SEARCH_FIELD_WEIGHTS.labels * 0.1 * HYPERNYM_DECAY).toBeLessThan(CLASS_WORDS.minWeight);
    expect(added).not.toContain('flower');
    // A word the title has already costs no posting, and adds the label's weight to it.
    expect(weightOf(terms, 'coffee')).toBeCloseTo(
      SEARCH_FIELD_WEIGHTS.title + SEARCH_FIELD_WEIGHTS.labels * 0.2 * HYPERNYM_DECAY,
      10,
    );
    expect(terms.find((each) => each.term === 'coffee')!.fields).toEqual(['title', 'labels']);
  });

  it("adds an object's class's words to the objects field, within the same bounds", () => {
    const { terms } = termsOf({
      labels: [{ name: 'moped', probability: 0.6 }],
      objects: [
        { name: 'person', count: 2, score: 0.8 },
        { name: 'motorcycle', count: 1, score: 0.5 },
      ],
    });
    // What a search for "people" finds a person by: the tokenizer makes no "person" of it.
    expect(terms.find((each) => each.term === 'people')).toEqual({
      term: 'people',
      weight: expect.closeTo(SEARCH_FIELD_WEIGHTS.objects * 0.8, 10),
      fields: ['objects'],
    });
    // A word both say is in both fields, weighed by both; the motorcycle object's own word keeps its field first.
    const vehicle = terms.find((each) => each.term === 'vehicle')!;
    expect(vehicle.fields).toEqual(['labels', 'objects']);
    expect(terms.find((each) => each.term === 'motorcycle')!.fields).toEqual(['labels', 'objects']);
  });

  it('adds nothing for a class it has no words for', () => {
    const { terms } = termsOf({ labels: [{ name: 'crane', probability: 0.9 }] });
    expect(terms.map(({ term }) => term)).toEqual(['crane']);
  });
});
