/** The model-pack manifest (`manifest.json`): what each converted model is, where it came from, how to feed it. */
import { z } from 'zod';

export const MODEL_IDS = ['blazeface', 'facemesh', 'iris', 'mobileface', 'selfie'] as const;
export type ModelId = (typeof MODEL_IDS)[number];

const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'must be a lowercase hex sha256');

export const tensorSpecSchema = z.object({
  name: z.string().min(1),
  /** -1 marks a dynamic size (the batch). */
  dims: z.array(z.number().int().min(-1)),
  dtype: z.literal('float32'),
  /** NHWC for 4-D image tensors; ND for anything else (TF's own axis order). */
  layout: z.enum(['NHWC', 'ND']),
});

export const preprocessingSchema = z.object({
  /** [height, width] the image is resized to. */
  inputSize: z.tuple([z.number().int().positive(), z.number().int().positive()]),
  /** Pixel 0 maps to valueRange[0], pixel 255 to valueRange[1], linearly. */
  valueRange: z.tuple([z.number(), z.number()]),
  channelOrder: z.literal('RGB'),
  /** What the input image is: the whole frame, a face crop, an eye crop. */
  crop: z.string().min(1),
});

export const manifestModelSchema = z.object({
  task: z.string().min(1),
  file: z.string().regex(/^[A-Za-z0-9._-]+$/, 'must be a plain file name inside the pack'),
  sha256: sha256Schema,
  bytes: z.number().int().positive(),
  sources: z.array(z.object({ path: z.string().min(1), sha256: sha256Schema })).min(1),
  inputs: z.array(tensorSpecSchema).min(1),
  outputs: z.array(tensorSpecSchema).min(1),
  preprocessing: preprocessingSchema,
  licence: z.string().min(1),
  origin: z.string().min(1),
});

export const manifestSchema = z.object({
  name: z.string().min(1),
  version: z.string().min(1),
  converterVersion: z.string().min(1),
  format: z.literal('onnx'),
  opset: z.number().int().positive(),
  /** True only for test/benchmark packs; the API refuses such packs for user edits. */
  randomWeights: z.boolean(),
  models: z.object(Object.fromEntries(MODEL_IDS.map((id) => [id, manifestModelSchema])) as Record<ModelId, typeof manifestModelSchema>),
});

export type TensorSpec = z.infer<typeof tensorSpecSchema>;
export type Preprocessing = z.infer<typeof preprocessingSchema>;
export type ManifestModel = z.infer<typeof manifestModelSchema>;
export type ModelPackManifest = z.infer<typeof manifestSchema>;

export const MANIFEST_FILE = 'manifest.json';
export const PACK_NAME = 'facex-ford';
