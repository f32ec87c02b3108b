/**
 * Region planes of a representation and the similarity between the aligned crops of two inputs. Both crops
 * are canonical, but the two faces still differ in shape and residual pose, so one face's regions are carried
 * into the other's crop by the least-squares similarity between their landmarks, not taken as they are.
 */
import { MASK_SIZE, MESH_POINTS, REGION_NAMES, type Affine2D, type FaceRepresentation, type RegionName } from '@facex/contracts';
import { composeAffine, createMask, fitSimilarity, scaleAffine, unionInto, type MaskPlane } from '@facex/imaging';

const PLANE = MASK_SIZE * MASK_SIZE;

/** One region's mask on the 256 px crop (a view, not a copy). */
export function regionMask(rep: FaceRepresentation, region: RegionName): MaskPlane {
  const offset = REGION_NAMES.indexOf(region) * PLANE;
  return { data: rep.masks.subarray(offset, offset + PLANE), width: MASK_SIZE, height: MASK_SIZE };
}

/** The union of several regions' masks on the 256 px crop (a new plane), one pass over each plane. */
export function regionsUnion(rep: FaceRepresentation, regions: readonly RegionName[]): MaskPlane {
  const union = createMask(MASK_SIZE, MASK_SIZE);
  const [first, ...rest] = new Set(regions);
  if (first === undefined) return union;
  union.data.set(regionMask(rep, first).data);
  for (const region of rest) unionInto(union, regionMask(rep, region));
  return union;
}

/** The landmarks' x, y in the 512 px aligned crop, interleaved. */
function landmarksInCrop(rep: FaceRepresentation): Float64Array {
  const [a, b, tx, c, d, ty] = rep.alignment.matrix;
  const out = new Float64Array(MESH_POINTS * 2);
  for (let i = 0; i < MESH_POINTS; i++) {
    const x = rep.landmarks[i * 3],
      y = rep.landmarks[i * 3 + 1];
    out[i * 2] = a * x + b * y + tx;
    out[i * 2 + 1] = c * x + d * y + ty;
  }
  return out;
}

/** Similarity taking `from`'s 512 px aligned crop onto `to`'s, fitted on the mesh points. */
export function cropToCrop(from: FaceRepresentation, to: FaceRepresentation): Affine2D {
  return fitSimilarity(landmarksInCrop(from), landmarksInCrop(to), MESH_POINTS);
}

/** The same similarity between the 256 px mask crops (conjugated by the ½ scale). */
export function maskCropToMaskCrop(from: FaceRepresentation, to: FaceRepresentation): Affine2D {
  return composeAffine(scaleAffine(0.5), composeAffine(cropToCrop(from, to), scaleAffine(2)));
}
