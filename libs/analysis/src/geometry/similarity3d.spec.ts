import { CANONICAL_FACE } from '../topology/mesh-data';
import { rotationFromPose } from './pose';
import { applySimilarity3D, fitSimilarity3D, invertSimilarity3D } from './similarity3d';

describe('fitSimilarity3D', () => {
  const truth = { rotation: rotationFromPose({ yaw: 40, pitch: -20, roll: 70 }), scale: 3.5, translation: [10, -4, 2] as [number, number, number] };
  const target = applySimilarity3D(truth, CANONICAL_FACE);

  it('recovers a known rotation, scale and translation', () => {
    const fit = fitSimilarity3D(CANONICAL_FACE, target);
    fit.rotation.forEach((v, k) => expect(v).toBeCloseTo(truth.rotation[k], 5));
    expect(fit.scale).toBeCloseTo(3.5, 4);
    fit.translation.forEach((v, k) => expect(v).toBeCloseTo(truth.translation[k], 3));
  });

  it('uses only the listed points, so outliers elsewhere do not matter', () => {
    const corrupted = Float32Array.from(target);
    for (let k = 0; k < 30; k++) corrupted[k] += 50;
    const indices = Array.from({ length: 400 }, (_, i) => i + 60);
    expect(fitSimilarity3D(CANONICAL_FACE, corrupted, indices).scale).toBeCloseTo(3.5, 3);
    expect(Math.abs(fitSimilarity3D(CANONICAL_FACE, corrupted).scale - 3.5)).toBeGreaterThan(0.01);
  });

  it('never returns a reflection, even for a mirrored target', () => {
    const mirrored = Float32Array.from(target);
    for (let i = 0; i < mirrored.length; i += 3) mirrored[i] = -mirrored[i];
    const r = fitSimilarity3D(CANONICAL_FACE, mirrored).rotation;
    const det = r[0] * (r[4] * r[8] - r[5] * r[7]) - r[1] * (r[3] * r[8] - r[5] * r[6]) + r[2] * (r[3] * r[7] - r[4] * r[6]);
    expect(det).toBeCloseTo(1, 6);
  });

  it('is undone by invertSimilarity3D', () => {
    const back = invertSimilarity3D(truth, target);
    back.forEach((v, k) => expect(v).toBeCloseTo(CANONICAL_FACE[k], 4));
  });

  it('rejects degenerate input with a typed error', () => {
    expect(() => fitSimilarity3D(new Float32Array(9), new Float32Array(9))).toThrow(expect.objectContaining({ code: 'invalid_representation' }));
    expect(() => fitSimilarity3D(new Float32Array(9), new Float32Array(6))).toThrow(/equally long/);
  });
});
