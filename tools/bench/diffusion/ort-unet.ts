/**
 * The ONNX U-Net in onnxruntime-node as the bench runs it: one execution provider (the diffusion worker's
 * session options), all graph optimisations. Every timed evaluation ends with its output in host memory, so a
 * GPU provider cannot report work it has only queued.
 */
import { readdirSync, readFileSync } from 'fs';
import { basename, dirname, join } from 'path';
import * as ort from 'onnxruntime-node';
import {
  LATENT_CHANNELS,
  OrtNoisePredictor,
  UNET_OUTPUT,
  assertProviderListed,
  diffusionSessionOptions,
  providerStartError,
  unetFeeds,
  type ExecutionProvider,
  type PredictorDims,
} from '@facex/diffusion';
import { OnnxGraphBuilder } from '@facex/onnx';
import { summariseProfile, type ProfileSummary } from './profile-summary';

export interface UNetSessionOptions {
  provider: ExecutionProvider;
  threads: number;
  /** WebGPU only: leave outputs in GPU buffers (`preferredOutputLocation: 'gpu-buffer'`). */
  outputsOnGpu?: boolean;
  profilePrefix?: string;
}

/** A session on the chosen provider; one this onnxruntime-node build lacks, or cannot start, fails with a FacexError naming it. */
export async function createOrtSession(model: string | Uint8Array, options: UNetSessionOptions): Promise<ort.InferenceSession> {
  assertProviderListed(options.provider, ort.listSupportedBackends());
  const sessionOptions: ort.InferenceSession.SessionOptions = {
    ...diffusionSessionOptions(options.provider, options.threads),
    ...(options.outputsOnGpu ? { preferredOutputLocation: 'gpu-buffer' as const } : {}),
    ...(options.profilePrefix ? { enableProfiling: true, profileFilePrefix: options.profilePrefix } : {}),
  };
  try {
    return typeof model === 'string' ? await ort.InferenceSession.create(model, sessionOptions) : await ort.InferenceSession.create(model, sessionOptions);
  } catch (error) {
    throw providerStartError(options.provider, typeof model === 'string' ? basename(model) : 'the readback graph', error);
  }
}

export interface BenchInputs {
  latents: Float32Array;
  timesteps: Float32Array;
  context: Float32Array;
}

/** Deterministic inputs of the given shape (timing does not depend on the values). */
export function benchInputs(dims: PredictorDims): BenchInputs {
  const fill = (length: number, phase: number): Float32Array => Float32Array.from({ length }, (_, i) => Math.sin(0.37 * i + phase));
  return {
    latents: fill(dims.batch * LATENT_CHANNELS * dims.height * dims.width, 0),
    timesteps: new Float32Array(dims.batch).fill(500),
    context: fill(dims.batch * dims.tokens * dims.contextDim, 1),
  };
}

/** One U-Net evaluation that resolves once the predicted noise is in host memory. */
export interface UNetEvaluator {
  /** How outputs reach the host, for the report. */
  readonly outputs: string;
  evaluate(inputs: BenchInputs, dims: PredictorDims): Promise<Float32Array>;
  release(): Promise<void>;
}

/** Outputs in host memory straight from `run` (the diffusion worker's path). */
export class HostOutputEvaluator implements UNetEvaluator {
  readonly outputs = 'returned in host memory by run()';
  private readonly predictor: OrtNoisePredictor;

  constructor(readonly session: ort.InferenceSession) {
    this.predictor = new OrtNoisePredictor(session);
  }

  evaluate(inputs: BenchInputs, dims: PredictorDims): Promise<Float32Array> {
    return this.predictor.predict(inputs.latents, inputs.timesteps, inputs.context, dims);
  }

  release(): Promise<void> {
    return this.session.release();
  }
}

const READBACK_INPUT = 'device_noise';
const READBACK_OUTPUT = 'host_noise';

/** A one-node graph (Identity) whose session, on the same provider, copies a GPU-resident tensor to the host. */
function readbackModel(): Uint8Array {
  const builder = new OnnxGraphBuilder();
  const dims = ['batch', LATENT_CHANNELS, 'height', 'width'];
  builder.addInput(READBACK_INPUT, dims);
  builder.addNode('Identity', [READBACK_INPUT], READBACK_OUTPUT);
  builder.addOutput(READBACK_OUTPUT, dims);
  return builder.encode({ graphName: 'facex-readback', producerName: 'facex-bench', producerVersion: '1' });
}

/**
 * WebGPU: the U-Net's output stays in a GPU buffer (`run` may return before the GPU has finished), and a
 * second session on the same device downloads it, which waits for the queued U-Net work. onnxruntime-node
 * cannot download a GPU-buffer tensor itself (`getData()` aborts the process), hence the readback session.
 */
export class GpuBufferEvaluator implements UNetEvaluator {
  readonly outputs = "kept in a GPU buffer (preferredOutputLocation 'gpu-buffer'), then downloaded by a one-node readback session";

  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly readback: ort.InferenceSession,
  ) {}

  static async create(modelPath: string, options: UNetSessionOptions): Promise<GpuBufferEvaluator> {
    const session = await createOrtSession(modelPath, { ...options, outputsOnGpu: true });
    const readback = await createOrtSession(readbackModel(), options).catch(async (error: unknown) => {
      await session.release();
      throw error;
    });
    return new GpuBufferEvaluator(session, readback);
  }

  async evaluate(inputs: BenchInputs, dims: PredictorDims): Promise<Float32Array> {
    const results = await this.session.run(unetFeeds(inputs.latents, inputs.timesteps, inputs.context, dims));
    const noise = results[UNET_OUTPUT] as ort.Tensor;
    try {
      const host = await this.readback.run({ [READBACK_INPUT]: noise });
      return (host[READBACK_OUTPUT] as ort.Tensor).data as Float32Array;
    } finally {
      noise.dispose();
    }
  }

  async release(): Promise<void> {
    await this.session.release();
    await this.readback.release();
  }
}

/** Milliseconds of each of `runs` evaluations after `warmup` untimed ones. */
export async function timeEvaluations(evaluator: UNetEvaluator, dims: PredictorDims, warmup: number, runs: number): Promise<number[]> {
  const inputs = benchInputs(dims);
  for (let i = 0; i < warmup; i++) await evaluator.evaluate(inputs, dims);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await evaluator.evaluate(inputs, dims);
    times.push(performance.now() - started);
  }
  return times;
}

/** One profiled evaluation (after one warm-up) in a fresh session; time per ONNX op type, largest first. */
export async function profileOrtEvaluation(
  modelPath: string,
  options: UNetSessionOptions,
  dims: PredictorDims,
  profilePrefix: string,
): Promise<ProfileSummary | null> {
  const session = await createOrtSession(modelPath, { ...options, outputsOnGpu: false, profilePrefix });
  try {
    await timeEvaluations(new HostOutputEvaluator(session), dims, 1, 1);
    session.endProfiling();
  } finally {
    await session.release();
  }
  // ORT names the file `<prefix>_<timestamp>.json`; the newest one is this session's.
  const dir = dirname(profilePrefix);
  const files = readdirSync(dir)
    .filter((f) => f.startsWith(`${basename(profilePrefix)}_`) && f.endsWith('.json'))
    .sort();
  const file = files[files.length - 1];
  if (file === undefined) return null;
  return summariseProfile(JSON.parse(readFileSync(join(dir, file), 'utf8')) as unknown[], 2);
}
