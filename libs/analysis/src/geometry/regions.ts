/**
 * Soft appearance-region masks on the 256 px aligned crop (contracts MASK_SIZE), one 0…255 plane per
 * REGION_NAMES entry, plane-major. Polygons are rasterised with anti-aliased edges, so every plane is soft at
 * its borders; the person mask and the colour model bring their own soft values. How each region is derived:
 * - eyebrows: each brow's upper and lower contour as one polygon;
 * - eyes: each eye's lid contour (the visible eye opening);
 * - nose: the outline of the nose points (NOSE_POINTS' convex hull on the canonical face);
 * - lips: the outer lip line with the inner lip line cut out (even-odd);
 * - skin: the face oval (silhouette) minus eyebrows, eyes, nose, lips and the mouth opening;
 * - ears: on each side an ellipse attached to the silhouette between eye and nose-bottom height, sized by
 *   the inter-ocular distance and faded out on the far side as the head turns (ear-model.ts), times the
 *   person mask, outside the oval, times 1 − P(hair | colour) between hair and skin (hair over an ear wins);
 * - hair: on the person mask outside the oval and the ears, a per-face colour model's hair probability
 *   (hair seeded just above the forehead, skin from the skin region, CIELAB Gaussians plus an "other" class;
 *   hair-model.ts) times a spatial prior that fades with the distance from the oval (1 up to ½ inter-ocular
 *   distance, 0 from 1½): hair hanging beside the neck stays hair, while the skin-coloured neck, clothes,
 *   far shoulders and the neighbours' heads do not. A bald head or one whose hair cannot be seeded gets no
 *   hair. The colour terms are computed on a half-size grid and upsampled (hair-colour-planes.ts); the
 *   sharp edges come from the full-size person mask and oval;
 * - background: 1 − person mask.
 * Combination uses products with complements (a · (1 − b)), so the planes of skin, ears, hair and background
 * are disjoint by construction except where soft values share a pixel; the face parts are disjoint polygons.
 */
import { Affine2D, FacexError, MASK_SIZE, REGION_NAMES } from '@facex/contracts';
import { assertRgbImage, composeAffine, rasterizePolygon, RgbImage, scaleAffine } from '@facex/imaging';
import { transformPoints } from './alignment';
import { earShapes } from './ear-model';
import { FACE_POLYGONS } from './face-polygons';
import { faceFrame } from './face-frame';
import { hairColourPlanes, MIN_PERSON } from './hair-colour-planes';
import { assertMesh } from './mesh-points';
import { PersonMask, personMaskOnCrop } from './person-mask-crop';

const PLANE = MASK_SIZE * MASK_SIZE;
// A local copy: the per-pixel loop should not read an imported binding.
const MIN_CANDIDATE = MIN_PERSON;

export interface RegionInputs {
  /** MESH_POINTS × 3 mesh in image pixels. */
  mesh: Float32Array;
  /** Image → 512 px aligned crop (FaceRepresentation.alignment.matrix). */
  alignment: Affine2D;
  personMask: PersonMask;
  /** The analysed image: hair and ears are told apart from skin by colour. */
  image: RgbImage;
  /** Head yaw in degrees (HeadPose convention): the far ear fades out as the head turns. */
  yaw: number;
}

/** REGION_NAMES.length × MASK_SIZE × MASK_SIZE soft masks (0…255), plane-major. */
export function regionMasks({ mesh, alignment, personMask, image, yaw }: RegionInputs): Uint8Array {
  assertMesh(mesh);
  if (alignment.length !== 6 || !alignment.every(Number.isFinite)) {
    throw new FacexError('invalid_representation', 'alignment must be 6 finite numbers', { field: 'alignment' });
  }
  if (!Number.isFinite(yaw)) throw new FacexError('invalid_representation', 'yaw must be a finite number of degrees', { field: 'yaw' });
  assertRgbImage(image, 'image');
  const toCrop = composeAffine(scaleAffine(MASK_SIZE / 512), alignment);
  const points = transformPoints(toCrop, mesh, 3);
  const frame = faceFrame(points);
  const fill = (rings: Float64Array[], fillRule: 'nonzero' | 'evenodd' = 'nonzero'): Float32Array =>
    rasterizePolygon(rings, MASK_SIZE, MASK_SIZE, { fillRule });
  const ring = (indices: ArrayLike<number>): Float64Array => ringCoordinates(points, indices);

  const oval = fill([ring(FACE_POLYGONS.faceOval)]);
  const brows = fill([ring(FACE_POLYGONS.rightBrow), ring(FACE_POLYGONS.leftBrow)]);
  const eyes = fill([ring(FACE_POLYGONS.rightEye), ring(FACE_POLYGONS.leftEye)]);
  const nose = fill([ring(FACE_POLYGONS.nose)]);
  const lips = fill([ring(FACE_POLYGONS.lipsOuter), ring(FACE_POLYGONS.mouthInner)], 'evenodd');
  const mouth = fill([ring(FACE_POLYGONS.mouthInner)]);
  const person = personMaskOnCrop(personMask, image.width, image.height, toCrop, MASK_SIZE);

  const out = new Uint8Array(REGION_NAMES.length * PLANE);
  const plane = (name: (typeof REGION_NAMES)[number]): number => REGION_NAMES.indexOf(name) * PLANE;
  const [oBrows, oEyes, oNose, oLips, oSkin, oEars, oHair, oBackground] = [
    plane('eyebrows'),
    plane('eyes'),
    plane('nose'),
    plane('lips'),
    plane('skin'),
    plane('ears'),
    plane('hair'),
    plane('background'),
  ];
  const ovalMask = new Uint8Array(PLANE);
  for (let p = 0; p < PLANE; p++) {
    const parts = Math.max(brows[p], eyes[p], nose[p], lips[p], mouth[p]);
    out[oBrows + p] = brows[p] * 255 + 0.5;
    out[oEyes + p] = eyes[p] * 255 + 0.5;
    out[oNose + p] = nose[p] * 255 + 0.5;
    out[oLips + p] = lips[p] * 255 + 0.5;
    out[oSkin + p] = oval[p] * (1 - parts) * 255 + 0.5;
    out[oBackground + p] = (1 - person[p]) * 255 + 0.5;
    ovalMask[p] = oval[p] * 255 + 0.5;
  }

  const colour = hairColourPlanes({ image, imageToCrop: toCrop, points, person, oval, skin: out.subarray(oSkin, oSkin + PLANE), ovalMask, size: MASK_SIZE });
  const earShape = earShapes(points, frame, yaw, MASK_SIZE);
  for (let p = 0; p < PLANE; p++) {
    const candidate = person[p] * (1 - oval[p]);
    if (candidate < MIN_CANDIDATE) continue;
    const ears = earShape[p] * candidate * (1 - colour.hairOverSkin[p] / 255);
    out[oEars + p] = ears * 255 + 0.5;
    out[oHair + p] = candidate * (1 - ears) * colour.hair[p] + 0.5;
  }
  return out;
}

function ringCoordinates(points: Float32Array, indices: ArrayLike<number>): Float64Array {
  const out = new Float64Array(indices.length * 2);
  for (let k = 0; k < indices.length; k++) {
    out[2 * k] = points[3 * indices[k]];
    out[2 * k + 1] = points[3 * indices[k] + 1];
  }
  return out;
}
