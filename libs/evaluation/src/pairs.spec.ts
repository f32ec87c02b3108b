import { FacexError } from '@facex/contracts';
import { orderedPairs } from './pairs';

describe('orderedPairs', () => {
  it('lists every ordered pair of distinct people once, nearest offsets first', () => {
    const pairs = orderedPairs(4);
    expect(pairs).toHaveLength(12);
    expect(pairs.slice(0, 4)).toEqual([{ source: 0, target: 1 }, { source: 1, target: 2 }, { source: 2, target: 3 }, { source: 3, target: 0 }]);
    expect(new Set(pairs.map((p) => `${p.source}-${p.target}`)).size).toBe(12);
    expect(pairs.every((p) => p.source !== p.target)).toBe(true);
  });

  it('caps the list and keeps its order', () => {
    expect(orderedPairs(22, 30)).toEqual(orderedPairs(22).slice(0, 30));
  });

  it('refuses fewer than two people', () => {
    expect(() => orderedPairs(1)).toThrow(FacexError);
  });
});
