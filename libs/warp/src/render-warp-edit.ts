/**
 * The `warp` generator: renders any recipe from the assembled conditions without learned weights, in the
 * output frame's 512 px aligned crop, then pastes the crop back into the frame's full-resolution image.
 *
 * 1. The output mesh (see output-mesh.ts): identity shape, expression and pose from the inputs the recipe
 *    names, placed in the frame's crop; two rings of points around the face oval carry the warp outward.
 * 2. Base: the frame itself, warped onto the output mesh when the mesh moved (reenactment, a new face shape);
 *    beyond the rings the frame stays where it is, so the background does not move.
 * 3. Every other input that supplies regions: its crop warped onto the output mesh (piecewise affine; a
 *    triangle the input hides reads its mirror, see facing.ts). Its face part covers the frame's own face
 *    regions too (continued push-pull where it has none), is relit from its own lighting to the frame's on the
 *    output mesh's normals (see relight.ts), takes the frame's skin tone in its low band only (CIELAB), and
 *    replaces the frame outright inside the area's core; a multi-band blend joins the seam. A face swap keeps
 *    the frame's open mouth interior (teeth; mouth-interior.ts), since the output takes the frame's mouth shape.
 *    Beyond the rings it follows the similarity between the two meshes.
 * 4. Gaze: where the eye pixels and the gaze come from different inputs, the iris is moved along the eye to
 *    the gaze input's offset (see gaze-transfer.ts). A recipe's motion edit (motion-mesh.ts) moves the output
 *    mesh's pose and expression in step 1 (the lids following a vertical gaze change), sets the gaze here, has
 *    the mouth opening drawn (mouth-interior.ts; a mouth it opens on closed lips shows a face-bank donor's teeth
 *    when one is lent, and the result names that donor unless a hole's donor is named), and redraws the frame's
 *    eyeballs under lids it moves (eye-interior.ts).
 * 5. Dropped regions (inpainting, mask-out edits) are regenerated from a face-bank donor when one is given
 *    (see bank-donor.ts for its choice): the donor's crop is warped onto the output mesh by the mesh triangles
 *    (the region's own landmarks), its low band moved to the frame's skin outside the hole (CIELAB), its finest
 *    band scaled to the frame's skin detail (sharpness and grain); it fills the hole inside the output's face
 *    (and the donor's own hair and ears where those are regenerated) and is composited in the gradient domain
 *    (Poisson), so it meets the frame on the hole's edge with the frame's colour and lighting carried in. Without
 *    a donor, and outside the face (reported as the donor's coverage), each hole pixel takes the mirrored point
 *    of the face (MIRROR_INDEX through the same warp machinery) when that point lies outside the hole; what
 *    remains is filled push-pull from its surroundings; without a donor it is blended multi-band along the hole.
 * 6. Paste-back with the Region Assembler's feathered fusion mask: outside it the input is untouched. A frame
 *    warped on its own (reenactment) is pasted back only around its head, where it was and where it went, and
 *    fades out before the crop's edge: the aligned square never shows.
 * A quality flag reports the pose gap the warp had to bridge and the triangles it had to show although the
 * supplying face turns them away (occluded there, so stretched from their neighbours), with reasons (quality.ts).
 */
import {
  FACE_REGIONS,
  FacexError,
  HEAD_REGIONS,
  MASK_SIZE,
  MESH_POINTS,
  outputFrameInput,
  REGION_NAMES,
  type Affine2D,
  type DonorRef,
  type FaceRepresentation,
  type Recipe,
  type RegionName,
} from '@facex/contracts';
import {
  assembleRegionsFrom,
  CROP_SIZE,
  DEFAULT_DILATION,
  inputAt,
  regionMask,
  regionsUnion,
  resolveInputs,
  type AssemblyInput,
  type RegionAssemblerOptions,
  type ResolvedInput,
} from '@facex/assemblers';
import {
  binarizeMask,
  blendMultiBand,
  dilateDisc,
  dilateSquare,
  erodeSquare,
  nonZeroBox,
  intersectMasks,
  rasterizePolygon,
  unionMasks,
  featherMask,
  fillHoles,
  fitSimilarity,
  invertAffine,
  pasteBack,
  lowFrequencyLabStatistics,
  multiBandBox,
  poissonBlend,
  scaleFinestBand,
  subtractMasks,
  transferLowFrequencyLab,
  downsampleRgb2x,
  upsampleMask2x,
  type LabStatistics,
  type MaskPlane,
  type RgbImage,
} from '@facex/imaging';
import { fitFace, outputCanonicalMesh, outputMesh, poseGap, type FaceFit } from './output-mesh';
import { relight } from './relight';
import { degradedReasons, type WarpQuality } from './quality';
import { irisMoves, irisMovesTo, moveIrises } from './gaze-transfer';
import { planMotion, plannedIrisOffsets } from './motion-mesh';
import { drawMouthInterior } from './mouth-interior';
import type { MouthDonor } from './mouth-donor';
import { drawEyeballs } from './eye-interior';
import { sampleMaskOnMaskPlane, sampleRgb } from './sample-map';
import { visibleSourceTriangles } from './facing';
import { buildSourceMap, type SourceMap } from './source-map';
import {
  EXTENDED_MIRROR,
  EXTENDED_POINTS,
  EXTENDED_TRIANGLES,
  FACE_TRIANGLE_COUNT,
  FACE_TRIANGLES,
  FRONT_FACING_SIGN,
  signedArea,
  SILHOUETTE,
  withRings,
} from './topology';

