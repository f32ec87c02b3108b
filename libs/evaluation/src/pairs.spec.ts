import { FacexError } from '@facex/contracts';
import { orderedPairs } from './pairs';
import { sheetPairs } from './sheet-pairs';

describe('orderedPairs', () => {
  it('lists every ordered pair of distinct people once, nearest offsets first', () => {
    const pairs = orderedPairs(4);
    expect(pairs).toHaveLength(12);
    expect(pairs.slice(0, 4)).toEqual([
      { source: 0, target: 1 },
      { source: 1, target: 2 },
      { source: 2, target: 3 },
      { source: 3, target: 0 },
    ]);
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

describe('sheetPairs', () => {
  const pose = (yaw: number, pitch = 0, roll = 0) => ({ yaw, pitch, roll });
  const poses = [pose(0), pose(60), pose(-50), pose(5), pose(10, 20)];

  it('shows the largest pose gaps first, each person once as source and once as target, then the evaluated pairs not yet shown', () => {
    const evaluated = orderedPairs(poses.length, 6);
    const rows = sheetPairs(poses, 'pairs', evaluated, 6);
    // 1→2 and 2→1 (110°); every larger gap left involves 1 or 2 again, so the third is 0→4 (22°, the lower source of a tie).
    expect(rows.slice(0, 3)).toEqual([
      { source: 1, target: 2 },
      { source: 2, target: 1 },
      { source: 0, target: 4 },
    ]);
    expect(rows.slice(3)).toEqual([
      { source: 0, target: 1 },
      { source: 2, target: 3 },
      { source: 3, target: 4 },
    ]);
  });

  it('shows the most turned heads first when each person is edited alone', () => {
    const rows = sheetPairs(
      poses,
      'people',
      poses.map((_, i) => ({ source: i, target: i })),
      4,
    );
    expect(rows).toEqual([
      { source: 1, target: 1 },
      { source: 2, target: 2 },
      { source: 0, target: 0 },
      { source: 3, target: 3 },
    ]);
  });
});
