/**
 * Soft appearance-region masks on the 256 px aligned crop (contracts MASK_SIZE), one 0…255 plane per
 * REGION_NAMES entry, plane-major. Polygons are rasterised with anti-aliased edges, so every plane is soft at
 * its borders; the person mask brings its own soft values. How each region is derived:
 * - eyebrows: each brow's upper and lower contour as one polygon;
 * - eyes: each eye's lid contour (the visible eye opening);
 * - nose: the outline of the nose points (NOSE_POINTS' convex hull on the canonical face);
 * - lips: the outer lip line with the inner lip line cut out (even-odd);
 * - skin: the face oval (silhouette) minus eyebrows, eyes, nose, lips and the mouth opening;
 * - ears: beside the oval, between eye height and nose-bottom height, a band EAR_WIDTH_PER_IOD inter-ocular
 *   distances wide pushed outward along the eye line, intersected with the person mask and outside the oval;
 * - hair: the person mask minus the face oval, the ears and the neck and body: below the jaw contour (from
 *   ear level to ear level) and, across the whole crop, below the chin (along the face's vertical axis), so
 *   hair beside the face down to chin level stays hair;
 * - background: 1 − person mask.
 * Combination uses products with complements (a · (1 − b)), so the planes of skin, ears, hair and background
 * are disjoint by construction except where soft values share a pixel; the face parts are disjoint polygons.
 */
import { Affine2D, FacexError, MASK_SIZE, REGION_NAMES } from '@facex/contracts';
import { composeAffine, rasterizePolygon, scaleAffine } from '@facex/imaging';
import { CANONICAL_FACE } from '../topology/mesh-data';
import { LANDMARK, MESH_ANNOTATIONS } from '../topology/mesh-landmarks';
import { transformPoints } from './alignment';
import { FACE_POLYGONS } from './face-polygons';
import { assertMesh, eyeCentre } from './mesh-points';
import { PersonMask, personMaskOnCrop } from './person-mask-crop';

/** Width of the estimated ear band, in inter-ocular distances. */
export const EAR_WIDTH_PER_IOD = 0.35;

const PLANE = MASK_SIZE * MASK_SIZE;
const SILHOUETTE: readonly number[] = MESH_ANNOTATIONS.silhouette;

/** Silhouette points beside each eye-to-nose-bottom band, in silhouette order (top → bottom on both sides). */
const EAR_SIDES = (() => {
  const top = Math.min(CANONICAL_FACE[3 * LANDMARK.rightEyeOuterCorner + 1], 0);
  const bottom = CANONICAL_FACE[3 * LANDMARK.noseBottom + 1];
  const inBand = (i: number): boolean => CANONICAL_FACE[3 * i + 1] >= top && CANONICAL_FACE[3 * i + 1] <= bottom;
  const right = SILHOUETTE.filter((i) => inBand(i) && CANONICAL_FACE[3 * i] < 0).reverse();
  const left = SILHOUETTE.filter((i) => inBand(i) && CANONICAL_FACE[3 * i] > 0);
  return { right, left };
})();

/** The jaw contour from the left ear-level point through the chin to the right one, in silhouette order. */
const JAW_LINE = (() => {
  const start = SILHOUETTE.indexOf(EAR_SIDES.left[EAR_SIDES.left.length - 1]);
  const end = SILHOUETTE.indexOf(EAR_SIDES.right[EAR_SIDES.right.length - 1]);
  return SILHOUETTE.slice(start, end + 1);
})();

export interface RegionInputs {
  /** MESH_POINTS × 3 mesh in image pixels. */
  mesh: Float32Array;
  /** Image → 512 px aligned crop (FaceRepresentation.alignment.matrix). */
  alignment: Affine2D;
  personMask: PersonMask;
  imageWidth: number;
  imageHeight: number;
}