/** A face-bank donor for the areas the edit regenerates (see bank-donor.ts). */
export interface WarpDonor {
  ref: Omit<DonorRef, 'coverage'>;
  representation: FaceRepresentation;
  /** Its 512 px aligned crop. */
  alignedCrop: RgbImage;
  /** High-frequency energy of its skin on that crop (@facex/face-bank skinDetail). */
  skinDetail: number;
  /** The same of the frame's skin outside the regenerated area, as measured when the donor was chosen. */
  frameSkinDetail: number;
}

export interface WarpOptions extends RegionAssemblerOptions {
  /** Regenerate dropped regions and inpainting holes from this donor instead of filling them. */
  donor?: WarpDonor;
  /** A mouth the edit opens on a closed-mouth frame shows this donor's teeth instead of a bare cavity (mouth-interior.ts). */
  mouthDonor?: MouthDonor;
  /**
   * The skin colour (low-band CIELAB statistics) a supplied face is matched to, in place of this frame's own: a
   * video shot's, measured once on its first frame (`WarpCrop.frameSkin`), so the match does not flicker.
   */
  frameSkin?: LabStatistics;
}

/** The edit on the frame's aligned crop, before paste-back. */
export interface WarpCrop {
  /** The edited 512 px aligned crop of the frame. */
  crop: RgbImage;
  /** The paste-back alpha on the crop (the Region Assembler's fusion mask). */
  alpha: MaskPlane;
  cropToImage: Affine2D;
  frameInput: number;
  quality: WarpQuality;
  /** The donor the regenerated area came from; null when the edit regenerated nothing or had no donor. */
  donor: DonorRef | null;
  /** The frame's skin colour a supplied face's skin was matched to; null when no skin was supplied. */
  frameSkin: LabStatistics | null;
}

export interface WarpEdit extends WarpCrop {
  /** The frame input's full image with the edit pasted in: same size, sRGB, 8-bit RGB. */
  image: RgbImage;
}

/** Levels of the blending pyramid: the coarsest band is 64 px at 512, wide enough to hide a lighting step. */
const BLEND_LEVELS = 4;
/**
 * Region masks are warped, combined and feathered at the representation's 256 px mask size (a quarter of the
 * crop's pixels; they are soft and come from 256 px masks anyway) and brought up to the crop to blend.
 * Softening of the warped region masks before blending, in mask pixels (σ ≈ 1.4 mask = 2.8 crop pixels).
 */
const LAYER_FEATHER = 1;
/**
 * The swapped area's core, where the supplied face replaces the frame outright; between core and seam the
 * multi-band blend hides the join. The area blurred by this feather radius (σ ≈ 3.5 mask = 7 crop pixels) is
 * 75 % at ≈ 4 crop pixels inside the edge and 99 % at ≈ 16: the core ramps up between the two.
 */
const CORE_RADIUS = 3;
const CORE_FROM = 0.75 * 255,
  CORE_TO = 0.99 * 255;
/** Softening of a filled hole's edge before blending, in crop pixels. */
const HOLE_FEATHER = 3;
/** Supplied pixels this far (crop pixels) around a gap in the supplied face feed its push-pull fill. */
const FILL_MARGIN = 16;
/** Colour matching moves only what is coarser than 2^6 = 64 crop pixels: lighting and skin tone, not detail. */
const COLOUR_OCTAVES = 6;
/** Radius of the closing that joins adjacent region masks, in 256 px mask pixels. */
const SEAM_CLOSING = 1;
/**
 * A warped frame is pasted back only around its head, where it was and where the output shows it, grown by this
 * margin and feathered by this radius (256 px mask pixels): hair and head masks are soft at their edge, and
 * beyond the head the warp only stretches the background, which the frame shows better unwarped.
 */
