import type { FaceRepresentation } from '@facex/contracts';
import { syntheticFace } from '@facex/assemblers/testing';
import { applyAffine } from '@facex/imaging';
import { RepresentationSmoother } from './temporal-smoothing';

/** Deterministic noise in [-1, 1]. */
function noise(i: number): number {
  const x = Math.sin(i * 12.9898) * 43758.5453;
  return (x - Math.floor(x)) * 2 - 1;
}

function withLandmarks(face: FaceRepresentation, move: (x: number, y: number, i: number) => [number, number]): FaceRepresentation {
  const landmarks = face.landmarks.slice();
  for (let i = 0; i < landmarks.length / 3; i++) [landmarks[i * 3], landmarks[i * 3 + 1]] = move(landmarks[i * 3], landmarks[i * 3 + 1], i);
  return { ...face, landmarks };
}

function meanStep(a: FaceRepresentation, b: FaceRepresentation): number {
  let sum = 0;
  for (let i = 0; i < a.landmarks.length / 3; i++) sum += Math.hypot(b.landmarks[i * 3] - a.landmarks[i * 3], b.landmarks[i * 3 + 1] - a.landmarks[i * 3 + 1]);
  return sum / (a.landmarks.length / 3);
}

describe('RepresentationSmoother', () => {
  // Masks are filtered value by value like the rest; a few of them keep this spec fast.
  const base = { ...syntheticFace().representation, masks: new Uint8Array(64) };

  it('removes most of the per-frame landmark noise of a still face', () => {
    const smoother = new RepresentationSmoother();
    const raw = Array.from({ length: 60 }, (_, t) => withLandmarks(base, (x, y, i) => [x + noise(t * 1000 + i), y + noise(t * 1000 + i + 500)]));
    const smoothed = raw.map((face, t) => smoother.smooth(face, t / 30));
    const steps = (faces: FaceRepresentation[]) => faces.slice(11).reduce((sum, face, k) => sum + meanStep(faces[k + 10], face), 0) / (faces.length - 11);
    expect(steps(smoothed)).toBeLessThan(steps(raw) / 3);
  });

  it('follows a face moving with the camera without lagging behind (the rigid motion is filtered apart)', () => {
    const smoother = new RepresentationSmoother();
    let lag = 0;
    for (let t = 0; t < 60; t++) {
      const face = withLandmarks(base, (x, y) => [x + 4 * t, y + 2 * t]);
      const smoothed = smoother.smooth(face, t / 30);
      if (t >= 20) lag = Math.max(lag, meanStep(face, smoothed));
    }
    expect(lag).toBeLessThan(2);
  });

  it('moves the alignment with the smoothed face, so the aligned crop holds the face still', () => {
    const smoother = new RepresentationSmoother();
    const crop = (face: FaceRepresentation) => applyAffine(face.alignment.matrix, face.landmarks[3], face.landmarks[4]);
    const first = smoother.smooth(base, 0);
    let smoothed = first;
    for (let t = 1; t < 30; t++)
      smoothed = smoother.smooth(
        withLandmarks(base, (x, y) => [x + 3 * t, y]),
        t / 30,
      );
    const [x0, y0] = crop(first);
    const [x1, y1] = crop(smoothed);
    expect(Math.hypot(x1 - x0, y1 - y0)).toBeLessThan(0.5);
  });
});
