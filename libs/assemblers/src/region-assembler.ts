/**
 * The Region Assembler (FORS, second half): the image-level inpainting reference I^R and the masks, per the
 * paper's Fig. 4, all on the 512 px aligned crop of the output frame.
 *
 * Output frame (outputFrameInput): the input that keeps its background: the target for face swap, head swap
 * and attribute edit; the source for reenact/animate (the driving input lends only its motion, and I^R is
 * the whole source); the image for inpaint; `frame` for a mixture. `cropToImage` maps the output crop back
 * into that input's full image for paste-back.
 *
 * I^R per preset (masked-out pixels are 0):
 *   face swap       the target with the dilated union of both face areas (FACE_REGIONS; the source's carried
 *                   into the target crop) masked out
 *   head swap       the grayscale source head (HEAD_REGIONS) carried onto the target, its edge cut by eroding
 *                   it, inside the dilated union of both heads masked out
 *   reenact/animate the whole source crop
 *   attribute edit  the chosen regions (target's and reference's) masked out; with `add-new` the reference's
 *                   regions are pasted into the hole as a colour hint
 *   inpaint         the named regions and/or the user mask masked out
 *   mixture         every region whose component comes from another input or is dropped masked out (a new
 *                   identity takes the inner face, a new expression or gaze the inner face, a new pose the head)
 * inpaintMask is what the generator must produce (255), fusionMask (soft) limits the change while sampling
 * to the regions the recipe actually changes (a controllable swap, paper Fig. 6 right), feathered; it also
 * serves as the paste-back alpha, since outside it the crop is the frame itself.
 * Mask logic runs on the 256 px mask crop and is upsampled once, which keeps one edit within a few ms.
 */
import {
  FACE_REGIONS,
  FacexError,
  HEAD_REGIONS,
  MASK_SIZE,
  REGION_NAMES,
  outputFrameInput,
  type Affine2D,
  type Recipe,
  type RegionName,
} from '@facex/contracts';
import {
  composeAffine,
  createMask,
  dilateDisc,
  erodeDisc,
  featherMask,
  grayscaleInto,
  invertAffine,
  nonZeroRows,
  scaleAffine,
  unionInto,
  upsampleMask2x,
  upsampleMaskBinary2x,
  warpMask,
  type MaskPlane,
  type RgbImage,
} from '@facex/imaging';
import { cropToCrop, maskCropToMaskCrop, regionsUnion } from './face-geometry';
import { CROP_SIZE, inputAt, resolveInputs, type AssemblyInput, type ResolvedInput } from './inputs';

export interface RegionAssemblerOptions {
  /** How far masked-out areas are dilated, in 512 px crop pixels. */
  dilation?: number;
  /** Feather radius of the fusion mask, in 512 px crop pixels (box radius of each of the three passes). */
  feather?: number;
  /** The user-drawn inpainting mask, on the inpaint input's full image (same width and height). */
  userMask?: MaskPlane;
}

export const DEFAULT_DILATION = 16;
export const DEFAULT_FEATHER = 8;

export interface RegionAssembly {
  /** The input whose aligned crop is the output frame. */
  frameInput: number;
  /** That input's 512 px aligned crop, unedited (what the fusion mask blends back to). */
  frameCrop: RgbImage;
  /** I^R: RGB, 512 × 512. */
  reference: RgbImage;
  /** 255 where the generator must produce the pixels; 512 × 512. */
  inpaintMask: MaskPlane;
  /** Soft, feathered: where the recipe's changes may land while sampling, and the paste-back alpha. */
  fusionMask: MaskPlane;
  /** Output crop → the frame input's full image. */
  cropToImage: Affine2D;
}

const HALF = 0.5;

interface Frame {
  input: ResolvedInput;
  /** carriedRegions results of this assembly, by input and regions: the hole and a paste share them. */
  carried: Map<string, MaskPlane>;
  /** The 256 px mask radius equivalent of the options' dilation. */
  radius: number;
  featherRadius: number;
}