const MOVED_HEAD_MARGIN = 6,
  MOVED_HEAD_FEATHER = 4;
/** Width of the alpha's fade-out towards the crop's edge, in crop pixels. */
const CROP_EDGE_RAMP = 24;
/** Points move less than this (crop pixels) everywhere: the frame needs no warp. */
const STILL = 0.25;
const IDENTITY: Affine2D = [1, 0, 0, 0, 1, 0];

/** Depth per extended point: the rings lie behind every face point, so face triangles are drawn over them. */
function extendedDepth(depth: Float32Array): Float32Array {
  const out = new Float32Array(EXTENDED_POINTS);
  out.set(depth);
  let farthest = -Infinity;
  for (const d of depth) farthest = Math.max(farthest, d);
  out.fill(farthest + 1, MESH_POINTS);
  return out;
}

function maxDisplacement(a: Float32Array, b: Float32Array): number {
  let most = 0;
  for (let i = 0; i < MESH_POINTS * 2; i++) most = Math.max(most, Math.abs(a[i] - b[i]));
  return most;
}

/** Face triangles that face the camera at the destination but away from it in the source. */
function occludedTriangles(source: Float32Array, destination: Float32Array): number {
  let count = 0;
  for (let t = 0; t < FACE_TRIANGLE_COUNT; t++) {
    const [a, b, c] = [FACE_TRIANGLES[3 * t], FACE_TRIANGLES[3 * t + 1], FACE_TRIANGLES[3 * t + 2]];
    const sign = FRONT_FACING_SIGN[t];
    if (Math.sign(signedArea(destination, 2, a, b, c)) === sign && Math.sign(signedArea(source, 2, a, b, c)) !== sign) count++;
  }
  return count;
}

const closeMask = (mask: MaskPlane, radius: number): MaskPlane => erodeSquare(dilateSquare(mask, radius), radius);

/** The inside of the mesh's face oval (points on the crop) on the 256 px mask plane. */
function ovalMask(points: Float32Array): MaskPlane {
  const ring = SILHOUETTE.flatMap((i) => [points[2 * i] / 2, points[2 * i + 1] / 2]);
  const coverage = rasterizePolygon([ring], MASK_SIZE, MASK_SIZE);
  const data = new Uint8Array(coverage.length);
  for (let i = 0; i < data.length; i++) data[i] = coverage[i] * 255 + 0.5;
  return { data, width: MASK_SIZE, height: MASK_SIZE };
}

/** A 256 px region plane as a 512 px crop mask. */
const toCrop = upsampleMask2x;

/** The regions the recipe takes from inputs other than the frame, grouped by input; and the dropped ones. */
function regionProviders(recipe: Recipe, frame: number): { byInput: Map<number, RegionName[]>; dropped: RegionName[] } {
  const byInput = new Map<number, RegionName[]>();
  const dropped: RegionName[] = [];
  for (const region of REGION_NAMES) {
    const provider = recipe.components[region];
    if (provider === null) dropped.push(region);
    else if (provider !== frame) byInput.set(provider, [...(byInput.get(provider) ?? []), region]);
  }
  return { byInput, dropped };
}

interface Canvas {
  frame: ResolvedInput;
  destination: Float32Array;
  depth: Float32Array;
  /**
   * Inside the output mesh's face oval (256 px). A face region never reaches beyond it: where the supplying
   * face is turned away, the pixels beyond its oval belong to the face's near side, not to the background.
   */
  oval: MaskPlane;
  /** The frame crop → output map when the frame was warped onto the output mesh; null when it stayed put. */
  frameMap: SourceMap | null;
  /** The output face in 3D as the output poses it (MESH_POINTS × 3, camera frame): its normals relight. */
  surface: Float32Array;
}

/** The canonical mesh turned by a row-major rotation: only its normals are read, so scale and place do not matter. */
function rotated(canonical: Float32Array, r: FaceFit['rotation']): Float32Array {
  const out = new Float32Array(canonical.length);
  for (let i = 0; i < canonical.length; i += 3) {
    const x = canonical[i],
      y = canonical[i + 1],
      z = canonical[i + 2];
    out[i] = r[0] * x + r[1] * y + r[2] * z;
    out[i + 1] = r[3] * x + r[4] * y + r[5] * z;
    out[i + 2] = r[6] * x + r[7] * y + r[8] * z;
  }
  return out;
}

