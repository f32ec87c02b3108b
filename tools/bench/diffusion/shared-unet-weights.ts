/**
 * The U-Net both runtimes run: built from a seed by libs/diffusion's graph code, and the exact tensors the
 * graph read written to a safetensors file with SD 1.5 checkpoint keys (`model.diffusion_model.*`) plus the
 * FRC keys (`frc.*`). The architecture numbers travel in the file's metadata (`unet_config`), so the Python
 * reference needs nothing else. The safetensors file is always F32 (the values before any fp16 rounding): an
 * fp16 ONNX graph and PyTorch in fp16 round the same values.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';
import { tokenLayout } from '@facex/assemblers';
import { EXPRESSION_COMPONENTS } from '@facex/contracts';
import {
  DEFAULT_IDENTITY_WIDTH,
  DIFFUSION_ARCHITECTURES,
  DIFFUSION_GRAPH_VERSION,
  RandomWeightSource,
  RecordingWeightSource,
  WeightScope,
  WEIGHT_PREFIXES,
  buildUNetGraph,
  forsTokenCount,
  writeSafetensors,
  type GraphOptions,
  type PackSize,
  type ParamInit,
  type UNetConfig,
  type WeightSource,
} from '@facex/diffusion';
import { ExternalDataInitializerStore } from '@facex/onnx';

export interface SharedUNet {
  size: PackSize;
  config: UNetConfig;
  precision: GraphOptions['precision'];
  /** Context tokens of the pack (FORS output: one per slot plus the reference tokens). */
  tokens: number;
  /** One ONNX file per attention lowering asked for, all with the same weights. */
  modelPaths: Partial<Record<GraphOptions['attention'], string>>;
  weightsPath: string;
  parameters: number;
}

/**
 * Every parameter non-trivial: norms get 1 ± U and zero-initialised layers (the FRC ZeroConv) get U, so a
 * misplaced norm affine or an FRC step that is not wired in changes the output.
 */
export class EveryParameterActiveSource implements WeightSource {
  readonly random = true;
  readonly description: string;
  private readonly inner: RandomWeightSource;

  constructor(seed: number) {
    this.inner = new RandomWeightSource(seed);
    this.description = `every-parameter-active(seed=${seed})`;
  }

  tensor(key: string, shape: readonly number[], init: ParamInit): Float32Array {
    if (init.kind !== 'constant') return this.inner.tensor(key, shape, init);
    const data = this.inner.tensor(key, shape, { kind: 'uniform', fanIn: 16 });
    for (let i = 0; i < data.length; i++) data[i] = (data[i] as number) + init.value;
    return data;
  }
}

export interface SharedUNetOptions {
  size: PackSize;
  dir: string;
  seed: number;
  attentions: ReadonlyArray<GraphOptions['attention']>;
  /** Default float32. */
  precision?: GraphOptions['precision'];
}

/** Written last into `dir`: a later bench with the same options reuses the files (an sd15 build takes minutes). */
const BUILD_RECORD = 'unet-build.json';

/** What a build's files depend on; two builds with equal keys have byte-identical files. */
export function sharedUNetBuildKey(options: Omit<SharedUNetOptions, 'dir'>): string {
  const { size, seed, attentions, precision = 'float32' } = options;
  return JSON.stringify({ graphVersion: DIFFUSION_GRAPH_VERSION, size, seed, precision, attentions: [...attentions] });
}

function writeUNetModel(config: UNetConfig, source: WeightSource, path: string, graph: GraphOptions, externalData: boolean): number {
  const store = externalData ? new ExternalDataInitializerStore(`${path}.data`) : undefined;
  const weights = { unet: new WeightScope(source, WEIGHT_PREFIXES.unet), frc: new WeightScope(source, WEIGHT_PREFIXES.frc) };
  try {
    const built = buildUNetGraph(config, weights, graph, store);
    writeFileSync(path, built.model);
    return built.parameterCount;
  } finally {
    store?.close();
  }
}

/**
 * Builds `unet-<attention>.onnx` per attention lowering (external data for sd15) and `unet.safetensors` (F32,
 * the tensors the first build read; later builds regenerate the same values from the seed). A directory that
 * already holds a build with the same key is reused as it is.
 */
export function buildSharedUNet(options: SharedUNetOptions): SharedUNet & { reused: boolean } {
  const architecture = DIFFUSION_ARCHITECTURES[options.size];
  const config = architecture.unet;
  const precision = options.precision ?? 'float32';
  const weightsPath = join(options.dir, 'unet.safetensors');
  const modelPaths: SharedUNet['modelPaths'] = {};
  for (const attention of options.attentions) modelPaths[attention] = join(options.dir, `unet-${attention}.onnx`);
  const layout = tokenLayout(DEFAULT_IDENTITY_WIDTH, EXPRESSION_COMPONENTS.length);
  const shared = { size: options.size, config, precision, tokens: forsTokenCount(architecture.fors, layout), modelPaths, weightsPath };

  const key = sharedUNetBuildKey(options);
  const recordPath = join(options.dir, BUILD_RECORD);
  const record = existsSync(recordPath) ? (JSON.parse(readFileSync(recordPath, 'utf8')) as { key: string; parameters: number }) : null;
  if (record?.key === key) return { ...shared, parameters: record.parameters, reused: true };

  mkdirSync(options.dir, { recursive: true });
  rmSync(recordPath, { force: true });
  let parameters = 0;
  options.attentions.forEach((attention, index) => {
    const source = new EveryParameterActiveSource(options.seed);
    const recorder = index === 0 ? new RecordingWeightSource(source) : null;
    parameters = writeUNetModel(config, recorder ?? source, modelPaths[attention] as string, { precision, attention }, architecture.externalData);
    if (recorder) writeSafetensors(weightsPath, recorder.tensors, 'F32', { format: 'pt', unet_config: JSON.stringify(config) });
  });
  writeFileSync(recordPath, JSON.stringify({ key, parameters }));
  return { ...shared, parameters, reused: false };
}