/** A 256 px mask crop brought up to the 512 px output crop (bilinear: soft edges for the fusion mask). */
const toOutputCrop = upsampleMask2x;
/** The same, thresholded at 128: where a 256 px mask covers the 512 px output crop. */
const coverInOutputCrop = (mask256: MaskPlane): MaskPlane => upsampleMaskBinary2x(mask256);

/** `regions` of `from`, carried into the frame's 256 px mask crop (read-only: it may be shared). */
function carriedRegions(from: ResolvedInput, regions: readonly RegionName[], frame: Frame): MaskPlane {
  const key = `${from.index}:${[...new Set(regions)].sort().join(',')}`;
  let carried = frame.carried.get(key);
  if (!carried) {
    const union = regionsUnion(from.representation, regions);
    carried = from === frame.input ? union : warpMask(union, maskCropToMaskCrop(from.representation, frame.input.representation), MASK_SIZE, MASK_SIZE);
    frame.carried.set(key, carried);
  }
  return carried;
}

/** The regions the recipe changes in the frame, each with the input that supplies it (null: dropped). */
function changedRegions(recipe: Recipe, frameIndex: number): Map<RegionName, number | null> {
  const { components } = recipe;
  const changed = new Map<RegionName, number | null>();
  for (const region of REGION_NAMES) {
    if (components[region] !== frameIndex) changed.set(region, components[region]);
  }
  const touch = (regions: readonly RegionName[], provider: number | null) => {
    for (const region of regions) if (!changed.has(region)) changed.set(region, provider);
  };
  // In a free mixture, a component that reshapes the face needs room there even where its regions stay.
  // (The presets name their regions outright; a controllable face swap must stay within its chosen regions.)
  if (recipe.task.preset !== 'mixture') return changed;
  if (components.identity !== frameIndex) touch(FACE_REGIONS, components.identity);
  if (components.expression !== frameIndex || components.gaze !== frameIndex) touch(FACE_REGIONS, null);
  if (components.pose !== frameIndex) touch(HEAD_REGIONS, null);
  return changed;
}

/** The union, in the frame's 256 px mask crop, of the changed regions of the frame and of their providers. */
function changedArea(changed: Map<RegionName, number | null>, resolved: Array<ResolvedInput | undefined>, frame: Frame): MaskPlane {
  const area = regionsUnion(frame.input.representation, [...changed.keys()]);
  const byProvider = new Map<number, RegionName[]>();
  for (const [region, provider] of changed) {
    if (provider === null || provider === frame.input.index) continue;
    byProvider.set(provider, [...(byProvider.get(provider) ?? []), region]);
  }
  for (const [provider, regions] of byProvider) unionInto(area, carriedRegions(inputAt(resolved, provider), regions, frame));
  return area;
}

/** The user mask brought from the full image into the frame's 256 px mask crop. */
export function userMaskInCrop(recipe: Recipe, frame: ResolvedInput, userMask: MaskPlane | undefined): MaskPlane | undefined {
  const wantsMask = recipe.task.preset === 'inpaint' && recipe.task.userMask;
  if (!wantsMask) {
    if (userMask) throw new FacexError('invalid_recipe', 'userMask: the recipe does not take a user mask', { field: 'userMask' });
    return undefined;
  }
  const { asset } = frame.representation;
  if (!userMask) throw new FacexError('invalid_recipe', 'userMask: the recipe asks for a user mask but none was given', { field: 'userMask' });
  if (userMask.width !== asset.width || userMask.height !== asset.height || userMask.data.length !== asset.width * asset.height) {
    throw new FacexError('invalid_recipe', `userMask: expected ${asset.width}×${asset.height} (the image), got ${userMask.width}×${userMask.height}`, {
      field: 'userMask',
    });
  }
  return warpMask(userMask, composeAffine(scaleAffine(HALF), frame.representation.alignment.matrix), MASK_SIZE, MASK_SIZE);
}

/** The hole of the 256 px mask crop as the binary inpaint mask of the 512 px output crop. */
const inpaintMaskOf = coverInOutputCrop;