/** The frame's own `regions` where the output shows them (256 px): what a provider of those regions must cover. */
function frameRegionsOnOutput(canvas: Canvas, regions: RegionName[]): MaskPlane {
  const own = closeMask(regionsUnion(canvas.frame.representation, regions), SEAM_CLOSING);
  return canvas.frameMap ? sampleMaskOnMaskPlane(own, canvas.frameMap) : own;
}

/**
 * The paste-back alpha of a warped frame: the fusion mask inside the frame's head where it was and where the
 * output shows it (see MOVED_HEAD_MARGIN). Without it a reenactment pastes the whole aligned crop back, and
 * the rotated square's edges show through the background.
 */
function movedHeadAlpha(canvas: Canvas, fusion: MaskPlane): MaskPlane {
  if (!canvas.frameMap) return fusion;
  const head = binarizeMask(closeMask(regionsUnion(canvas.frame.representation, [...HEAD_REGIONS]), SEAM_CLOSING));
  const moved = unionMasks(head, binarizeMask(sampleMaskOnMaskPlane(head, canvas.frameMap)));
  const alpha = intersectMasks(fusion, toCrop(featherMask(dilateDisc(moved, MOVED_HEAD_MARGIN), MOVED_HEAD_FEATHER)));
  // Where the head reaches the crop's edge, the alpha fades out before it: the square's edge never shows as a line.
  const { data, width, height } = alpha;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const edge = Math.min(x, y, width - 1 - x, height - 1 - y);
      if (edge < CROP_EDGE_RAMP) data[y * width + x] = Math.round((data[y * width + x] * edge) / CROP_EDGE_RAMP);
    }
  }
  return alpha;
}

/** See CORE_RADIUS: one blur instead of an erosion and a feather. */
function coreOf(area: MaskPlane): MaskPlane {
  const wide = featherMask(area, CORE_RADIUS);
  const data = wide.data;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    data[i] = v <= CORE_FROM ? 0 : v >= CORE_TO ? 255 : ((v - CORE_FROM) * 255) / (CORE_TO - CORE_FROM) + 0.5;
  }
  return wide;
}

/** The layer inside `area` but outside `supplied` filled push-pull from the supplied pixels; elsewhere as it was. */
function continueInto(layer: RgbImage, supplied: MaskPlane, area: MaskPlane): RgbImage {
  const known = binarizeMask(supplied);
  const out = layer.data.slice();
  const { width } = layer;
  const box = nonZeroBox(area, FILL_MARGIN);
  // Nothing to fill, or nothing supplied to fill from: the layer as it is.
  if (!box || !nonZeroBox(known, 0)) return { data: out, width, height: layer.height };
  // Push-pull over the area's box only: the fill reads the supplied pixels around the gap, not the whole crop.
  const [w, h] = [box.x1 - box.x0 + 1, box.y1 - box.y0 + 1];
  const part = new Uint8Array(w * h * 3),
    partKnown = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const row = (box.y0 + y) * width + box.x0;
    part.set(layer.data.subarray(3 * row, 3 * (row + w)), 3 * y * w);
    partKnown.set(known.data.subarray(row, row + w), y * w);
  }
  const filled = fillHoles({ data: part, width: w, height: h }, { data: partKnown, width: w, height: h }).data;
  for (let y = 0; y < h; y++) {
    for (let x = 0, i = (box.y0 + y) * width + box.x0, q = y * w; x < w; x++, i++, q++) {
      if (known.data[i] !== 0 || area.data[i] === 0) continue;
      out[3 * i] = filled[3 * q];
      out[3 * i + 1] = filled[3 * q + 1];
      out[3 * i + 2] = filled[3 * q + 2];
    }
  }
  return { data: out, width, height: layer.height };
}

/**
 * A supplying face's crop → the output: mesh triangles (a hidden one reads its mirror), the rings around the
 * face, and beyond them the least-squares similarity between the two meshes.
 */
function mapOntoOutput(canvas: Canvas, fit: FaceFit): SourceMap {
  const outside = invertAffine(fitSimilarity(fit.crop, canvas.destination.subarray(0, MESH_POINTS * 2), MESH_POINTS));
  return buildSourceMap(
    {
      destination: canvas.destination,
      source: withRings(fit.crop),
      depth: canvas.depth,
      triangles: EXTENDED_TRIANGLES,
      sourceTriangles: visibleSourceTriangles(fit),
      outside,
    },
    CROP_SIZE,
    CROP_SIZE,
  );
}

