import { MESH_POINTS } from '@facex/contracts';
import type { RgbImage } from '@facex/imaging';
import { drawMouthInterior } from './mouth-interior';
import { CANONICAL_FACE, LANDMARK, MESH_ANNOTATIONS } from './topology';

/** The canonical face on a 512 px crop (x, y per point), its mouth about 90 px wide. */
function cropMesh(): Float32Array {
  const points = new Float32Array(MESH_POINTS * 2);
  for (let i = 0; i < MESH_POINTS; i++) {
    points[2 * i] = 256 + 60 * CANONICAL_FACE[3 * i];
    points[2 * i + 1] = 200 + 60 * CANONICAL_FACE[3 * i + 1];
  }
  return points;
}

/** The mesh with its inner lips closed on the corners' line, then the lower one lowered by `by` crop pixels in the middle. */
function parted(mesh: Float32Array, by: number): Float32Array {
  const out = Float32Array.from(mesh);
  const inner = MESH_ANNOTATIONS.lipsLowerInner;
  const lineY = (out[2 * inner[0] + 1] + out[2 * inner[inner.length - 1] + 1]) / 2;
  for (const i of MESH_ANNOTATIONS.lipsUpperInner) out[2 * i + 1] = lineY;
  inner.forEach((i, k) => (out[2 * i + 1] = lineY + by * Math.sin((Math.PI * k) / (inner.length - 1))));
  return out;
}

describe('drawMouthInterior', () => {
  const red: RgbImage = { data: new Uint8Array(512 * 512 * 3).map((_, k) => (k % 3 === 0 ? 200 : 60)), width: 512, height: 512 };
  const centre = (mesh: Float32Array) => {
    const [u, l] = [LANDMARK.upperLipInner, LANDMARK.lowerLipInner];
    return [Math.round((mesh[2 * u] + mesh[2 * l]) / 2), Math.round((mesh[2 * u + 1] + mesh[2 * l + 1]) / 2)];
  };

  it('draws a dark cavity, not the lips, into a mouth it opens when the frame shows its lips barely apart', () => {
    const mesh = cropMesh();
    const [right, left] = [MESH_ANNOTATIONS.lipsLowerInner[0], MESH_ANNOTATIONS.lipsLowerInner[MESH_ANNOTATIONS.lipsLowerInner.length - 1]];
    const innerWidth = Math.abs(mesh[2 * left] - mesh[2 * right]);
    // Apart by 6 % of the mouth's width: where the lips meet, no interior (below MIN_FRAME_OPENING).
    const frame = parted(mesh, 0.06 * innerWidth);
    const output = parted(mesh, 30);
    const out = drawMouthInterior(red, red, frame, output);
    // Just below the upper lip, where the frame's thin gap would have been carried.
    const [x, y] = [Math.round(output[2 * LANDMARK.upperLipInner]), Math.round(output[2 * LANDMARK.upperLipInner + 1] + 4)];
    expect(out.data[3 * (y * 512 + x)]).toBeLessThan(80);
  });

  it('leaves a mouth the edit does not open as the frame shows it, lips barely apart included', () => {
    const mesh = parted(cropMesh(), 3);
    const out = drawMouthInterior(red, red, mesh, mesh);
    expect(Buffer.compare(out.data, red.data)).toBe(0);
  });

  it("keeps an opening mouth's teeth with the upper lip and opens the cavity below them, not a second row read from the lower lip", () => {
    const frame = parted(cropMesh(), 20);
    const output = parted(cropMesh(), 50);
    // The frame's opening is all teeth: FORD's inner lips lie on the upper teeth's edge in a smile.
    const teeth: RgbImage = { data: new Uint8Array(512 * 512 * 3).fill(230), width: 512, height: 512 };
    const out = drawMouthInterior(red, teeth, frame, output);
    const [x, upper, lower] = [Math.round(output[2 * LANDMARK.upperLipInner]), output[2 * LANDMARK.upperLipInner + 1], output[2 * LANDMARK.lowerLipInner + 1]];
    expect(out.data[3 * (Math.round(upper + 5) * 512 + x)]).toBe(230);
    expect(out.data[3 * (Math.round(lower - 5) * 512 + x)]).toBeLessThan(80);
  });

  it("carries the frame's interior into the opening when the frame's mouth is open", () => {
    const frame = parted(cropMesh(), 30);
    const output = parted(cropMesh(), 40);
    const out = drawMouthInterior(red, red, frame, output);
    const [x, y] = centre(output);
    expect(out.data[3 * (y * 512 + x)]).toBe(200);
  });
});
