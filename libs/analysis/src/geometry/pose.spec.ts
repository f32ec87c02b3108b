import { HeadPose, isFacexError } from '@facex/contracts';
import { CANONICAL_FACE, MIRROR_INDEX } from '../topology/mesh-data';
import { LANDMARK } from '../topology/mesh-landmarks';
import { mirrorMesh } from './mesh-points';
import { fitHead, poseFromRotation, rotationFromPose } from './pose';
import { posedFace, shiftPointsBelow } from './test-support';

const POSES: HeadPose[] = [
  { yaw: 0, pitch: 0, roll: 0 },
  { yaw: 30, pitch: 0, roll: 0 },
  { yaw: -45, pitch: 12, roll: -8 },
  { yaw: 20, pitch: -25, roll: 15 },
  { yaw: -10, pitch: 30, roll: 40 },
];

describe('fitHead', () => {
  it.each(POSES)('recovers the angles of the canonical face rotated by %p, scaled and moved, within 0.5°', (pose) => {
    const fit = fitHead(posedFace(pose, { scale: 137, x: 500, y: 410 }));
    expect(Math.abs(fit.pose.yaw - pose.yaw)).toBeLessThan(0.5);
    expect(Math.abs(fit.pose.pitch - pose.pitch)).toBeLessThan(0.5);
    expect(Math.abs(fit.pose.roll - pose.roll)).toBeLessThan(0.5);
    expect(fit.transform.scale).toBeCloseTo(137, 1);
  });

  it('returns the canonical mesh: pose, scale and position removed', () => {
    const { canonicalMesh } = fitHead(posedFace({ yaw: 25, pitch: -10, roll: 5 }, { scale: 80 }));
    for (let k = 0; k < canonicalMesh.length; k++) expect(Math.abs(canonicalMesh[k] - CANONICAL_FACE[k])).toBeLessThan(1e-3);
  });

  it('ignores an open mouth when estimating the pose', () => {
    const openMouth = shiftPointsBelow(CANONICAL_FACE, CANONICAL_FACE[3 * LANDMARK.upperLipInner + 1] + 0.01, 0.25);
    const pose = { yaw: 15, pitch: 5, roll: -5 };
    const fit = fitHead(posedFace(pose, { base: openMouth }));
    expect(Math.abs(fit.pose.yaw - pose.yaw)).toBeLessThan(0.5);
    expect(Math.abs(fit.pose.pitch - pose.pitch)).toBeLessThan(0.5);
  });

  it('flips the sign of yaw and roll, not pitch, for the mirrored image (x mirrored, left/right points swapped)', () => {
    const mesh = posedFace({ yaw: 28, pitch: 10, roll: 12 });
    const mirrored = fitHead(mirrorMesh(mesh, MIRROR_INDEX, 640)).pose;
    const original = fitHead(mesh).pose;
    expect(mirrored.yaw).toBeCloseTo(-original.yaw, 3);
    expect(mirrored.roll).toBeCloseTo(-original.roll, 3);
    expect(mirrored.pitch).toBeCloseTo(original.pitch, 3);
  });

  it('follows the documented on-screen signs: yaw > 0 moves the nose to image left, pitch > 0 moves it down', () => {
    const noseOffset = (pose: HeadPose) => {
      const mesh = posedFace(pose);
      const eyesX = (mesh[3 * LANDMARK.rightEyeOuterCorner] + mesh[3 * LANDMARK.leftEyeOuterCorner]) / 2;
      const eyesY = (mesh[3 * LANDMARK.rightEyeOuterCorner + 1] + mesh[3 * LANDMARK.leftEyeOuterCorner + 1]) / 2;
      return [mesh[3 * LANDMARK.noseTip] - eyesX, mesh[3 * LANDMARK.noseTip + 1] - eyesY];
    };
    expect(noseOffset({ yaw: 20, pitch: 0, roll: 0 })[0]).toBeLessThan(noseOffset({ yaw: 0, pitch: 0, roll: 0 })[0] - 5);
    expect(noseOffset({ yaw: 0, pitch: 20, roll: 0 })[1]).toBeGreaterThan(noseOffset({ yaw: 0, pitch: 0, roll: 0 })[1] + 5);
  });

  it('rejects a mesh of the wrong length or with NaN', () => {
    expect(() => fitHead(new Float32Array(10))).toThrow(expect.objectContaining({ code: 'invalid_representation' }));
    const bad = Float32Array.from(CANONICAL_FACE);
    bad[7] = NaN;
    let caught: unknown;
    try {
      fitHead(bad);
    } catch (error) {
      caught = error;
    }
    expect(isFacexError(caught, 'invalid_representation')).toBe(true);
  });
});

describe('rotationFromPose / poseFromRotation', () => {
  it('are inverse to each other', () => {
    for (const pose of POSES) {
      const back = poseFromRotation(rotationFromPose(pose));
      expect(back.yaw).toBeCloseTo(pose.yaw, 6);
      expect(back.pitch).toBeCloseTo(pose.pitch, 6);
      expect(back.roll).toBeCloseTo(pose.roll, 6);
    }
  });
});