/**
 * One supplying input's regions warped onto the output mesh, colour-matched (to `colour.frameSkin` when given,
 * else to the frame's own skin, which is then recorded there) and blended into `image`.
 */
function blendProvider(
  image: RgbImage,
  canvas: Canvas,
  input: ResolvedInput,
  fit: FaceFit,
  regions: RegionName[],
  colour: { frameSkin?: LabStatistics },
): RgbImage {
  const map = mapOntoOutput(canvas, fit);
  const faceRegions = regions.filter((region) => (FACE_REGIONS as readonly RegionName[]).includes(region));
  const otherRegions = regions.filter((region) => !faceRegions.includes(region));
  // Closing removes the seams where two soft region masks meet.
  const warpedRegions = (names: RegionName[]) => sampleMaskOnMaskPlane(closeMask(regionsUnion(input.representation, names), SEAM_CLOSING), map);
  // The frame's own features must go too where the supplied ones are smaller or elsewhere (no doubled brows);
  // there the supplied face is continued smoothly (push-pull) rather than showing what lies beside it.
  const supplied = faceRegions.length > 0 ? intersectMasks(warpedRegions(faceRegions), canvas.oval) : undefined;
  const face = supplied && intersectMasks(unionMasks(supplied, frameRegionsOnOutput(canvas, faceRegions)), canvas.oval);
  const other = otherRegions.length > 0 ? warpedRegions(otherRegions) : undefined;
  const where = face && other ? unionMasks(face, other) : ((face ?? other) as MaskPlane);
  const alpha = toCrop(featherMask(where, LAYER_FEATHER));
  const box = multiBandBox(alpha, BLEND_LEVELS);
  if (!box) return image;
  // The blend reads the supplied pixels inside its box only.
  const { pixels, cropToPixels } = input.pixelSource();
  let layer = sampleRgb(pixels, map, cropToPixels, box);
  if (supplied && face) {
    const faceOnCrop = toCrop(face);
    layer = continueInto(layer, toCrop(supplied), faceOnCrop);
    if (faceRegions.includes('skin')) {
      // The source's shading divided out and the frame's multiplied in, on the mesh normals; then the skin tone.
      layer = relight(
        layer,
        {
          sourceMesh: input.representation.landmarks,
          sourceLighting: input.representation.environment.lighting,
          outputMesh: canvas.surface,
          frameLighting: canvas.frame.representation.environment.lighting,
          outputPoints: canvas.destination.subarray(0, MESH_POINTS * 2),
        },
        faceOnCrop,
      );
      const skinOf = (of: ResolvedInput) =>
        lowFrequencyLabStatistics(of.maskCrop(), regionMask(of.representation, 'skin'), COLOUR_OCTAVES - 1, `inputs[${of.index}].masks.skin`);
      colour.frameSkin ??= skinOf(canvas.frame);
      layer = transferLowFrequencyLab(layer, skinOf(input), colour.frameSkin, faceOnCrop, COLOUR_OCTAVES);
    }
  }
  return blendMultiBand(image, layer, alpha, BLEND_LEVELS, toCrop(coreOf(where)));
}

/**
 * A donor's pixels for a hole: `where` (512 px, 0/255) says which hole pixels they fill, and also covers the
 * one-pixel ring outside the hole next to them, where the gradient-domain composite reads the donor against the
 * frame.
 */
interface DonorLayer {
  pixels: RgbImage;
  where: MaskPlane;
}

/** Every other pixel of a 512 px crop mask: the 256 px mask plane under it. */
function maskPlaneOf(mask: MaskPlane): MaskPlane {
  const out = new Uint8Array(MASK_SIZE * MASK_SIZE);
  for (let v = 0; v < MASK_SIZE; v++) for (let u = 0; u < MASK_SIZE; u++) out[v * MASK_SIZE + u] = mask.data[2 * v * mask.width + 2 * u];
  return { data: out, width: MASK_SIZE, height: MASK_SIZE };
}

/** Bounds of the gain on the donor's finest band: soften a sharp donor a lot, sharpen a soft one a little. */
const MIN_DETAIL_GAIN = 0.3,
  MAX_DETAIL_GAIN = 1.5;

/** Skin statistics need this many mask pixels outside the hole; fewer, and the whole skin is used. */
const MIN_SKIN_PIXELS = 200;

