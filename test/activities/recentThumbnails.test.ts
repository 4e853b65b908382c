import { RecentThumbnails } from '../../src/activities/recentThumbnails';

describe('RecentThumbnails', () => {
  const bytes = (length: number) => Buffer.alloc(length, 1);

  it('keeps what fits in its byte budget, dropping the least recently stored first', () => {
    const recent = new RecentThumbnails(100);
    recent.remember('a', bytes(40), 'image/webp');
    recent.remember('b', bytes(40), 'image/webp');
    recent.remember('c', bytes(40), 'image/webp');
    expect(recent.get('a')).toBeUndefined();
    expect(recent.get('b')?.data).toHaveLength(40);
    expect(recent.get('c')).toEqual({ data: bytes(40), contentType: 'image/webp' });
  });

  it('counts a key stored again once, and keeps nothing larger than the whole budget', () => {
    const recent = new RecentThumbnails(100);
    recent.remember('a', bytes(60), 'image/webp');
    recent.remember('a', bytes(60), 'image/webp');
    recent.remember('b', bytes(40), 'image/webp');
    expect(recent.get('a')).toBeDefined();
    recent.remember('huge', bytes(101), 'image/webp');
    expect(recent.get('huge')).toBeUndefined();
    expect(recent.get('b')).toBeDefined();
  });
});
