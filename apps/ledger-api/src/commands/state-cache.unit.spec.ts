import { StateCache } from './state-cache';

describe('StateCache', () => {
  const owner = {};
  const folded = (revision: number) => ({ state: { revision }, revision, position: revision + 1 });

  it('returns a fold only to the decider that made it', () => {
    const cache = new StateCache();
    cache.set('s', owner, folded(3));
    expect(cache.get('s', owner)).toEqual(folded(3));
    expect(cache.get('s', {})).toBeUndefined();
    cache.forget('s');
    expect(cache.get('s', owner)).toBeUndefined();
  });

  it('keeps at most maxStreams, dropping the least recently used', () => {
    const cache = new StateCache(2);
    cache.set('a', owner, folded(0));
    cache.set('b', owner, folded(0));
    cache.get('a', owner);
    cache.set('c', owner, folded(0));
    expect(cache.size).toBe(2);
    expect(cache.get('b', owner)).toBeUndefined();
    expect(cache.get('a', owner)).toBeDefined();
    expect(cache.get('c', owner)).toBeDefined();
  });
});
