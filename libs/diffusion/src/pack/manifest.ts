/** The diffusion model-pack manifest (`manifest.json`): files, hashes, tensor shapes, token layout, provenance. */
import { z } from 'zod';
import { COMPONENT_NAMES } from '@facex/contracts';
import { PACK_SIZES } from './sizes';

export const DIFFUSION_MODEL_IDS = ['unet', 'fors', 'regionEncoder', 'vaeEncoder', 'vaeDecoder'] as const;
export type DiffusionModelId = (typeof DIFFUSION_MODEL_IDS)[number];

export const DIFFUSION_PACK_NAME = 'facex-diffusion';
export const DIFFUSION_MANIFEST_FILE = 'manifest.json';
/** The generator name results carry. */
export const DIFFUSION_GENERATOR = 'diffusion';

const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'must be a lowercase hex sha256');
const fileNameSchema = z.string().regex(/^[A-Za-z0-9._-]+$/, 'must be a plain file name inside the pack');

const fileSchema = z.object({ file: fileNameSchema, sha256: sha256Schema, bytes: z.number().int().positive() });

export const diffusionTensorSpecSchema = z.object({
  name: z.string().min(1),
  /** A number is a fixed size; a string names a dynamic one (batch, height, ...). */
  dims: z.array(z.union([z.number().int().positive(), z.string().min(1)])),
  dtype: z.literal('float32'),
});

export const diffusionModelSchema = fileSchema.extend({
  /** Initializers stored beside the graph (sd15); onnxruntime finds it next to `file`. */
  externalData: fileSchema.optional(),
  parameters: z.number().int().positive(),
  inputs: z.array(diffusionTensorSpecSchema).min(1),
  outputs: z.array(diffusionTensorSpecSchema).min(1),
  /** The architecture numbers the graph was built with. */
  config: z.record(z.string(), z.unknown()),
});

export const weightOriginSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('file'), file: z.string().min(1), sha256: sha256Schema }),
  z.object({ kind: z.literal('random'), seed: z.number().int() }),
]);

/**
 * What a training run (training/, PyTorch) recorded about the weights it exported: the numbers of the run and
 * the base weights it started from. Free-form beyond these fields, so newer trainers may say more.
 */
export const trainingMetadataSchema = z
  .object({
    producer: z.string().min(1),
    size: z.enum(PACK_SIZES),
    steps: z.number().int().min(0),
    batch: z.number().int().positive(),
    learningRate: z.number().positive(),
    resolution: z.number().int().positive(),
  })
  .catchall(z.unknown());

export const diffusionManifestSchema = z.object({
  name: z.literal(DIFFUSION_PACK_NAME),
  version: z.string().min(1),
  generator: z.literal(DIFFUSION_GENERATOR),
  size: z.enum(PACK_SIZES),
  precision: z.enum(['float32', 'float16']),
  attention: z.enum(['matmul', 'contrib']),
  format: z.literal('onnx'),
  opset: z.number().int().positive(),
  irVersion: z.number().int().positive().max(10),
  /** True when any weight group was generated: the API refuses such packs for user edits. */
  randomWeights: z.boolean(),
  /** The FaceX weights came out of a training run (training/): such a pack serves user edits. */
  trained: z.boolean().optional(),
  training: trainingMetadataSchema.optional(),
  weights: z.object({ sd: weightOriginSchema, clipVision: weightOriginSchema, facex: weightOriginSchema }),
  latent: z.object({
    channels: z.number().int().positive(),
    /** Image pixels per latent pixel. */
    downsampleFactor: z.number().int().positive(),
    scalingFactor: z.number().positive(),
    /** Latent height and width must be multiples of this for the U-Net. */
    sizeMultiple: z.number().int().positive(),
  }),
  /** The Representation Assembler's packed layout the FORS graph reads (`tokens` input, one slot per component). */
  tokenLayout: z.object({
    slots: z.array(z.object({ component: z.enum(COMPONENT_NAMES), offset: z.number().int().min(0), width: z.number().int().positive() })),
    totalWidth: z.number().int().positive(),
  }),
  /** f_SD as FORS emits and the U-Net reads it: [B, tokens, width]. */
  context: z.object({ tokens: z.number().int().positive(), width: z.number().int().positive() }),
  regionEncoder: z.object({ imageSize: z.number().int().positive(), valueRange: z.tuple([z.number(), z.number()]), channelOrder: z.literal('RGB') }),
  models: z.object(Object.fromEntries(DIFFUSION_MODEL_IDS.map((id) => [id, diffusionModelSchema])) as Record<DiffusionModelId, typeof diffusionModelSchema>),
});

export type DiffusionTensorSpec = z.infer<typeof diffusionTensorSpecSchema>;
export type DiffusionManifestModel = z.infer<typeof diffusionModelSchema>;
export type WeightOrigin = z.infer<typeof weightOriginSchema>;
export type TrainingMetadata = z.infer<typeof trainingMetadataSchema>;
export type DiffusionPackManifest = z.infer<typeof diffusionManifestSchema>;