/** The frame crop with the (512 px) hole set to 0. */
function maskOut(crop: RgbImage, hole: MaskPlane): RgbImage {
  const out = crop.data.slice();
  const { data, width } = hole;
  const { first, last } = nonZeroRows(hole);
  // Run by run: a hole row is a few runs, each cleared by one fill.
  for (let row = first * width, end = (last + 1) * width; row < end; row += width) {
    for (let i = row, rowEnd = row + width; i < rowEnd;) {
      while (i < rowEnd && data[i] === 0) i++;
      const start = i;
      while (i < rowEnd && data[i] !== 0) i++;
      if (i > start) out.fill(0, 3 * start, 3 * i);
    }
  }
  return { data: out, width: crop.width, height: crop.height };
}

function fusionFrom(area256: MaskPlane, frame: Frame): MaskPlane {
  return toOutputCrop(featherMask(area256, frame.featherRadius));
}

/** `reference` is made on first read: a generator that works from the faces themselves never reads it. */
function finish(frame: Frame, reference: () => RgbImage, inpaintMask: MaskPlane, fusionArea256: MaskPlane): RegionAssembly {
  let made: RgbImage | undefined;
  return {
    frameInput: frame.input.index,
    frameCrop: frame.input.crop(),
    get reference() {
      return (made ??= reference());
    },
    inpaintMask,
    fusionMask: fusionFrom(fusionArea256, frame),
    cropToImage: invertAffine(frame.input.representation.alignment.matrix),
  };
}

/** Reenact and animate: I^R is the whole source; the generator redraws the whole crop. */
function wholeSource(frame: Frame): RegionAssembly {
  return finish(frame, () => frame.input.crop(), createMask(CROP_SIZE, CROP_SIZE, 255), createMask(MASK_SIZE, MASK_SIZE, 255));
}

/** Head swap: the grayscale source head on the target, its edges cut, in a hole made for both heads. */
function headSwap(source: ResolvedInput, frame: Frame): RegionAssembly {
  const sourceHead = carriedRegions(source, HEAD_REGIONS, frame);
  const hole = dilateDisc(unionInto(regionsUnion(frame.input.representation, HEAD_REGIONS), sourceHead), frame.radius);
  const inpaintMask = inpaintMaskOf(hole);
  const reference = () => {
    const core = coverInOutputCrop(erodeDisc(sourceHead, frame.radius));
    const out = maskOut(frame.input.crop(), inpaintMask);
    // Only the core is sampled from the source: the rest of its resampled crop is never read.
    grayscaleInto(out, source.resampledInto(cropToCrop(source.representation, frame.input.representation), core), core);
    return out;
  };
  return finish(frame, reference, inpaintMask, hole);
}

/** Attribute edit in `add-new` mode: the reference's regions pasted into the hole as a colour hint. */
function pasteRegions(reference: RgbImage, from: ResolvedInput, regions: readonly RegionName[], frame: Frame): void {
  const where = coverInOutputCrop(carriedRegions(from, regions, frame));
  const pixels = from.resampledInto(cropToCrop(from.representation, frame.input.representation), where).data;
  const out = reference.data;
  const { first, last } = nonZeroRows(where);
  for (let i = first * where.width, end = (last + 1) * where.width, p = 3 * i; i < end; i++, p += 3) {
    if (where.data[i] !== 0) {
      out[p] = pixels[p];
      out[p + 1] = pixels[p + 1];
      out[p + 2] = pixels[p + 2];
    }
  }
}

/**
 * Fig. 4: a face swap masks out both whole face areas, even when only some regions are swapped; the
 * returned map adds the source's face regions (the same map when nothing is added).
 */
function withSourceFace(changed: Map<RegionName, number | null>, source: number): Map<RegionName, number | null> {
  const missing = FACE_REGIONS.filter((region) => !changed.has(region) || changed.get(region) === null);
  if (missing.length === 0) return changed;
  const hole = new Map(changed);
  for (const region of missing) hole.set(region, source);
  return hole;
}

