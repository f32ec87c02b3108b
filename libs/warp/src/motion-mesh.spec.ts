import { motionStateOf, type MotionState } from '@facex/contracts';
import { deformCanonical, LID_FOLLOW, lidsFollowGaze } from './motion-mesh';
import { CANONICAL_FACE, expressionDescriptor, LANDMARK, MESH_ANNOTATIONS } from './topology';

const readState = (canonical: Float32Array): MotionState =>
  motionStateOf({
    pose: { yaw: 0, pitch: 0, roll: 0 },
    expression: expressionDescriptor(canonical),
    gaze: { left: { offsetX: 0, offsetY: 0, yaw: 0, pitch: 0 }, right: { offsetX: 0, offsetY: 0, yaw: 0, pitch: 0 } },
  });
const drop = (from: Float32Array, to: Float32Array, i: number) => to[3 * i + 1] - from[3 * i + 1];

describe('deformCanonical: mouthOpen', () => {
  const wanted = { ...readState(CANONICAL_FACE), mouthOpen: 0.25 };
  const opened = deformCanonical(CANONICAL_FACE, wanted, new Set<keyof MotionState>(['mouthOpen']));

  it('opens a closed mouth by the lower lip alone: the upper lip and the lip corners stay', () => {
    for (const i of [...MESH_ANNOTATIONS.lipsUpperOuter, ...MESH_ANNOTATIONS.lipsUpperInner, LANDMARK.rightMouthCorner, LANDMARK.leftMouthCorner])
      expect(drop(CANONICAL_FACE, opened, i)).toBeCloseTo(0, 6);
    expect(drop(CANONICAL_FACE, opened, LANDMARK.lowerLipInner)).toBeCloseTo(0.25, 2);
  });

  it('parts the inner lips in a lens: full in the middle, less toward the corners, nothing at them', () => {
    const inner = MESH_ANNOTATIONS.lipsLowerInner;
    const drops = inner.map((i) => drop(CANONICAL_FACE, opened, i));
    const middle = inner.indexOf(LANDMARK.lowerLipInner);
    expect(drops[0]).toBeCloseTo(0, 6);
    expect(drops[drops.length - 1]).toBeCloseTo(0, 6);
    for (let k = 1; k <= middle; k++) expect(drops[k]).toBeGreaterThan(drops[k - 1]);
    for (let k = middle + 1; k < drops.length; k++) expect(drops[k]).toBeLessThan(drops[k - 1]);
  });

  it('carries the chin down with the jaw', () => {
    const chin = 152;
    expect(drop(CANONICAL_FACE, opened, chin)).toBeGreaterThan(0.2);
  });
});

describe('deformCanonical: eyeOpen', () => {
  const upperLine = [LANDMARK.leftEyeOuterCorner, ...MESH_ANNOTATIONS.leftEyeUpper0, LANDMARK.leftEyeInnerCorner];
  const lower = MESH_ANNOTATIONS.leftEyeLower0;
  /** The lower lid's y at x on a mesh (its points joined by straight lines). */
  const lowerAt = (m: Float32Array, at: number) => {
    const points = [...lower].sort((a, b) => m[3 * a] - m[3 * b]);
    for (let k = 1; k < points.length; k++) {
      const [a, b] = [points[k - 1], points[k]];
      if (at >= m[3 * a] && at <= m[3 * b]) return m[3 * a + 1] + ((at - m[3 * a]) * (m[3 * b + 1] - m[3 * a + 1])) / (m[3 * b] - m[3 * a]);
    }
    return NaN;
  };

  // 1e-3 inter-ocular distances: a fifth of a pixel on the crop.
  it.each([0, 0.05, 0.3])('closes an eye to %s with the lids meeting, never crossing beside the middle', (openness) => {
    const closed = deformCanonical(CANONICAL_FACE, { ...readState(CANONICAL_FACE), eyeOpenLeft: openness }, new Set<keyof MotionState>(['eyeOpenLeft']));
    expect(readState(closed).eyeOpenLeft).toBeCloseTo(openness, 3);
    for (const i of upperLine) expect(closed[3 * i + 1]).toBeLessThanOrEqual(lowerAt(closed, closed[3 * i]) + 1e-3);
  });
});

describe('lidsFollowGaze', () => {
  const upperLid = LANDMARK.leftEyeUpperLid,
    lowerLid = LANDMARK.leftEyeLowerLid;
  const corners = [LANDMARK.leftEyeOuterCorner, LANDMARK.leftEyeInnerCorner];

  it('lowers both lids of an eye that looks down, the upper one as far as the iris travels and the lower one less', () => {
    const down = lidsFollowGaze(CANONICAL_FACE, 'left', 0, 10);
    const half = Math.abs(CANONICAL_FACE[3 * corners[1]] - CANONICAL_FACE[3 * corners[0]]) / 2;
    const travel = 0.84 * half * Math.sin(10 / (180 / Math.PI));
    const middle = (i: number) => 1 - ((CANONICAL_FACE[3 * i] - (CANONICAL_FACE[3 * corners[0]] + CANONICAL_FACE[3 * corners[1]]) / 2) / half) ** 2;
    expect(drop(CANONICAL_FACE, down, upperLid)).toBeCloseTo(LID_FOLLOW.upper * travel * middle(upperLid), 5);
    expect(drop(CANONICAL_FACE, down, lowerLid)).toBeGreaterThan(0);
    expect(drop(CANONICAL_FACE, down, lowerLid)).toBeLessThan(drop(CANONICAL_FACE, down, upperLid));
    for (const c of corners) expect(drop(CANONICAL_FACE, down, c)).toBe(0);
  });

  it('lifts them for a look up, leaves the other eye, and changes nothing when the pitch does not change', () => {
    const up = lidsFollowGaze(CANONICAL_FACE, 'left', 5, -5);
    expect(drop(CANONICAL_FACE, up, upperLid)).toBeLessThan(0);
    expect(drop(CANONICAL_FACE, up, LANDMARK.rightEyeUpperLid)).toBe(0);
    expect(lidsFollowGaze(CANONICAL_FACE, 'left', 7, 7)).toBe(CANONICAL_FACE);
  });
});
