import type { FaceRepresentation } from '@facex/contracts';
import { framePairs, identitySimilarity } from './training-samples';

/** A representation that carries only what pairing reads: the identity embedding. */
function person(...identity: number[]): FaceRepresentation {
  const norm = Math.hypot(...identity);
  return { identity: Float32Array.from(identity, (v) => v / norm) } as unknown as FaceRepresentation;
}

describe('frame pairs of a clip', () => {
  const a = person(1, 0, 0);
  const aTurned = person(0.9, 0.3, 0);
  const b = person(0, 1, 0);

  it('pairs frames of the same person at least minGap apart, both ways, skipping frames without a face', () => {
    const pairs = framePairs([a, null, aTurned, b, a], { minGap: 2, minSimilarity: 0.6, limit: 100 });
    expect(pairs).toEqual([
      [0, 2],
      [0, 4],
      [2, 0],
      [2, 4],
      [4, 0],
      [4, 2],
    ]);
    expect(identitySimilarity(a, b)).toBeCloseTo(0);
  });

  it('keeps at most `limit` pairs, spread over the clip', () => {
    const frames = Array.from({ length: 10 }, () => a);
    const pairs = framePairs(frames, { minGap: 1, minSimilarity: 0.6, limit: 5 });
    expect(pairs).toHaveLength(5);
    expect(new Set(pairs.map(([i]) => i)).size).toBe(5);
  });
});