/** The frame's low-band skin statistics, read outside the hole where enough skin remains there. */
function frameSkinStatistics(frame: ResolvedInput, hole256: MaskPlane) {
  const skin = regionMask(frame.representation, 'skin');
  const outside = subtractMasks(skin, binarizeMask(hole256));
  return lowFrequencyLabStatistics(
    frame.maskCrop(),
    countSet(outside) >= MIN_SKIN_PIXELS ? outside : skin,
    COLOUR_OCTAVES - 1,
    `inputs[${frame.index}].masks.skin`,
  );
}

/**
 * The donor warped onto the output mesh for the hole: trusted inside the output's face oval, and on the donor's
 * own hair and ears where those are regenerated; its face part takes the frame's skin colour in the low band.
 */
function donorLayer(canvas: Canvas, donor: WarpDonor, hole: MaskPlane, hole256: MaskPlane, dropped: RegionName[]): DonorLayer | null {
  const map = mapOntoOutput(canvas, fitFace(donor.representation));
  // The face: the output's oval and the frame's face regions on it (a turned face's nose reaches past its oval).
  const face256 = binarizeMask(unionMasks(canvas.oval, frameRegionsOnOutput(canvas, [...FACE_REGIONS])));
  const beyondFace = dropped.filter((region) => region === 'hair' || region === 'ears');
  const trusted256 =
    beyondFace.length > 0
      ? unionMasks(face256, binarizeMask(sampleMaskOnMaskPlane(closeMask(regionsUnion(donor.representation, beyondFace), SEAM_CLOSING), map)))
      : face256;
  const where = intersectMasks(binarizeMask(toCrop(trusted256)), dilateSquare(hole, 1));
  if (!nonZeroBox(where, 0)) return null;
  // Sampled with a margin as wide as the colour matching's low band, so that band sees the donor's face.
  const raw = sampleRgb(donor.alignedCrop, map, IDENTITY, nonZeroBox(where, 1 << COLOUR_OCTAVES) ?? undefined);
  const donorSkin = lowFrequencyLabStatistics(
    downsampleRgb2x(donor.alignedCrop),
    regionMask(donor.representation, 'skin'),
    COLOUR_OCTAVES - 1,
    'donor.masks.skin',
  );
  const faceWeight = intersectMasks(toCrop(face256), where);
  const coloured = transferLowFrequencyLab(raw, donorSkin, frameSkinStatistics(canvas.frame, hole256), faceWeight, COLOUR_OCTAVES);
  // The donor takes the photo's sharpness and grain: its finest band scaled by the ratio of the skins' detail.
  if (!(donor.frameSkinDetail > 0 && donor.skinDetail > 0)) return { pixels: coloured, where };
  const gain = Math.min(MAX_DETAIL_GAIN, Math.max(MIN_DETAIL_GAIN, Math.sqrt(donor.frameSkinDetail / donor.skinDetail)));
  return { pixels: scaleFinestBand(coloured, gain, where), where };
}

function countSet(mask: MaskPlane): number {
  let count = 0;
  for (const v of mask.data) if (v >= 128) count++;
  return count;
}

/**
 * The hole filled from the donor where it is trusted, else from the mirrored side of the face where that side
 * is intact, push-pull elsewhere; composited in the gradient domain with a donor, blended multi-band without.
 */
function fillHole(image: RgbImage, hole: MaskPlane, canvas: Canvas, donor: DonorLayer | null): RgbImage {
  const filled = image.data.slice();
  const known = new Uint8Array(hole.data.length);
  let missing = 0;
  for (let o = 0; o < known.length; o++) {
    if (donor && donor.where.data[o] !== 0) {
      filled[3 * o] = donor.pixels.data[3 * o];
      filled[3 * o + 1] = donor.pixels.data[3 * o + 1];
      filled[3 * o + 2] = donor.pixels.data[3 * o + 2];
      known[o] = 255;
    } else if (hole.data[o] < 128) known[o] = 255;
    else missing++;
  }
  if (missing > 0) mirrorInto(filled, known, image, hole, canvas);
  const size = { width: CROP_SIZE, height: CROP_SIZE };
  if (!donor) return blendMultiBand(image, fillHoles({ data: filled, ...size }, { data: known, ...size }), featherMask(hole, HOLE_FEATHER), BLEND_LEVELS);
  // A donor's transplant is composited in the gradient domain: it keeps its own detail and meets the frame on
  // the hole's edge, its colour and lighting carried in smoothly; none of the frame's pixels in the hole (what
  // is being regenerated) shows through. What neither donor nor mirror covers is continued push-pull first.
  const complete = missing > 0 ? continueInto({ data: filled, ...size }, { data: known, ...size }, hole) : { data: filled, ...size };
  return poissonBlend(image, complete, hole);
}

