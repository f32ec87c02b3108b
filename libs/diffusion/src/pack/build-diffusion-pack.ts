/**
 * Builds a diffusion model pack: the U-Net (with FRC), FORS, region encoder and VAE graphs from the weight
 * files given (SD 1.5 checkpoint, Hugging Face CLIP vision tower, FaceX weights), each group falling back to a
 * seeded random initialisation when its file is absent. Models are built one at a time, large packs stream
 * their initializers to `<model>.onnx.data`, and `manifest.json` is written last (an interrupted build never
 * looks complete).
 */
import { createHash } from 'crypto';
import { mkdir, rm, stat, writeFile } from 'fs/promises';
import { basename, join } from 'path';
import { tokenLayout, type TokenLayout } from '@facex/assemblers';
import { EXPRESSION_COMPONENTS, FacexError } from '@facex/contracts';
import { ExternalDataInitializerStore, ONNX_IR_VERSION, ONNX_OPSET, type InitializerStore } from '@facex/onnx';
import { buildForsGraph, forsTokenCount } from '../graphs/fors';
import { DEFAULT_GRAPH_OPTIONS, type GraphOptions } from '../graphs/graph-options';
import { buildRegionEncoderGraph } from '../graphs/region-encoder';
import { buildUNetGraph, type BuiltGraph } from '../graphs/unet';
import { unetSizeMultiple } from '../graphs/unet-config';
import { buildVaeDecoderGraph, buildVaeEncoderGraph, vaeDownsampleFactor } from '../graphs/vae';
import { RecordingWeightSource } from '../weights/recording-weight-source';
import { SafetensorsFile, writeSafetensors } from '../weights/safetensors';
import { RandomWeightSource, SafetensorsWeightSource, WeightScope, type WeightSource } from '../weights/weight-source';
import { sha256File } from './file-digest';
import { graphSignature } from './graph-signature';
import {
  DIFFUSION_GENERATOR,
  DIFFUSION_MANIFEST_FILE,
  DIFFUSION_PACK_NAME,
  type DiffusionManifestModel,
  type DiffusionModelId,
  type DiffusionPackManifest,
  type TrainingMetadata,
  type WeightOrigin,
} from './manifest';
import { DIFFUSION_ARCHITECTURES, type PackSize } from './sizes';

/** Bump when the graph code changes what a pack computes. */
export const DIFFUSION_GRAPH_VERSION = '1';

/** Key prefixes inside each weight file. */
export const WEIGHT_PREFIXES = {
  unet: 'model.diffusion_model.',
  vae: 'first_stage_model.',
  clipVision: 'vision_model.',
  frc: 'frc.',
  fors: 'fors.',
  fpn: 'region_encoder.fpn.',
} as const;

export interface WeightFiles {
  /** An SD 1.5 checkpoint in the original layout (U-Net and VAE), e.g. v1-5-pruned-emaonly.safetensors. */
  sd?: string;
  /** A Hugging Face CLIPVisionModel (or CLIPModel) safetensors file. */
  clipVision?: string;
  /** The FaceX-specific weights: `frc.*`, `fors.*`, `region_encoder.fpn.*` (see libs/diffusion/README.md). */
  facex?: string;
}

export interface DiffusionPackOptions {
  outDir: string;
  size: PackSize;
  graph?: Partial<GraphOptions>;
  weights?: WeightFiles;
  /** Seed of the random initialisation for absent files. */
  seed?: number;
  identityWidth?: number;
  expressionWidth?: number;
  onProgress?: (message: string) => void;
  /**
   * Also write the FaceX-specific weights the pack was built with (frc.*, fors.*, region_encoder.fpn.*) to this
   * safetensors file: the exact keys and shapes a trained checkpoint must have, and a zero-FRC starting point.
   */
  exportFacexWeights?: string;
  /**
   * The training run that produced `weights.facex` (training/ export): the manifest then says `trained: true`
   * and carries it. Its size must be the pack's, and the FaceX weights must come from a file.
   */
  training?: TrainingMetadata;
}

