import { MESH_POINTS } from '@facex/contracts';
import { relight, shadingRatios, type RelightFaces } from './relight';
import { CANONICAL_FACE, SH_COEFFICIENTS } from './topology';

/** Ambient light plus light from the image's left (negative Y11) or right (positive). */
function lighting(fromRight: number): Float32Array {
  const out = new Float32Array(3 * SH_COEFFICIENTS);
  for (let c = 0; c < 3; c++) {
    out[c * SH_COEFFICIENTS] = 1.6;
    out[c * SH_COEFFICIENTS + 3] = 0.5 * fromRight;
  }
  return out;
}

/** The canonical face, frontal, laid over a 512 px crop (its x, y scaled about the crop's centre). */
function onCrop(): Float32Array {
  const points = new Float32Array(MESH_POINTS * 2);
  for (let i = 0; i < MESH_POINTS; i++) {
    points[2 * i] = 256 + 60 * CANONICAL_FACE[3 * i];
    points[2 * i + 1] = 256 + 60 * CANONICAL_FACE[3 * i + 1];
  }
  return points;
}

const faces = (from: number, to: number): RelightFaces => ({
  sourceMesh: CANONICAL_FACE,
  sourceLighting: lighting(from),
  outputMesh: CANONICAL_FACE,
  frameLighting: lighting(to),
  outputPoints: onCrop(),
});

describe('shadingRatios', () => {
  it('is 1 everywhere when the light and the surface stay the same', () => {
    const ratio = shadingRatios(faces(-1, -1));
    expect(ratio).not.toBeNull();
    for (const r of ratio ?? []) expect(r).toBeCloseTo(1, 5);
  });

  it('darkens the side the light leaves and brightens the side it moves to', () => {
    const ratio = shadingRatios(faces(-1, 1)) as Float32Array;
    let left = 0,
      right = 0,
      nLeft = 0,
      nRight = 0;
    for (let v = 0; v < MESH_POINTS; v++) {
      const x = CANONICAL_FACE[3 * v];
      if (x < -1) {
        left += ratio[3 * v];
        nLeft++;
      }
      if (x > 1) {
        right += ratio[3 * v];
        nRight++;
      }
    }
    expect(left / nLeft).toBeLessThan(0.95);
    expect(right / nRight).toBeGreaterThan(1.05);
  });
});

describe('relight', () => {
  const grey = { data: new Uint8Array(512 * 512 * 3).fill(128), width: 512, height: 512 };
  const everywhere = { data: new Uint8Array(512 * 512).fill(255), width: 512, height: 512 };
  const at = (image: { data: Uint8Array }, x: number, y: number) => image.data[3 * (y * 512 + x)];

  it('moves a face lit from the left to the light from the right, smoothly', () => {
    const out = relight(grey, faces(-1, 1), everywhere);
    const cheekLeft = at(out, Math.round(256 - 60 * 1.5), 256),
      cheekRight = at(out, Math.round(256 + 60 * 1.5), 256);
    expect(cheekLeft).toBeLessThan(128);
    expect(cheekRight).toBeGreaterThan(128);
    // No step between neighbouring pixels: the ratio field is smooth.
    let worst = 0;
    for (let x = 1; x < 512; x++) worst = Math.max(worst, Math.abs(at(out, x, 256) - at(out, x - 1, 256)));
    expect(worst).toBeLessThanOrEqual(3);
  });

  it('changes nothing where the weight is 0', () => {
    const nowhere = { data: new Uint8Array(512 * 512), width: 512, height: 512 };
    expect(Buffer.from(relight(grey, faces(-1, 1), nowhere).data).equals(Buffer.from(grey.data))).toBe(true);
  });
});
