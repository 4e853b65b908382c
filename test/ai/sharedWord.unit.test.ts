import { sharedWord } from '../../src/ai/sharedWord';

/** The word a group of classes goes by, that the vision provider names a cluster with. */
describe('sharedWord', () => {
  it('is the most specific everyday word more than half of them share', () => {
    expect(sharedWord(['tabby', 'Egyptian cat', 'tiger cat'])).toBe('cat');
    expect(sharedWord(['golden retriever', 'beagle'])).toBe('dog');
    // Everyday words first: a cat and a dog are animals, though both are (less plainly) mammals.
    expect(sharedWord(['tabby', 'beagle'])).toBe('animal');
    expect(sharedWord(['daisy', "yellow lady's slipper"])).toBe('flower');
  });

  it('is a class itself when more than half are that class', () => {
    expect(sharedWord(['espresso', 'espresso', 'tabby'])).toBe('espresso');
    expect(sharedWord(['Egyptian cat', 'Egyptian cat', 'tabby'])).toBe('Egyptian cat');
  });

  it('is another word when no everyday word or class is shared by more than half', () => {
    expect(sharedWord(['banjo', 'cello'])).toBe('instrument');
  });

  it('is none when no word is shared by more than half', () => {
    expect(sharedWord(['espresso', 'tabby'])).toBeUndefined();
    expect(sharedWord(['espresso', 'tabby', 'sports car', 'daisy'])).toBeUndefined();
  });
});