/** Hole pixels still unknown take the mirrored point of the face where that lies outside the hole. */
function mirrorInto(filled: Uint8Array, known: Uint8Array, image: RgbImage, hole: MaskPlane, canvas: Canvas): void {
  const mirrored = new Float32Array(EXTENDED_POINTS * 2);
  for (let i = 0; i < EXTENDED_POINTS; i++) {
    mirrored[2 * i] = canvas.destination[2 * EXTENDED_MIRROR[i]];
    mirrored[2 * i + 1] = canvas.destination[2 * EXTENDED_MIRROR[i] + 1];
  }
  const map = buildSourceMap({ destination: canvas.destination, source: mirrored, depth: canvas.depth, triangles: EXTENDED_TRIANGLES }, CROP_SIZE, CROP_SIZE);
  const mirror = sampleRgb(image, map);
  for (let o = 0; o < known.length; o++) {
    if (known[o] !== 0 || !map.defined[o]) continue;
    const sx = Math.round(map.coords[2 * o]),
      sy = Math.round(map.coords[2 * o + 1]);
    if (sx < 0 || sy < 0 || sx >= CROP_SIZE || sy >= CROP_SIZE || hole.data[sy * CROP_SIZE + sx] >= 128) continue;
    filled[3 * o] = mirror.data[3 * o];
    filled[3 * o + 1] = mirror.data[3 * o + 1];
    filled[3 * o + 2] = mirror.data[3 * o + 2];
    known[o] = 255;
  }
}

/** Renders the recipe and pastes it back (see the module comment). The frame input must come with its full image. */
export function renderWarpEdit(recipe: Recipe, inputs: readonly AssemblyInput[], options: WarpOptions = {}): WarpEdit {
  const frameIndex = outputFrameInput(recipe.task);
  const frameImage = inputs[frameIndex]?.image;
  if (!frameImage) {
    throw new FacexError('invalid_representation', `inputs[${frameIndex}].image: the output frame needs its full image for paste-back`, {
      field: `inputs[${frameIndex}].image`,
    });
  }
  const edit = renderWarpCrop(recipe, inputs, options);
  return { ...edit, image: pasteBack(frameImage, edit.crop, edit.cropToImage, edit.alpha) };
}

