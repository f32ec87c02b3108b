import { MASK_SIZE, MESH_POINTS } from '@facex/contracts';
import type { FaceFeatures } from './donor-features';
import { donorId, maskOverlap, rankDonors, selectDonor, shapeDistance, type DonorCandidate, type DonorQuery } from './select-donor';

const HASH = (n: number) => n.toString(16).padStart(64, '0');

/** A unit identity vector along axis `axis` (different axes: different people). */
function identity(axis: number): Float32Array {
  const v = new Float32Array(256);
  v[axis] = 1;
  return v;
}

function features(overrides: Partial<FaceFeatures> = {}): FaceFeatures {
  const mesh = new Float32Array(MESH_POINTS * 3);
  for (let i = 0; i < MESH_POINTS; i++) {
    mesh[3 * i] = Math.cos(i);
    mesh[3 * i + 1] = Math.sin(i);
    mesh[3 * i + 2] = (i % 7) / 7;
  }
  return {
    pose: { yaw: 0, pitch: 0, roll: 0 },
    canonicalMesh: mesh,
    skinLab: [60, 15, 20],
    skinDetail: 20,
    light: [0, -0.3, 0.5],
    mouthOpen: 0,
    eyeOpen: 1,
    identity: identity(0),
    hair: new Uint8Array(MASK_SIZE * MASK_SIZE),
    ...overrides,
  };
}

function candidate(n: number, overrides: Partial<FaceFeatures> = {}): DonorCandidate {
  return { id: donorId(HASH(n), 0), features: features({ identity: identity(n), ...overrides }) };
}

function query(overrides: Partial<DonorQuery> = {}): DonorQuery {
  return { target: features({ identity: identity(100) }), exclude: [{ sha256: HASH(99), faceIndex: 0 }], points: [], regions: ['nose'], ...overrides };
}

describe('selectDonor', () => {
  it('never picks the face itself (photo hash + face index), even when it is the exact match', () => {
    const self: DonorCandidate = { id: donorId(HASH(99), 0), features: query().target };
    const other = candidate(1, { pose: { yaw: 20, pitch: 0, roll: 0 } });
    expect(selectDonor([self, other], query())?.id).toBe(other.id);
    // Another face of the same photo may donate.
    const sibling: DonorCandidate = { id: donorId(HASH(99), 1), features: { ...query().target, identity: identity(7) } };
    expect(selectDonor([self, other, sibling], query())?.id).toBe(sibling.id);
  });

  it('leaves out the same person saved under another hash (identity embedding)', () => {
    const samePerson = candidate(2, { identity: query().target.identity });
    const other = candidate(3, { skinLab: [40, 10, 10] });
    expect(selectDonor([samePerson, other], query())?.id).toBe(other.id);
    expect(selectDonor([samePerson], query())).toBeUndefined();
  });

  it('prefers the nearer pose, skin colour and shape', () => {
    const turned = candidate(1, { pose: { yaw: 30, pitch: 0, roll: 0 } });
    const frontal = candidate(2, { pose: { yaw: 5, pitch: 0, roll: 0 } });
    expect(selectDonor([turned, frontal], query())?.id).toBe(frontal.id);

    const pale = candidate(1, { skinLab: [80, 5, 10] });
    const close = candidate(2, { skinLab: [62, 14, 22] });
    expect(selectDonor([pale, close], query())?.id).toBe(close.id);

    const stretched = features().canonicalMesh.map((v, i) => (i % 3 === 0 ? v * 1.3 : v));
    const alike = features().canonicalMesh.map((v, i) => (i % 3 === 0 ? v * 1.05 : v));
    expect(selectDonor([candidate(1, { canonicalMesh: stretched }), candidate(2, { canonicalMesh: alike })], query())?.id).toBe(candidate(2).id);
  });

  it('prefers a donor lit from the same side', () => {
    const otherSide = candidate(1, { light: [0, -0.3, -0.5] });
    const sameSidePale = candidate(2, { light: [0, -0.25, 0.45], skinLab: [66, 15, 20] });
    expect(selectDonor([otherSide, sameSidePale], query())?.id).toBe(sameSidePale.id);
  });

  it('prefers a donor as sharp as the photo', () => {
    const blurred = candidate(1, { skinDetail: 4 });
    const alike = candidate(2, { skinDetail: 25, skinLab: [63, 15, 20] });
    expect(selectDonor([blurred, alike], query())?.id).toBe(alike.id);
  });

  it('compares shape only at the points of the regenerated area', () => {
    const mesh = features().canonicalMesh.slice();
    for (let i = 100; i < 200; i++) mesh[3 * i] += 0.5;
    expect(shapeDistance(features().canonicalMesh, mesh, [1, 2, 3, 4])).toBeCloseTo(0, 6);
    expect(shapeDistance(features().canonicalMesh, mesh, [101, 102, 103, 4])).toBeGreaterThan(0.1);
    expect(shapeDistance(features().canonicalMesh, mesh, [])).toBeGreaterThan(0.1);
  });

  it('matches mouth openness for the lips and eye openness for the eyes only', () => {
    const open = candidate(1, { mouthOpen: 0.3, skinLab: [60, 15, 20] });
    const closedPale = candidate(2, { mouthOpen: 0, skinLab: [66, 15, 20] });
    expect(selectDonor([open, closedPale], query({ regions: ['lips'] }))?.id).toBe(closedPale.id);
    expect(selectDonor([open, closedPale], query({ regions: ['nose'] }))?.id).toBe(open.id);

    const shut = candidate(1, { eyeOpen: 0.3 });
    const openEyesPale = candidate(2, { eyeOpen: 1, skinLab: [66, 15, 20] });
    expect(selectDonor([shut, openEyesPale], query({ regions: ['eyes'] }))?.id).toBe(openEyesPale.id);
  });

  it('matches the hair masks for the hair', () => {
    const hairOf = (rows: number) => {
      const m = new Uint8Array(MASK_SIZE * MASK_SIZE);
      m.fill(255, 0, rows * MASK_SIZE);
      return m;
    };
    const target = features({ identity: identity(100), hair: hairOf(60) });
    const short = candidate(1, { hair: hairOf(10) });
    const similarPale = candidate(2, { hair: hairOf(55), skinLab: [66, 15, 20] });
    expect(maskOverlap(hairOf(60), hairOf(30))).toBeCloseTo(0.5, 6);
    expect(selectDonor([short, similarPale], query({ target, regions: ['hair'] }))?.id).toBe(similarPale.id);
  });

  it('is deterministic: the same ranking whatever the order, ties broken by id', () => {
    const candidates = [1, 2, 3, 4, 5].map((n) => candidate(n, { pose: { yaw: (n % 3) * 5, pitch: 0, roll: 0 } }));
    const ranked = rankDonors(candidates, query()).map((score) => score.id);
    expect(rankDonors([...candidates].reverse(), query()).map((score) => score.id)).toEqual(ranked);
    // Candidates 3 and 6 tie on every criterion: the smaller id goes first.
    const tied = rankDonors([candidate(6), candidate(3)], query());
    expect(tied[0].cost).toBe(tied[1].cost);
    expect(tied.map((score) => score.id)).toEqual([candidate(3).id, candidate(6).id]);
  });
});
