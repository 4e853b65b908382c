import { PLAIN_WORDS, plainWordOf } from '../../src/ai/plainWords';
import { classesCalled } from '../../src/contracts/classWords';

/** The everyday word a description says beside a class's name. */
describe('plainWordOf', () => {
  it('is the nearest everyday word for the class', () => {
    expect(plainWordOf('golden retriever')).toBe('dog');
    expect(plainWordOf('tabby')).toBe('cat');
    expect(plainWordOf('espresso')).toBe('coffee');
    expect(plainWordOf('ladybug')).toBe('beetle');
    expect(plainWordOf('daisy')).toBe('flower');
    expect(plainWordOf('house finch')).toBe('bird'); // "finch" is in its name, but not an everyday word
    expect(plainWordOf('toy poodle')).toBe('dog'); // "toy" is in its name, but a toy poodle is no toy
  });

  it('is none when the name says it already, or says it too vaguely', () => {
    expect(plainWordOf('Egyptian cat')).toBeUndefined();
    expect(plainWordOf('sports car')).toBeUndefined();
    expect(plainWordOf('coffee mug')).toBeUndefined();
    expect(plainWordOf('scorpion')).toBeUndefined(); // an animal, which says nothing a scorpion does not
    expect(plainWordOf('crane')).toBeUndefined(); // the bird or the machine: no word is true of both
    expect(plainWordOf('no such class')).toBeUndefined();
  });

  it('are all words some class goes by', () => {
    expect([...PLAIN_WORDS].filter((word) => classesCalled(word) === 0)).toEqual([]);
  });
});
