/** The ONNX U-Net in onnxruntime-node as the bench runs it: CPU EP, `threads` intra-op threads, all graph optimisations. */
import { readdirSync, readFileSync } from 'fs';
import { basename, dirname, join } from 'path';
import * as ort from 'onnxruntime-node';
import { LATENT_CHANNELS, OrtNoisePredictor, type PredictorDims } from '@facex/diffusion';
import { summariseProfile, type OpTypeTime } from './profile-summary';

export function createUNetSession(modelPath: string, threads: number, profilePrefix?: string): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(modelPath, {
    executionProviders: ['cpu'],
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    ...(profilePrefix ? { enableProfiling: true, profileFilePrefix: profilePrefix } : {}),
  });
}

/** Deterministic inputs of the given shape (timing does not depend on the values). */
export function benchInputs(dims: PredictorDims): { latents: Float32Array; timesteps: Float32Array; context: Float32Array } {
  const fill = (length: number, phase: number): Float32Array => Float32Array.from({ length }, (_, i) => Math.sin(0.37 * i + phase));
  return {
    latents: fill(dims.batch * LATENT_CHANNELS * dims.height * dims.width, 0),
    timesteps: new Float32Array(dims.batch).fill(500),
    context: fill(dims.batch * dims.tokens * dims.contextDim, 1),
  };
}

/** Milliseconds of each of `runs` evaluations after `warmup` untimed ones. */
export async function timeOrtEvaluations(session: ort.InferenceSession, dims: PredictorDims, warmup: number, runs: number): Promise<number[]> {
  const predictor = new OrtNoisePredictor(session);
  const { latents, timesteps, context } = benchInputs(dims);
  for (let i = 0; i < warmup; i++) await predictor.predict(latents, timesteps, context, dims);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await predictor.predict(latents, timesteps, context, dims);
    times.push(performance.now() - started);
  }
  return times;
}

/** One profiled evaluation (after one warm-up) in a fresh session; time per ONNX op type, largest first. */
export async function profileOrtEvaluation(modelPath: string, threads: number, dims: PredictorDims, profilePrefix: string): Promise<OpTypeTime[]> {
  const session = await createUNetSession(modelPath, threads, profilePrefix);
  try {
    await timeOrtEvaluations(session, dims, 1, 1);
    session.endProfiling();
  } finally {
    await session.release();
  }
  // ORT names the file `<prefix>_<timestamp>.json`; the newest one is this session's.
  const dir = dirname(profilePrefix);
  const files = readdirSync(dir).filter((f) => f.startsWith(`${basename(profilePrefix)}_`) && f.endsWith('.json')).sort();
  const file = files[files.length - 1];
  if (file === undefined) return [];
  return summariseProfile(JSON.parse(readFileSync(join(dir, file), 'utf8')) as unknown[], 2);
}
