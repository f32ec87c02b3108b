import { Affine2D } from '@facex/contracts';
import { applyAffine, invertAffine } from '@facex/imaging';
import { alignmentFromMesh, FaceKeyPoints, ffhqAlignment, keyPointsFromMesh, transformPoints } from './alignment';
import { posedFace } from './test-support';

const UPRIGHT: FaceKeyPoints = { rightEye: [100, 100], leftEye: [200, 100], rightMouthCorner: [120, 220], leftMouthCorner: [180, 220] };

const rotateAbout = (p: readonly [number, number], degrees: number): [number, number] => {
  const [c, s] = [Math.cos((degrees * Math.PI) / 180), Math.sin((degrees * Math.PI) / 180)];
  return [300 + c * (p[0] - 150) - s * (p[1] - 150), 300 + s * (p[0] - 150) + c * (p[1] - 150)];
};

describe('ffhqAlignment', () => {
  it('follows the FFHQ recipe on an upright face (centre eye_avg + 0.1·eye_to_mouth, side 2·max(2|e2e|, 1.8|e2m|))', () => {
    const m = ffhqAlignment(UPRIGHT);
    // e2e = (100, 0), e2m = (0, 120): half side = max(200, 216) = 216, centre = (150, 112).
    expect(applyAffine(m, 150, 112)).toEqual([expect.closeTo(256, 6), expect.closeTo(256, 6)]);
    expect(applyAffine(m, 150 - 216, 112 - 216)).toEqual([expect.closeTo(0, 6), expect.closeTo(0, 6)]);
    expect(applyAffine(m, 100, 100)).toEqual([expect.closeTo(256 - (50 * 512) / 432, 6), expect.closeTo(256 - (12 * 512) / 432, 6)]);
  });

  it('is a similarity that undoes an in-plane rotation of the face', () => {
    const rotated: FaceKeyPoints = {
      rightEye: rotateAbout(UPRIGHT.rightEye, 35),
      leftEye: rotateAbout(UPRIGHT.leftEye, 35),
      rightMouthCorner: rotateAbout(UPRIGHT.rightMouthCorner, 35),
      leftMouthCorner: rotateAbout(UPRIGHT.leftMouthCorner, 35),
    };
    const a = ffhqAlignment(UPRIGHT);
    const b = ffhqAlignment(rotated);
    for (const key of Object.keys(UPRIGHT) as (keyof FaceKeyPoints)[]) {
      const [ua, va] = applyAffine(a, ...UPRIGHT[key]);
      const [ub, vb] = applyAffine(b, ...rotated[key]);
      expect(ub).toBeCloseTo(ua, 6);
      expect(vb).toBeCloseTo(va, 6);
    }
    expect(b[0]).toBeCloseTo(b[4], 9);
    expect(b[1]).toBeCloseTo(-b[3], 9);
  });

  it('scales to the requested crop size', () => {
    const half = ffhqAlignment(UPRIGHT, 256);
    const full = ffhqAlignment(UPRIGHT, 512);
    full.forEach((v, k) => expect(half[k]).toBeCloseTo(v / 2, 9));
  });

  it('rejects non-finite points and coincident eyes and mouth', () => {
    expect(() => ffhqAlignment({ ...UPRIGHT, leftEye: [NaN, 1] })).toThrow(
      expect.objectContaining({ code: 'invalid_representation', details: { field: 'leftEye' } }),
    );
    const p: [number, number] = [5, 5];
    expect(() => ffhqAlignment({ rightEye: p, leftEye: p, rightMouthCorner: p, leftMouthCorner: p })).toThrow(/cannot be aligned/);
  });
});

describe('alignmentFromMesh', () => {
  it('places the eyes of a frontal mesh level and symmetric about the crop centre', () => {
    const mesh = posedFace({ yaw: 0, pitch: 0, roll: 20 });
    const m = alignmentFromMesh(mesh);
    const keys = keyPointsFromMesh(mesh);
    const [rx, ry] = applyAffine(m, ...keys.rightEye);
    const [lx, ly] = applyAffine(m, ...keys.leftEye);
    expect(ry).toBeCloseTo(ly, 3);
    expect(rx + lx).toBeCloseTo(512, 3);
    expect(rx).toBeLessThan(lx);
  });
});

describe('transformPoints', () => {
  it('maps x, y by the matrix, scales z by its scale, and round-trips through the inverse', () => {
    const m: Affine2D = [0, -2, 10, 2, 0, 5];
    const points = Float32Array.from([1, 2, 3, -4, 0.5, 6]);
    const moved = transformPoints(m, points, 3);
    expect(Array.from(moved.subarray(0, 3))).toEqual([6, 7, 6]);
    const back = transformPoints(invertAffine(m), moved, 3);
    back.forEach((v, k) => expect(v).toBeCloseTo(points[k], 5));
  });
});
