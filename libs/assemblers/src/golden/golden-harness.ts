/**
 * Golden-image harness for the Region Assembler's I^R: every preset over two faces (input 0 = source,
 * input 1 = target), compared with PNG files in a folder (one `<case>.png` per case). Made for the real
 * sample photos: give it the two FaceRepresentations from FORD and the two images. With `update: true`
 * it writes the goldens instead (to review by eye, then commit).
 * A case matches when the mean absolute difference is small and few pixels differ by much, which tolerates
 * last-bit changes in resampling but not a region in the wrong place.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { recipeFromPreset, type Recipe } from '@facex/contracts';
import type { RgbImage } from '@facex/imaging';
import type { AssemblyInput } from '../inputs';
import { assembleRegions, type RegionAssembly } from '../region-assembler';

export interface GoldenCase {
  name: string;
  recipe: Recipe;
}

/** One case per preset (and the controllable swap and both attribute-edit modes), source 0, target 1. */
export function goldenCases(): GoldenCase[] {
  return [
    { name: 'face-swap', recipe: recipeFromPreset({ preset: 'face-swap', source: 0, target: 1 }) },
    { name: 'face-swap-eyes', recipe: recipeFromPreset({ preset: 'face-swap', source: 0, target: 1, regions: ['eyes'] }) },
    { name: 'head-swap', recipe: recipeFromPreset({ preset: 'head-swap', source: 0, target: 1 }) },
    { name: 'reenact', recipe: recipeFromPreset({ preset: 'reenact', source: 0, driving: 1 }) },
    { name: 'animate', recipe: recipeFromPreset({ preset: 'animate', source: 0, driving: 1, style: 'golden' }) },
    { name: 'inpaint-nose-lips', recipe: recipeFromPreset({ preset: 'inpaint', image: 1, regions: ['nose', 'lips'], userMask: false }, {}, 2) },
    { name: 'attribute-edit-mask-out-hair', recipe: recipeFromPreset({ preset: 'attribute-edit', target: 1, regions: ['hair'], mode: 'mask-out' }, {}, 2) },
    {
      name: 'attribute-edit-add-new-hair',
      recipe: recipeFromPreset({ preset: 'attribute-edit', target: 1, regions: ['hair'], mode: 'add-new', reference: 0 }),
    },
    { name: 'mixture-identity-hair', recipe: recipeFromPreset({ preset: 'mixture', frame: 1 }, { identity: 0, hair: 0 }) },
  ];
}

export function renderGoldenCases(source: AssemblyInput, target: AssemblyInput): Array<{ name: string; assembly: RegionAssembly }> {
  return goldenCases().map(({ name, recipe }) => ({ name, assembly: assembleRegions(recipe, [source, target]) }));
}

export interface GoldenTolerance {
  /** Largest mean absolute difference per channel value (0…255). */
  meanAbsDiff: number;
  /** A channel value differing by more than this counts as an outlier… */
  outlierDiff: number;
  /** …and at most this fraction of values may be outliers. */
  outlierFraction: number;
}

export const DEFAULT_GOLDEN_TOLERANCE: GoldenTolerance = { meanAbsDiff: 1.5, outlierDiff: 32, outlierFraction: 0.005 };

export interface GoldenComparison {
  name: string;
  file: string;
  status: 'match' | 'mismatch' | 'missing' | 'written';
  meanAbsDiff?: number;
  outlierFraction?: number;
}

async function writePng(file: string, image: RgbImage): Promise<void> {
  const raw = Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  await writeFile(
    file,
    await sharp(raw, { raw: { width: image.width, height: image.height, channels: 3 } })
      .png()
      .toBuffer(),
  );
}

async function readPng(file: string): Promise<RgbImage | undefined> {
  const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (!bytes) return undefined;
  const { data, info } = await sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}

/** Mean absolute difference and outlier fraction of two images of the same size (Infinity if they differ in size). */
export function imageDifference(a: RgbImage, b: RgbImage, outlierDiff: number): { meanAbsDiff: number; outlierFraction: number } {
  if (a.width !== b.width || a.height !== b.height) return { meanAbsDiff: Infinity, outlierFraction: 1 };
  let sum = 0,
    outliers = 0;
  for (let i = 0; i < a.data.length; i++) {
    const diff = Math.abs(a.data[i] - b.data[i]);
    sum += diff;
    if (diff > outlierDiff) outliers++;
  }
  return { meanAbsDiff: sum / a.data.length, outlierFraction: outliers / a.data.length };
}

export async function checkGoldenImages(
  source: AssemblyInput,
  target: AssemblyInput,
  directory: string,
  { update = false, tolerance = DEFAULT_GOLDEN_TOLERANCE }: { update?: boolean; tolerance?: GoldenTolerance } = {},
): Promise<GoldenComparison[]> {
  if (update) await mkdir(directory, { recursive: true });
  const results: GoldenComparison[] = [];
  for (const { name, assembly } of renderGoldenCases(source, target)) {
    const file = join(directory, `${name}.png`);
    if (update) {
      await writePng(file, assembly.reference);
      results.push({ name, file, status: 'written' });
      continue;
    }
    const golden = await readPng(file);
    if (!golden) {
      results.push({ name, file, status: 'missing' });
      continue;
    }
    const difference = imageDifference(assembly.reference, golden, tolerance.outlierDiff);
    const ok = difference.meanAbsDiff <= tolerance.meanAbsDiff && difference.outlierFraction <= tolerance.outlierFraction;
    results.push({ name, file, status: ok ? 'match' : 'mismatch', ...difference });
  }
  return results;
}