/** Renders the recipe on the frame's aligned crop (steps 1–5 of the module comment), for callers that paste back themselves. */
export function renderWarpCrop(recipe: Recipe, inputs: readonly AssemblyInput[], options: WarpOptions = {}): WarpCrop {
  const resolved = resolveInputs(recipe, inputs);
  const { donor, mouthDonor, frameSkin, ...assemblerOptions } = options;
  const assembly = assembleRegionsFrom(recipe, resolved, assemblerOptions);
  const frameIndex = assembly.frameInput;
  const fits = new Map<number, FaceFit>();
  const fitOf = (index: number): FaceFit => {
    let fit = fits.get(index);
    if (!fit) fits.set(index, (fit = fitFace(inputAt(resolved, index).representation)));
    return fit;
  };
  const { components } = recipe;
  const orFrame = (index: number | null) => index ?? frameIndex;
  const frame = inputAt(resolved, frameIndex);
  const frameFit = fitOf(frameIndex);
  const sources = {
    identity: fitOf(orFrame(components.identity)),
    expression: components.expression === null ? null : fitOf(components.expression),
    pose: fitOf(orFrame(components.pose)),
    frame: frameFit,
    frameAlignment: frame.representation.alignment.matrix,
  };
  // A motion edit moves the output's pose and expression (motion-mesh.ts) before the mesh is posed.
  const motion =
    recipe.motion &&
    planMotion(
      recipe.motion,
      sources.pose,
      outputCanonicalMesh(sources.identity, sources.expression),
      inputAt(resolved, orFrame(components.gaze)).representation.motion.gaze,
    );
  const poseFit = motion ? motion.pose : sources.pose;
  const mesh = outputMesh({ ...sources, pose: poseFit }, motion ? motion.canonical : undefined);
  const surface = rotated(motion ? motion.canonical : outputCanonicalMesh(sources.identity, sources.expression), poseFit.rotation);
  const canvas: Canvas = { frame, destination: withRings(mesh.points), depth: extendedDepth(mesh.depth), oval: ovalMask(mesh.points), frameMap: null, surface };
  let poseGapDegrees = 0,
    occluded = 0;
  let image = assembly.frameCrop;
  if (maxDisplacement(frameFit.crop, mesh.points) > STILL) {
    const map = buildSourceMap(
      {
        destination: canvas.destination,
        source: withRings(frameFit.crop),
        depth: canvas.depth,
        triangles: EXTENDED_TRIANGLES,
        sourceTriangles: visibleSourceTriangles(frameFit),
        outside: IDENTITY,
      },
      CROP_SIZE,
      CROP_SIZE,
    );
    // From the full image where there is one: a head the edit turns or moves reads beyond its crop.
    const { pixels, cropToPixels } = frame.pixelSource();
    image = sampleRgb(pixels, map, cropToPixels);
    canvas.frameMap = map;
    poseGapDegrees = poseGap(frameFit.pose, poseFit.pose);
    occluded = occludedTriangles(frameFit.crop, mesh.points);
  }
  const { byInput, dropped } = regionProviders(recipe, frameIndex);
  const colour = { frameSkin };
  for (const [index, regions] of byInput) {
    const fit = fitOf(index);
    image = blendProvider(image, canvas, inputAt(resolved, index), fit, regions, colour);
    poseGapDegrees = Math.max(poseGapDegrees, poseGap(fit.pose, poseFit.pose));
    occluded = Math.max(occluded, occludedTriangles(fit.crop, mesh.points));
  }
  // A motion edit draws the mouth it opens; a face swap's mouth mask keeps the frame's interior (teeth), since the
  // output takes the frame's mouth shape and the supplying face's mouth would be stretched into the opening.
  const mouthMask = components.lips !== null && components.lips !== frameIndex && components.expression === frameIndex;
  let mouthDonorRef: DonorRef | null = null;
  if (motion || mouthMask) {
    const mouth = drawMouthInterior(image, assembly.frameCrop, frameFit.crop, mesh.points, mouthDonor);
    image = mouth.image;
    if (mouthDonor && mouth.donorShare > 0) mouthDonorRef = { ...mouthDonor.ref, coverage: mouth.donorShare };
  }
  // Lids the edit moves slide over the frame's eyeballs instead of squashing or stretching them (eye-interior.ts).
  const eyeballsKept = motion?.movesLids === true && components.eyes === frameIndex;
  if (eyeballsKept) image = drawEyeballs(image, assembly.frameCrop, frameFit.crop, mesh.points);
  if (components.eyes !== null && motion?.movesGaze) {
    const eyes = inputAt(resolved, components.eyes).representation;
    image = moveIrises(image, irisMovesTo(mesh.points, eyes, plannedIrisOffsets(motion), eyeballsKept ? frameFit.crop : undefined));
  } else if (components.eyes !== null && components.gaze !== null) {
    image = moveIrises(image, irisMoves(mesh.points, inputAt(resolved, components.eyes).representation, inputAt(resolved, components.gaze).representation));
  }
  const { task } = recipe;
  let hole: { crop: MaskPlane; plane: MaskPlane } | undefined;
  if (task.preset === 'inpaint') hole = { crop: assembly.inpaintMask, plane: maskPlaneOf(assembly.inpaintMask) };
  else if (dropped.length > 0) {
    const plane = dilateDisc(regionsUnion(frame.representation, dropped), (options.dilation ?? DEFAULT_DILATION) / 2);
    hole = { crop: binarizeMask(toCrop(plane)), plane };
  }
  // The result names one donor: the hole's, which regenerates more of the face than a mouth's interior.
  let donorRef: DonorRef | null = mouthDonorRef;
  if (hole) {
    const layer = donor ? donorLayer(canvas, donor, hole.crop, hole.plane, dropped) : null;
    image = fillHole(image, hole.crop, canvas, layer);
    if (donor && layer) donorRef = { ...donor.ref, coverage: countSet(intersectMasks(layer.where, hole.crop)) / Math.max(1, countSet(hole.crop)) };
  }
  const reasons = degradedReasons(poseGapDegrees, occluded);
  return {
    crop: image,
    // Regions supplied or regenerated lie inside the fusion mask, not necessarily inside the frame's head.
    alpha: byInput.size === 0 && !hole ? movedHeadAlpha(canvas, assembly.fusionMask) : assembly.fusionMask,
    cropToImage: assembly.cropToImage,
    frameInput: frameIndex,
    quality: { poseGapDegrees, occludedTriangles: occluded, flag: reasons.length > 0 ? 'degraded' : 'ok', reasons },
    donor: donorRef,
    frameSkin: colour.frameSkin ?? null,
  };
}