/** The identity embedding width of the facex-ford pack (InsightFace MobileFaceNet, `mobileface`). */
export const DEFAULT_IDENTITY_WIDTH = 256;

interface OpenedWeights {
  source: WeightSource;
  origin: WeightOrigin;
  close(): void;
}

async function openWeights(path: string | undefined, seed: number): Promise<OpenedWeights> {
  if (path === undefined) return { source: new RandomWeightSource(seed), origin: { kind: 'random', seed }, close: () => undefined };
  const sha256 = await sha256File(path).catch(() => {
    throw new FacexError('model_pack_invalid', `weights file ${path} cannot be read`, { file: path });
  });
  const file = SafetensorsFile.open(path);
  return { source: new SafetensorsWeightSource(file, sha256), origin: { kind: 'file', file: basename(path), sha256 }, close: () => file.close() };
}

async function fileEntry(dir: string, file: string): Promise<{ file: string; sha256: string; bytes: number }> {
  const path = join(dir, file);
  return { file, sha256: await sha256File(path), bytes: (await stat(path)).size };
}

async function writeModel(
  outDir: string,
  id: DiffusionModelId,
  external: boolean,
  build: (store?: InitializerStore) => BuiltGraph,
  config: object,
): Promise<DiffusionManifestModel> {
  const file = `${id}.onnx`;
  const dataFile = `${file}.data`;
  const store = external ? new ExternalDataInitializerStore(join(outDir, dataFile)) : undefined;
  let built: BuiltGraph;
  try {
    built = build(store);
  } finally {
    store?.close();
  }
  await writeFile(join(outDir, file), built.model);
  const { inputs, outputs } = graphSignature(built.model);
  return {
    ...(await fileEntry(outDir, file)),
    ...(external ? { externalData: await fileEntry(outDir, dataFile) } : {}),
    parameters: built.parameterCount,
    inputs,
    outputs,
    config: { ...config },
  };
}

function packVersion(manifestCore: object): string {
  const digest = createHash('sha256').update(JSON.stringify(manifestCore)).digest('hex');
  return `${DIFFUSION_GRAPH_VERSION}+${digest.slice(0, 16)}`;
}

/** Whether the training run started any weight group from a seeded initialisation (`training.base`). */
function trainedFromSeed(training: TrainingMetadata | undefined): boolean {
  const base = training?.['base'];
  if (typeof base !== 'object' || base === null) return false;
  return Object.values(base).some((origin) => typeof origin === 'object' && origin !== null && (origin as { kind?: unknown }).kind === 'random');
}