/** Face swap, attribute edit, inpaint and mixture: the changed regions masked out of the frame. */
function maskedRegions(recipe: Recipe, resolved: Array<ResolvedInput | undefined>, frame: Frame, userMask: MaskPlane | undefined): RegionAssembly {
  const { task } = recipe;
  const changed = changedRegions(recipe, frame.input.index);
  const holeRegions = task.preset === 'face-swap' ? withSourceFace(changed, task.source) : changed;
  const withUserMask = (area: MaskPlane) => (userMask ? unionInto(area, userMask) : area);
  const hole = dilateDisc(withUserMask(changedArea(holeRegions, resolved, frame)), frame.radius);
  const inpaintMask = inpaintMaskOf(hole);
  const reference = () => {
    const out = maskOut(frame.input.crop(), inpaintMask);
    if (task.preset === 'attribute-edit' && task.mode === 'add-new' && task.reference !== undefined) {
      pasteRegions(out, inputAt(resolved, task.reference), task.regions, frame);
    }
    return out;
  };
  // A controllable swap fuses only the regions it changes; otherwise the fused area is the hole itself.
  const fusionArea = holeRegions === changed ? hole : dilateDisc(withUserMask(changedArea(changed, resolved, frame)), frame.radius);
  return finish(frame, reference, inpaintMask, fusionArea);
}

/** The Region Assembler on already resolved inputs (see assembleEdit, which shares them). */
export function assembleRegionsFrom(recipe: Recipe, resolved: Array<ResolvedInput | undefined>, options: RegionAssemblerOptions = {}): RegionAssembly {
  const dilation = options.dilation ?? DEFAULT_DILATION;
  const featherRadius = options.feather ?? DEFAULT_FEATHER;
  if (!Number.isFinite(dilation) || dilation < 0) throw new FacexError('invalid_recipe', 'dilation: must be ≥ 0', { field: 'dilation' });
  if (!Number.isInteger(featherRadius) || featherRadius < 0) throw new FacexError('invalid_recipe', 'feather: must be an integer ≥ 0', { field: 'feather' });
  const input = inputAt(resolved, outputFrameInput(recipe.task));
  const frame: Frame = { input, carried: new Map(), radius: dilation * HALF, featherRadius: Math.round(featherRadius * HALF) };
  const userMask = userMaskInCrop(recipe, input, options.userMask);
  const assembly = regionsOfTask(recipe, resolved, frame, userMask);
  return recipe.motion ? withMovedFace(assembly, frame) : assembly;
}

function regionsOfTask(recipe: Recipe, resolved: Array<ResolvedInput | undefined>, frame: Frame, userMask: MaskPlane | undefined): RegionAssembly {
  const { task } = recipe;
  switch (task.preset) {
    case 'reenact':
    case 'animate':
      return wholeSource(frame);
    case 'head-swap':
      return headSwap(inputAt(resolved, task.source), frame);
    default:
      return maskedRegions(recipe, resolved, frame, userMask);
  }
}

/**
 * A motion edit moves the head or its features beyond any region of the frame (a turned head, a dropped jaw),
 * as reenactment does: the generator redraws, and the paste-back takes, the whole crop. I^R stays the task's.
 */
function withMovedFace(assembly: RegionAssembly, frame: Frame): RegionAssembly {
  const whole = wholeSource(frame);
  return {
    frameInput: assembly.frameInput,
    frameCrop: assembly.frameCrop,
    get reference() {
      return assembly.reference;
    },
    inpaintMask: whole.inpaintMask,
    fusionMask: whole.fusionMask,
    cropToImage: assembly.cropToImage,
  };
}

/** The Region Assembler: checks the inputs against the recipe and assembles I^R and the masks. */
export function assembleRegions(recipe: Recipe, inputs: readonly AssemblyInput[], options: RegionAssemblerOptions = {}): RegionAssembly {
  return assembleRegionsFrom(recipe, resolveInputs(recipe, inputs), options);
}
