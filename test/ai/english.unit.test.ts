import { counted, listed, plural, withArticle } from '../../src/ai/english';

describe('the English of the offline descriptions', () => {
  it('puts the article each word takes', () => {
    expect(['umbrella', 'apple', 'cup', 'unicycle', 'European fire salamander'].map(withArticle)).toEqual([
      'an umbrella',
      'an apple',
      'a cup',
      'a unicycle',
      'a European fire salamander',
    ]);
  });

  it('makes plurals by the rules and the plurals no rule makes, of the last word', () => {
    expect(
      ['tabby cat', 'bus', 'wine glass', 'toothbrush', 'butterfly', 'person', 'computer mouse', 'knife', 'sheep'].map(
        plural,
      ),
    ).toEqual([
      'tabby cats',
      'buses',
      'wine glasses',
      'toothbrushes',
      'butterflies',
      'people',
      'computer mice',
      'knives',
      'sheep',
    ]);
    // Already plural: as they are.
    expect(['skis', 'scissors'].map(plural)).toEqual(['skis', 'scissors']);
  });

  it('counts things, in pairs where they come in pairs, and lists them', () => {
    expect([counted('person', 1), counted('person', 2), counted('orange', 1), counted('hot dog', 3)]).toEqual([
      'a person',
      '2 people',
      'an orange',
      '3 hot dogs',
    ]);
    expect([counted('skis', 1), counted('scissors', 2)]).toEqual(['a pair of skis', '2 pairs of scissors']);
    expect([listed([]), listed(['a cat']), listed(['a cat', 'a dog']), listed(['a cat', 'a dog', '2 people'])]).toEqual(
      ['', 'a cat', 'a cat and a dog', 'a cat, a dog and 2 people'],
    );
  });
});
