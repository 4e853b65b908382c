import { imageSearchTerms } from '../../src/storage/imageSearchTerms';
import { singular, tokenize, tokenizeFilename } from '../../src/storage/searchTokenizer';

/** The words text search indexes and looks up: the same on both sides, so a query finds what was indexed. */
describe('search tokenizer', () => {
  it('lower-cases, folds accents and splits on anything that is not a letter or a digit', () => {
    expect(tokenize('Café CRÈME, São-Paulo/Zürich; naïve!')).toEqual([
      'cafe',
      'creme',
      'sao',
      'paulo',
      'zurich',
      'naive',
    ]);
    expect(tokenize('ｆｕｌｌｗｉｄｔｈ Ünïcödé')).toEqual(['fullwidth', 'unicode']);
    expect(tokenize('東京 タワー 2024')).toEqual(['東京', 'タワー', '2024']);
  });

  it('drops one-character words and stop words', () => {
    expect(tokenize('a dog in the park, x y z')).toEqual(['dog', 'park']);
    expect(tokenize('The and of to')).toEqual([]);
  });

  it('reduces English plurals to their singular, leaving words that only end in s', () => {
    expect(tokenize('dogs receipts boxes dishes berries glasses tones')).toEqual([
      'dog',
      'receipt',
      'box',
      'dish',
      'berry',
      'glass',
      'tone',
    ]);
    for (const word of ['bus', 'glass', 'analysis', 'cactus', 'gas', 'pies']) {
      expect(singular(word)).toBe(word === 'pies' ? 'pie' : word);
    }
    expect(singular('300x200s')).toBe('300x200s'); // not a word of letters: left alone
  });

  it('splits file names on separators and camelCase humps, without their extension', () => {
    expect(tokenizeFilename('beachSunset_2024-07.JPG')).toEqual(['beach', 'sunset', '2024', '07']);
    expect(tokenizeFilename('IMG_1234.jpeg')).toEqual(['img', '1234']);
    expect(tokenizeFilename('HTMLParserDogs.webp')).toEqual(['html', 'parser', 'dog']);
    expect(tokenizeFilename('my.holiday.photos.png')).toEqual(['my', 'holiday', 'photo']);
  });

  it('drops "words" too long to be typed', () => {
    expect(tokenize(`${'f'.repeat(65)} short`)).toEqual(['short']);
  });

  it('weighs each word by the fields it is in', () => {
    const { terms, length } = imageSearchTerms({
      title: 'Dog on the beach',
      tags: ['dogs', 'Summer'],
      filename: 'beach_dog.jpg',
      description: 'My dog',
      ai_description: 'A bright landscape image dominated by blue tones.',
    });
    const dog = terms.find((term) => term.term === 'dog')!;
    expect(dog.weight).toBe(3 + 3 + 2 + 1.5);
    expect(dog.fields).toEqual(['title', 'tags', 'filename', 'description']);
    expect(terms.find((term) => term.term === 'blue')).toEqual({ term: 'blue', weight: 1, fields: ['ai_description'] });
    expect(length).toBe(terms.reduce((sum, term) => sum + term.weight, 0));
  });
});
