/** Synthetic faces for the geometry tests: the canonical face posed, scaled and placed in an image. */
import { HeadPose } from '@facex/contracts';
import { CANONICAL_FACE } from '../topology/mesh-data';
import { rotationFromPose } from './pose';
import { applySimilarity3D } from './similarity3d';

export function posedFace(
  pose: HeadPose,
  { scale = 100, x = 320, y = 240, base = CANONICAL_FACE }: { scale?: number; x?: number; y?: number; base?: Float32Array } = {},
): Float32Array {
  return applySimilarity3D({ rotation: rotationFromPose(pose), scale, translation: [x, y, 0] }, base);
}

/** A copy of `mesh` with every point whose y is above `fromY` (below it on screen) moved down by `by`. */
export function shiftPointsBelow(mesh: Float32Array, fromY: number, by: number): Float32Array {
  const out = Float32Array.from(mesh);
  for (let i = 1; i < out.length; i += 3) if (mesh[i] > fromY) out[i] += by;
  return out;
}
