/**
 * Training samples for `training/` (PyTorch): one edit's conditions exactly as serving assembles them (the
 * project's FORD representations, the Representation and Region Assemblers), with its ground truth, as the
 * tensors `training/facex_train/data.py` reads:
 *   target [3,R,R], reference [3,R,R] (RGB 0…1), tokens [W], present [S], region_images [2,3,256,256],
 *   region_masks [8,256,256] (0…1), region_inputs [8] (0 source, 1 target, −1 absent).
 * Input 0 of every recipe is the source, input 1 the target (the face whose crop is the ground truth).
 */
import { assembleEdit, regionMask, resolveInputs, tokenLayout, type AssemblyInput, type TokenLayout } from '@facex/assemblers';
import { REGION_NAMES, recipeFromPreset, type FaceRepresentation, type Recipe } from '@facex/contracts';
import type { SafetensorsTensor } from '@facex/diffusion';
import { downsampleRgb2x, type RgbImage } from '@facex/imaging';

export const TRAINING_TASKS = ['head-swap', 'reenact'] as const;
export type TrainingTask = (typeof TRAINING_TASKS)[number];

/** A face as FORD saw it: its representation and the 512 px aligned crop of its image. */
export interface AnalysedFace {
  representation: FaceRepresentation;
  alignedCrop: RgbImage;
}

export function trainingRecipe(task: TrainingTask): Recipe {
  // The paper's self-supervision: source and target are the same person, so the target is the ground truth.
  return task === 'head-swap'
    ? recipeFromPreset({ preset: 'head-swap', source: 0, target: 1 })
    : recipeFromPreset({ preset: 'reenact', source: 0, driving: 1 });
}

export function layoutOf(face: FaceRepresentation): TokenLayout {
  return tokenLayout(face.identity.length, face.motion.expression.length);
}

/** 512 px → `side` by the same 2× box averaging serving applies before the VAE. */
function atSide(image: RgbImage, side: number): RgbImage {
  let out = image;
  while (out.width > side) out = downsampleRgb2x(out);
  return out;
}

function planes(image: RgbImage): Float32Array {
  const size = image.width * image.height;
  const out = new Float32Array(3 * size);
  for (let i = 0; i < size; i++) for (let c = 0; c < 3; c++) out[c * size + i] = (image.data[3 * i + c] as number) / 255;
  return out;
}

/** The tensors of one sample: `source` lends what the task takes from it, `target` is the ground truth. */
export function sampleTensors(task: TrainingTask, source: AnalysedFace, target: AnalysedFace, side: 256 | 512): SafetensorsTensor[] {
  const recipe = trainingRecipe(task);
  const inputs: AssemblyInput[] = [source, target].map((face) => ({ representation: face.representation, alignedCrop: face.alignedCrop }));
  const edit = assembleEdit(recipe, inputs);
  const resolved = resolveInputs(recipe, inputs);
  const maskSide = 256;
  const regionImages = new Float32Array(2 * 3 * maskSide * maskSide);
  resolved.forEach((input, i) => input && regionImages.set(planes(input.maskCrop()), i * 3 * maskSide * maskSide));
  const regionMasks = new Float32Array(REGION_NAMES.length * maskSide * maskSide);
  const regionInputs = new Float32Array(REGION_NAMES.length).fill(-1);
  REGION_NAMES.forEach((region, r) => {
    const from = recipe.components[region];
    if (from === null) return;
    const mask = regionMask((from === 0 ? source : target).representation, region);
    for (let i = 0; i < mask.data.length; i++) regionMasks[r * maskSide * maskSide + i] = (mask.data[i] as number) / 255;
    regionInputs[r] = from;
  });
  const { tokens } = edit;
  return [
    { key: 'target', shape: [3, side, side], data: planes(atSide(target.alignedCrop, side)) },
    { key: 'reference', shape: [3, side, side], data: planes(atSide(edit.regions.reference, side)) },
    { key: 'tokens', shape: [tokens.layout.totalWidth], data: Float32Array.from(tokens.packed) },
    { key: 'present', shape: [tokens.slots.length], data: Float32Array.from(tokens.slots, (slot) => (slot.present ? 1 : 0)) },
    { key: 'region_images', shape: [2, 3, maskSide, maskSide], data: regionImages },
    { key: 'region_masks', shape: [REGION_NAMES.length, maskSide, maskSide], data: regionMasks },
    { key: 'region_inputs', shape: [REGION_NAMES.length], data: regionInputs },
  ];
}

/** Cosine similarity of two L2-normalised identity embeddings. */
export function identitySimilarity(a: FaceRepresentation, b: FaceRepresentation): number {
  let dot = 0;
  for (let i = 0; i < a.identity.length; i++) dot += (a.identity[i] as number) * (b.identity[i] as number);
  return dot;
}

/**
 * Source/target frame pairs of one clip: every ordered pair at least `minGap` frames apart whose faces FORD
 * sees as the same person (cosine ≥ `minSimilarity`), at most `limit`, spread over the clip.
 */
export function framePairs(
  frames: ReadonlyArray<FaceRepresentation | null>,
  options: { minGap: number; minSimilarity: number; limit: number },
): Array<[number, number]> {
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < frames.length; i++) {
    for (let j = 0; j < frames.length; j++) {
      const a = frames[i],
        b = frames[j];
      if (!a || !b || Math.abs(i - j) < options.minGap) continue;
      if (identitySimilarity(a, b) >= options.minSimilarity) pairs.push([i, j]);
    }
  }
  if (pairs.length <= options.limit) return pairs;
  const stride = pairs.length / options.limit;
  return Array.from({ length: options.limit }, (_, k) => pairs[Math.floor(k * stride)] as [number, number]);
}
