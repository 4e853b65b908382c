import { RecentlyStored } from '../../src/activities/recentlyStored';

describe('RecentlyStored', () => {
  const bytes = (length: number) => Buffer.alloc(length, 1);
  const recentBuffers = (maxBytes: number) => new RecentlyStored<Buffer>(maxBytes, (data) => data.length);

  it('keeps what fits in its byte budget, dropping the least recently stored first', () => {
    const recent = recentBuffers(100);
    recent.remember('a', bytes(40));
    recent.remember('b', bytes(40));
    recent.remember('c', bytes(40));
    expect(recent.get('a')).toBeUndefined();
    expect(recent.get('b')).toHaveLength(40);
    expect(recent.get('c')).toEqual(bytes(40));
  });

  it('counts a key stored again once, and keeps nothing larger than the whole budget', () => {
    const recent = recentBuffers(100);
    recent.remember('a', bytes(60));
    recent.remember('a', bytes(60));
    recent.remember('b', bytes(40));
    expect(recent.get('a')).toBeDefined();
    recent.remember('huge', bytes(101));
    expect(recent.get('huge')).toBeUndefined();
    expect(recent.get('b')).toBeDefined();
  });
});
