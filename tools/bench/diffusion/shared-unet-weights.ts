/**
 * The U-Net both runtimes run: built from a seed by libs/diffusion's graph code, and the exact tensors the
 * graph read written to a safetensors file with SD 1.5 checkpoint keys (`model.diffusion_model.*`) plus the
 * FRC keys (`frc.*`). The architecture numbers travel in the file's metadata (`unet_config`), so the Python
 * reference needs nothing else.
 */
import { writeFileSync } from 'fs';
import { join } from 'path';
import { tokenLayout } from '@facex/assemblers';
import { EXPRESSION_COMPONENTS } from '@facex/contracts';
import {
  DEFAULT_IDENTITY_WIDTH,
  DIFFUSION_ARCHITECTURES,
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
}

function writeUNetModel(config: UNetConfig, source: WeightSource, path: string, attention: GraphOptions['attention'], externalData: boolean): number {
  const store = externalData ? new ExternalDataInitializerStore(`${path}.data`) : undefined;
  const weights = { unet: new WeightScope(source, WEIGHT_PREFIXES.unet), frc: new WeightScope(source, WEIGHT_PREFIXES.frc) };
  try {
    const built = buildUNetGraph(config, weights, { precision: 'float32', attention }, store);
    writeFileSync(path, built.model);
    return built.parameterCount;
  } finally {
    store?.close();
  }
}

/**
 * Builds `unet-<attention>.onnx` per attention lowering (external data for sd15) and `unet.safetensors` (F32,
 * the tensors the first build read; later builds regenerate the same values from the seed).
 */
export function buildSharedUNet(options: SharedUNetOptions): SharedUNet {
  const architecture = DIFFUSION_ARCHITECTURES[options.size];
  const config = architecture.unet;
  const weightsPath = join(options.dir, 'unet.safetensors');
  const modelPaths: SharedUNet['modelPaths'] = {};
  let parameters = 0;
  options.attentions.forEach((attention, index) => {
    const path = join(options.dir, `unet-${attention}.onnx`);
    const source = new EveryParameterActiveSource(options.seed);
    const recorder = index === 0 ? new RecordingWeightSource(source) : null;
    parameters = writeUNetModel(config, recorder ?? source, path, attention, architecture.externalData);
    if (recorder) writeSafetensors(weightsPath, recorder.tensors, 'F32', { format: 'pt', unet_config: JSON.stringify(config) });
    modelPaths[attention] = path;
  });
  const layout = tokenLayout(DEFAULT_IDENTITY_WIDTH, EXPRESSION_COMPONENTS.length);
  return { size: options.size, config, tokens: forsTokenCount(architecture.fors, layout), modelPaths, weightsPath, parameters };
}