export async function buildDiffusionPack(options: DiffusionPackOptions): Promise<DiffusionPackManifest> {
  const architecture = DIFFUSION_ARCHITECTURES[options.size];
  const graph: GraphOptions = { ...DEFAULT_GRAPH_OPTIONS, ...options.graph };
  const seed = options.seed ?? 0;
  const layout: TokenLayout = tokenLayout(options.identityWidth ?? DEFAULT_IDENTITY_WIDTH, options.expressionWidth ?? EXPRESSION_COMPONENTS.length);
  const progress = options.onProgress ?? (() => undefined);
  const { outDir, training } = options;
  if (training && training.size !== options.size) {
    throw new FacexError('model_pack_invalid', `training.size: the weights were trained for ${training.size}, the pack is ${options.size}`, {
      field: 'training.size',
    });
  }
  if (training && options.weights?.facex === undefined) {
    throw new FacexError('model_pack_invalid', 'weights.facex: a trained pack needs the trained FaceX weights file', { field: 'weights.facex' });
  }
  await mkdir(outDir, { recursive: true });
  await rm(join(outDir, DIFFUSION_MANIFEST_FILE), { force: true });

  const openedFiles: OpenedWeights[] = [];
  const open = async (path: string | undefined): Promise<OpenedWeights> => {
    const opened = await openWeights(path, seed);
    openedFiles.push(opened);
    return opened;
  };
  const external = architecture.externalData;
  const models = {} as Record<DiffusionModelId, DiffusionManifestModel>;
  let weights: Record<'sd' | 'clipVision' | 'facex', WeightOrigin>;
  let recorder: RecordingWeightSource | null;
  try {
    const sd = await open(options.weights?.sd);
    const clip = await open(options.weights?.clipVision);
    const facexFile = await open(options.weights?.facex);
    recorder = options.exportFacexWeights === undefined ? null : new RecordingWeightSource(facexFile.source);
    const facex = { source: recorder ?? facexFile.source };
    weights = { sd: sd.origin, clipVision: clip.origin, facex: facexFile.origin };
    const step = async (id: DiffusionModelId, build: (store?: InitializerStore) => BuiltGraph, config: object): Promise<void> => {
      const started = Date.now();
      models[id] = await writeModel(outDir, id, external, build, config);
      progress(`${id}: ${models[id].parameters} parameters in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    };
    const unetWeights = { unet: new WeightScope(sd.source, WEIGHT_PREFIXES.unet), frc: new WeightScope(facex.source, WEIGHT_PREFIXES.frc) };
    await step('unet', (store) => buildUNetGraph(architecture.unet, unetWeights, graph, store), architecture.unet);
    await step(
      'fors',
      (store) => buildForsGraph(architecture.fors, layout, new WeightScope(facex.source, WEIGHT_PREFIXES.fors), graph, store),
      architecture.fors,
    );
    const clipScope = new WeightScope(clip.source, WEIGHT_PREFIXES.clipVision);
    const fpnScope = new WeightScope(facex.source, WEIGHT_PREFIXES.fpn);
    await step('regionEncoder', (store) => buildRegionEncoderGraph(architecture.regionEncoder, clipScope, fpnScope, graph, store), architecture.regionEncoder);
    const vaeScope = new WeightScope(sd.source, WEIGHT_PREFIXES.vae);
    await step('vaeEncoder', (store) => buildVaeEncoderGraph(architecture.vae, vaeScope, graph, store), architecture.vae);
    await step('vaeDecoder', (store) => buildVaeDecoderGraph(architecture.vae, vaeScope, graph, store), architecture.vae);
  } finally {
    for (const opened of openedFiles) opened.close();
  }
  if (recorder && options.exportFacexWeights !== undefined) {
    writeSafetensors(options.exportFacexWeights, recorder.tensors, graph.precision === 'float16' ? 'F16' : 'F32', {
      format: 'pt',
      producer: DIFFUSION_PACK_NAME,
    });
  }

  const core = {
    size: options.size,
    precision: graph.precision,
    attention: graph.attention,
    weights,
    tokenLayout: layout,
    training: training ?? null,
    models: Object.fromEntries(Object.entries(models).map(([id, model]) => [id, model.sha256])),
  };
  const downsampleFactor = vaeDownsampleFactor(architecture.vae);
  const manifest: DiffusionPackManifest = {
    name: DIFFUSION_PACK_NAME,
    version: packVersion(core),
    generator: DIFFUSION_GENERATOR,
    size: options.size,
    precision: graph.precision,
    attention: graph.attention,
    format: 'onnx',
    opset: ONNX_OPSET,
    irVersion: ONNX_IR_VERSION,
    // A trained pack's files were all written by the trainer; a group it started from a seed is still random.
    randomWeights: Object.values(weights).some((origin) => origin.kind === 'random') || trainedFromSeed(training),
    ...(training ? { trained: true, training } : {}),
    weights,
    latent: {
      channels: architecture.vae.latentChannels,
      downsampleFactor,
      scalingFactor: architecture.vae.scalingFactor,
      sizeMultiple: unetSizeMultiple(architecture.unet),
    },
    tokenLayout: { slots: layout.slots.map((slot) => ({ ...slot })), totalWidth: layout.totalWidth },
    context: { tokens: forsTokenCount(architecture.fors, layout), width: architecture.unet.contextWidth },
    regionEncoder: { imageSize: architecture.regionEncoder.clip.imageSize, valueRange: [0, 1], channelOrder: 'RGB' },
    models,
  };
  await writeFile(join(outDir, DIFFUSION_MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
