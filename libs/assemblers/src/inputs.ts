/**
 * The inputs of one assembly, checked once: per input its FaceRepresentation (null when FORD found no face)
 * and its pixels, either the full RGB image or directly its 512 px aligned crop. Crops are made lazily and
 * kept for the duration of one assembly, so the two assemblers share them.
 */
import {
  FacexError,
  MASK_SIZE,
  MESH_POINTS,
  REGION_NAMES,
  COMPONENT_NAMES,
  type Affine2D,
  type FaceRepresentation,
  type Recipe,
  outputFrameInput,
} from '@facex/contracts';
import { assertRgbImage, composeAffine, downsampleRgb2x, invertAffine, scaleAffine, warpRgb, type MaskPlane, type RgbImage } from '@facex/imaging';

export const CROP_SIZE = 512;

export interface AssemblyInput {
  /** null: FORD found no face in this input. */
  representation: FaceRepresentation | null;
  /** The full (EXIF-oriented) image; used when `alignedCrop` is absent. */
  image?: RgbImage;
  /** The 512 px aligned crop, if the caller already has it. */
  alignedCrop?: RgbImage;
}

export interface ResolvedInput {
  index: number;
  representation: FaceRepresentation;
  /** The 512 px aligned crop (made on first use). */
  crop(): RgbImage;
  /** The 256 px aligned crop, pixel for pixel under the masks (made on first use). */
  maskCrop(): RgbImage;
  /**
   * This input's pixels in another 512 px crop, `cropToCrop` taking this input's crop onto it; with `where`,
   * only the pixels where it is non-zero (the rest may be 0).
   */
  resampledInto(cropToCrop: Affine2D, where?: MaskPlane): RgbImage;
  /**
   * The pixels to resample this input's crop from, with the map from crop coordinates to theirs: the full
   * image when there is one (one resampling instead of two, and sharper), else the crop itself.
   */
  pixelSource(): { pixels: RgbImage; cropToPixels: Affine2D };
}

function fail(code: 'no_face' | 'invalid_representation' | 'invalid_recipe', field: string, message: string): FacexError {
  return new FacexError(code, `${field}: ${message}`, { field });
}

/** Every input index the recipe draws anything from. */
export function usedInputs(recipe: Recipe): Set<number> {
  const used = new Set<number>([outputFrameInput(recipe.task)]);
  for (const name of COMPONENT_NAMES) {
    const index = recipe.components[name];
    if (index !== null) used.add(index);
  }
  if (recipe.task.preset === 'attribute-edit' && recipe.task.reference !== undefined) used.add(recipe.task.reference);
  return used;
}

function checkRepresentation(rep: FaceRepresentation, field: string): void {
  if (rep.faceCount === 0) throw fail('no_face', field, 'the input has no face');
  const planes = REGION_NAMES.length * MASK_SIZE * MASK_SIZE;
  if (rep.masks.length !== planes) throw fail('invalid_representation', `${field}.masks`, `expected ${planes} values, got ${rep.masks.length}`);
  if (rep.landmarks.length !== MESH_POINTS * 3) {
    throw fail('invalid_representation', `${field}.landmarks`, `expected ${MESH_POINTS * 3} values, got ${rep.landmarks.length}`);
  }
  if (rep.alignment.matrix.length !== 6 || !rep.alignment.matrix.every(Number.isFinite)) {
    throw fail('invalid_representation', `${field}.alignment.matrix`, 'expected 6 finite numbers');
  }
}

