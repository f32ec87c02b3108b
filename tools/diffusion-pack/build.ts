/**
 * Builds a diffusion model pack (U-Net + FRC, FORS, region encoder, VAE) with the project's own graph code.
 *
 *   npx tsx tools/diffusion-pack/build.ts --size tiny|sd15 [--precision fp32|fp16] [--attention matmul|contrib]
 *       [--out DIR] [--weights-dir DIR] [--sd FILE] [--clip-vision FILE] [--facex FILE] [--seed N]
 *       [--export-facex FILE] [--training FILE] [--identity-width N] [--expression-width N]
 *
 * --weights-dir looks for sd.safetensors (SD 1.5 checkpoint, original layout), clip-vision.safetensors
 * (Hugging Face CLIPVisionModel) and facex.safetensors (FRC/FORS/FPN); --sd/--clip-vision/--facex name files
 * directly. A group without a file is initialised from --seed and the manifest says randomWeights: true.
 * --export-facex writes the FaceX-specific weights used (frc.*, fors.*, region_encoder.fpn.*) as safetensors.
 * --training names the training metadata (JSON) of a run that produced --facex (training/: python3 -m
 * facex_train export calls this): the manifest says trained: true and the pack serves user edits.
 * --identity-width / --expression-width: the token layout's slot widths (FORD's identity embedding and
 * expression descriptor; the defaults are the facex-ford pack's).
 * Default output: $FACEX_MODELS_DIR (or <repo>/models)/facex-diffusion-<size>-<precision>.
 */
import { existsSync, readFileSync } from 'fs';
import { join, resolve } from 'path';
import { parseArgs } from 'util';
import { isFacexError } from '@facex/contracts';
import {
  buildDiffusionPack,
  DIFFUSION_PACK_NAME,
  PACK_SIZES,
  trainingMetadataSchema,
  type PackSize,
  type TrainingMetadata,
  type WeightFiles,
} from '@facex/diffusion';

const WEIGHTS_DIR_FILES: Record<keyof WeightFiles, string> = { sd: 'sd.safetensors', clipVision: 'clip-vision.safetensors', facex: 'facex.safetensors' };
const PRECISIONS = { fp32: 'float32', fp16: 'float16' } as const;

function fail(message: string): never {
  console.error(`diffusion-pack: ${message}`);
  process.exit(2);
}

function weightFiles(values: { 'weights-dir'?: string; sd?: string; 'clip-vision'?: string; facex?: string }): WeightFiles {
  const files: WeightFiles = {};
  if (values['weights-dir'] !== undefined) {
    for (const [group, name] of Object.entries(WEIGHTS_DIR_FILES) as Array<[keyof WeightFiles, string]>) {
      const path = join(resolve(values['weights-dir']), name);
      if (existsSync(path)) files[group] = path;
    }
  }
  const explicit: WeightFiles = { sd: values.sd, clipVision: values['clip-vision'], facex: values.facex };
  for (const [group, path] of Object.entries(explicit) as Array<[keyof WeightFiles, string | undefined]>) {
    if (path === undefined) continue;
    if (!existsSync(path)) fail(`--${group === 'clipVision' ? 'clip-vision' : group} ${path} does not exist`);
    files[group] = resolve(path);
  }
  return files;
}

function optionalWidth(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const width = Number(value);
  if (!Number.isInteger(width) || width < 1) fail(`--${name} must be a positive integer`);
  return width;
}

function trainingMetadata(path: string): TrainingMetadata {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    fail(`--training ${path} is not readable JSON (${String(error)})`);
  }
  const parsed = trainingMetadataSchema.safeParse(json);
  if (!parsed.success) fail(`--training ${path}: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      size: { type: 'string', default: 'tiny' },
      precision: { type: 'string', default: 'fp32' },
      attention: { type: 'string', default: 'matmul' },
      out: { type: 'string' },
      'weights-dir': { type: 'string' },
      sd: { type: 'string' },
      'clip-vision': { type: 'string' },
      facex: { type: 'string' },
      seed: { type: 'string', default: '0' },
      'export-facex': { type: 'string' },
      training: { type: 'string' },
      'identity-width': { type: 'string' },
      'expression-width': { type: 'string' },
    },
  });
  if (!(PACK_SIZES as readonly string[]).includes(values.size)) fail(`--size must be one of ${PACK_SIZES.join(', ')}`);
  const precision = PRECISIONS[values.precision as keyof typeof PRECISIONS];
  if (precision === undefined) fail('--precision must be fp32 or fp16');
  if (values.attention !== 'matmul' && values.attention !== 'contrib') fail('--attention must be matmul or contrib');
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) fail('--seed must be an integer');
  const size = values.size as PackSize;
  const modelsDir = resolve(process.env['FACEX_MODELS_DIR'] ?? join(__dirname, '..', '..', 'models'));
  const outDir = resolve(values.out ?? join(modelsDir, `${DIFFUSION_PACK_NAME}-${size}-${values.precision}`));
  const weights = weightFiles(values);
  const widths = {
    identityWidth: optionalWidth(values['identity-width'], 'identity-width'),
    expressionWidth: optionalWidth(values['expression-width'], 'expression-width'),
  };
  const training = values.training === undefined ? undefined : trainingMetadata(values.training);
  const started = performance.now();
  const manifest = await buildDiffusionPack({
    outDir,
    size,
    graph: { precision, attention: values.attention },
    weights,
    seed,
    ...(widths.identityWidth !== undefined ? { identityWidth: widths.identityWidth } : {}),
    ...(widths.expressionWidth !== undefined ? { expressionWidth: widths.expressionWidth } : {}),
    ...(training ? { training } : {}),
    onProgress: (message) => console.log(`  ${message}`),
    ...(values['export-facex'] !== undefined ? { exportFacexWeights: resolve(values['export-facex']) } : {}),
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const origins = Object.entries(manifest.weights).map(([group, origin]) => `${group}=${origin.kind === 'file' ? origin.file : `random(seed ${origin.seed})`}`);
  console.log(
    `${manifest.name} ${manifest.version} (${size}, ${precision}) at ${outDir} in ${seconds} s; ${origins.join(', ')}${manifest.trained ? `; TRAINED (${manifest.training?.steps} steps)` : ''}${manifest.randomWeights ? '; RANDOM WEIGHTS' : ''}`,
  );
}

main().catch((error: unknown) => {
  console.error(isFacexError(error) ? `diffusion-pack failed: ${error.message}` : error);
  process.exit(1);
});
