import { MESH_POINTS } from '@facex/contracts';
import type { RgbImage } from '@facex/imaging';
import { CANONICAL_FACE, MESH_ANNOTATIONS } from '../topology';
import { mouthFrame, openingOf } from '../mouth-opening';

/** The canonical face on a 512 px crop (x, y per point), its mouth about 90 px wide. */
export function cropMesh(): Float32Array {
  const points = new Float32Array(MESH_POINTS * 2);
  for (let i = 0; i < MESH_POINTS; i++) {
    points[2 * i] = 256 + 60 * CANONICAL_FACE[3 * i];
    points[2 * i + 1] = 200 + 60 * CANONICAL_FACE[3 * i + 1];
  }
  return points;
}

/** The mesh with its inner lips closed on the corners' line, then the lower one lowered by `by` crop pixels in the middle. */
export function parted(mesh: Float32Array, by: number): Float32Array {
  const out = Float32Array.from(mesh);
  const inner = MESH_ANNOTATIONS.lipsLowerInner;
  const lineY = (out[2 * inner[0] + 1] + out[2 * inner[inner.length - 1] + 1]) / 2;
  for (const i of MESH_ANNOTATIONS.lipsUpperInner) out[2 * i + 1] = lineY;
  inner.forEach((i, k) => (out[2 * i + 1] = lineY + by * Math.sin((Math.PI * k) / (inner.length - 1))));
  return out;
}

/** A 512 px crop of one colour. */
export function plain(colour: readonly number[]): RgbImage {
  return { data: new Uint8Array(512 * 512 * 3).map((_, k) => colour[k % 3]), width: 512, height: 512 };
}

/**
 * `skin` with the mouth of `points` open: `teeth` from its upper inner lip down to `teethDepth` crop pixels
 * (across the mouth), `cavity` below, the whole box between the inner lips' extremes painted (the lips are skin).
 */
export function openMouthCrop(
  points: Float32Array,
  skin: readonly number[],
  teeth: readonly number[],
  cavity: readonly number[],
  teethDepth: number,
): RgbImage {
  const crop = plain(skin);
  const opening = openingOf(points);
  const { place } = mouthFrame(opening);
  for (let y = 0; y < 512; y++)
    for (let x = 0; x < 512; x++) {
      const { along, depth } = place(x, y);
      if (Math.abs(along) > opening.width / 2 || depth < -2 || depth > opening.gap + 2) continue;
      crop.data.set(depth <= teethDepth ? teeth : cavity, 3 * (y * 512 + x));
    }
  return crop;
}