/** The crops of one input, each made on first use; the 256 px one from the 512 px one when that exists. */
function lazyCrops(input: AssemblyInput, rep: FaceRepresentation, field: string): Pick<ResolvedInput, 'crop' | 'maskCrop' | 'resampledInto' | 'pixelSource'> {
  let crop: RgbImage | undefined;
  let maskCrop: RgbImage | undefined;
  const cropOf = (): RgbImage => {
    if (crop) return crop;
    if (input.alignedCrop) {
      assertRgbImage(input.alignedCrop, `${field}.alignedCrop`);
      if (input.alignedCrop.width !== CROP_SIZE || input.alignedCrop.height !== CROP_SIZE) {
        throw fail('invalid_representation', `${field}.alignedCrop`, `expected ${CROP_SIZE}×${CROP_SIZE}`);
      }
      crop = input.alignedCrop;
    } else {
      crop = warpRgb(imageOf(input, field), rep.alignment.matrix, CROP_SIZE, CROP_SIZE);
    }
    return crop;
  };
  const maskCropOf = (): RgbImage => {
    // Warping straight from the image costs a quarter of a 512 px crop, for inputs that only lend tokens.
    maskCrop ??=
      crop || input.alignedCrop
        ? downsampleRgb2x(cropOf())
        : warpRgb(imageOf(input, field), composeAffine(scaleAffine(MASK_SIZE / CROP_SIZE), rep.alignment.matrix), MASK_SIZE, MASK_SIZE);
    return maskCrop;
  };
  // From the full image when there is one: one resampling instead of two, and sharper. Into its own crop
  // (the identity) that warp gives the crop itself, unless the caller gave a crop of its own as well.
  const resampledInto = (cropToCrop: Affine2D, where?: MaskPlane): RgbImage => {
    if (isIdentity(cropToCrop) && !(input.image && input.alignedCrop)) return cropOf();
    return input.image
      ? warpRgb(imageOf(input, field), composeAffine(cropToCrop, rep.alignment.matrix), CROP_SIZE, CROP_SIZE, where)
      : warpRgb(cropOf(), cropToCrop, CROP_SIZE, CROP_SIZE, where);
  };
  const pixelSource = () =>
    input.image ? { pixels: imageOf(input, field), cropToPixels: invertAffine(rep.alignment.matrix) } : { pixels: cropOf(), cropToPixels: IDENTITY };
  return { crop: cropOf, maskCrop: maskCropOf, resampledInto, pixelSource };
}

const IDENTITY: Affine2D = [1, 0, 0, 0, 1, 0];
const isIdentity = (m: Affine2D): boolean => m.every((v, i) => v === IDENTITY[i]);

function imageOf(input: AssemblyInput, field: string): RgbImage {
  const image = input.image as RgbImage; // resolveInputs has checked that the image or the crop is there
  assertRgbImage(image, `${field}.image`);
  return image;
}

/**
 * Checks the inputs against the recipe: their count, a face in every input the recipe uses, one model pack
 * (tokens of different packs do not mix). Unused inputs are not checked. Returns one entry per input index
 * (undefined where unused).
 */
export function resolveInputs(recipe: Recipe, inputs: readonly AssemblyInput[]): Array<ResolvedInput | undefined> {
  if (inputs.length !== recipe.inputs) {
    throw fail('invalid_recipe', 'inputs', `the recipe combines ${recipe.inputs} inputs but ${inputs.length} were given`);
  }
  const used = usedInputs(recipe);
  let pack: string | undefined;
  return inputs.map((input, index) => {
    if (!used.has(index)) return undefined;
    const field = `inputs[${index}]`;
    const rep = input.representation;
    if (rep === null) throw fail('no_face', field, 'the input has no face');
    checkRepresentation(rep, field);
    if (!input.image && !input.alignedCrop) throw fail('invalid_representation', `${field}.image`, 'give the image or its aligned crop');
    const packId = `${rep.modelPack.name}@${rep.modelPack.version}`;
    pack ??= packId;
    if (packId !== pack) throw fail('invalid_representation', `${field}.modelPack`, `${packId} differs from ${pack}`);
    return { index, representation: rep, ...lazyCrops(input, rep, field) };
  });
}

/** The resolved input at `index`; the recipe guarantees it exists once resolveInputs has passed. */
export function inputAt(resolved: Array<ResolvedInput | undefined>, index: number): ResolvedInput {
  const input = resolved[index];
  if (!input) throw new Error(`input ${index} was not resolved`);
  return input;
}