/** REGION_NAMES.length × MASK_SIZE × MASK_SIZE soft masks (0…255), plane-major. */
export function regionMasks({ mesh, alignment, personMask, imageWidth, imageHeight }: RegionInputs): Uint8Array {
  assertMesh(mesh);
  if (alignment.length !== 6 || !alignment.every(Number.isFinite)) {
    throw new FacexError('invalid_representation', 'alignment must be 6 finite numbers', { field: 'alignment' });
  }
  const toCrop = composeAffine(scaleAffine(MASK_SIZE / 512), alignment);
  const points = transformPoints(toCrop, mesh, 3);
  const fill = (rings: Float64Array[], fillRule: 'nonzero' | 'evenodd' = 'nonzero'): Float32Array =>
    rasterizePolygon(rings, MASK_SIZE, MASK_SIZE, { fillRule });
  const ring = (indices: ArrayLike<number>): Float64Array => ringCoordinates(points, indices);

  const oval = fill([ring(FACE_POLYGONS.faceOval)]);
  const brows = fill([ring(FACE_POLYGONS.rightBrow), ring(FACE_POLYGONS.leftBrow)]);
  const eyes = fill([ring(FACE_POLYGONS.rightEye), ring(FACE_POLYGONS.leftEye)]);
  const nose = fill([ring(FACE_POLYGONS.nose)]);
  const lips = fill([ring(FACE_POLYGONS.lipsOuter), ring(FACE_POLYGONS.mouthInner)], 'evenodd');
  const mouth = fill([ring(FACE_POLYGONS.mouthInner)]);
  const { ears: earBands, belowJaw: belowJawRing } = sidePolygons(points);
  const earBand = fill(earBands);
  const belowJaw = fill([belowJawRing]);
  const person = personMaskOnCrop(personMask, imageWidth, imageHeight, toCrop, MASK_SIZE);

  const out = new Uint8Array(REGION_NAMES.length * PLANE);
  const plane = (name: (typeof REGION_NAMES)[number]): number => REGION_NAMES.indexOf(name) * PLANE;
  const [oBrows, oEyes, oNose, oLips, oSkin, oEars, oHair, oBackground] = [
    plane('eyebrows'), plane('eyes'), plane('nose'), plane('lips'), plane('skin'), plane('ears'), plane('hair'), plane('background'),
  ];
  for (let p = 0; p < PLANE; p++) {
    const parts = Math.max(brows[p], eyes[p], nose[p], lips[p], mouth[p]);
    const outsideOval = 1 - oval[p];
    const ears = earBand[p] * person[p] * outsideOval;
    out[oBrows + p] = brows[p] * 255 + 0.5;
    out[oEyes + p] = eyes[p] * 255 + 0.5;
    out[oNose + p] = nose[p] * 255 + 0.5;
    out[oLips + p] = lips[p] * 255 + 0.5;
    out[oSkin + p] = oval[p] * (1 - parts) * 255 + 0.5;
    out[oEars + p] = ears * 255 + 0.5;
    out[oHair + p] = person[p] * outsideOval * (1 - earBand[p]) * (1 - belowJaw[p]) * 255 + 0.5;
    out[oBackground + p] = (1 - person[p]) * 255 + 0.5;
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

/** The two ear bands and the region below the jaw line, in crop pixels. */
function sidePolygons(points: Float32Array): { ears: Float64Array[]; belowJaw: Float64Array } {
  const right = eyeCentre(points, 'right');
  const left = eyeCentre(points, 'left');
  const interOcular = Math.hypot(left[0] - right[0], left[1] - right[1]) || 1;
  // Face axes in the crop: across (toward the subject's left) and down.
  const ax = (left[0] - right[0]) / interOcular;
  const ay = (left[1] - right[1]) / interOcular;
  const dx = -ay;
  const dy = ax;
  const band = (side: readonly number[], outward: number): Float64Array => {
    const push = outward * EAR_WIDTH_PER_IOD * interOcular;
    const out = new Float64Array(side.length * 4);
    side.forEach((i, k) => {
      const x = points[3 * i];
      const y = points[3 * i + 1];
      out[2 * k] = x;
      out[2 * k + 1] = y;
      const back = 2 * (2 * side.length - 1 - k);
      out[back] = x + push * ax;
      out[back + 1] = y + push * ay;
    });
    return out;
  };
  // Below the jaw: the jaw contour, then down each side to chin level, then everything below the chin across
  // the whole crop (neck, shoulders); `reach` leaves the crop whatever the roll.
  const reach = 4 * MASK_SIZE;
  const chinX = points[3 * LANDMARK.chin];
  const chinY = points[3 * LANDMARK.chin + 1];
  const atChinLevel = (i: number): [number, number] => {
    const depth = (chinX - points[3 * i]) * dx + (chinY - points[3 * i + 1]) * dy;
    return [points[3 * i] + depth * dx, points[3 * i + 1] + depth * dy];
  };
  const [rx, ry] = atChinLevel(JAW_LINE[JAW_LINE.length - 1]);
  const [lx, ly] = atChinLevel(JAW_LINE[0]);
  const jaw = new Float64Array(JAW_LINE.length * 2 + 12);
  JAW_LINE.forEach((i, k) => {
    jaw[2 * k] = points[3 * i];
    jaw[2 * k + 1] = points[3 * i + 1];
  });
  jaw.set(
    [
      rx, ry,
      rx - reach * ax, ry - reach * ay,
      rx - reach * ax + reach * dx, ry - reach * ay + reach * dy,
      lx + reach * ax + reach * dx, ly + reach * ay + reach * dy,
      lx + reach * ax, ly + reach * ay,
      lx, ly,
    ],
    JAW_LINE.length * 2,
  );
  return { ears: [band(EAR_SIDES.right, -1), band(EAR_SIDES.left, 1)], belowJaw: jaw };
}
