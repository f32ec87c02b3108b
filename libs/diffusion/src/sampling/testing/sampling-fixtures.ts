import { LATENT_CHANNELS } from '../noise-predictor';
import type { SamplingRequest } from '../sampling-request';

/** Values in −1…1 that differ per (salt, index) without a PRNG, so fixtures never depend on the code under test. */
export function patternedValues(length: number, salt: number): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = Math.sin(i * 0.37 + salt * 1.91) * Math.cos(i * 0.11 - salt);
  return out;
}

/** A small guided request: 6×5 latents, 3 tokens of width 4, DDIM 8 steps, g = 5. */
export function makeRequest(overrides: Partial<SamplingRequest> = {}, salt = 1): SamplingRequest {
  const height = overrides.height ?? 6;
  const width = overrides.width ?? 5;
  const tokens = overrides.context?.tokens ?? 3;
  const dim = overrides.context?.dim ?? 4;
  return {
    height,
    width,
    context: { cond: patternedValues(tokens * dim, salt), uncond: new Float32Array(tokens * dim), tokens, dim },
    guidanceScale: 5,
    sampler: { kind: 'ddim', steps: 8 },
    seed: 1000 + salt,
    ...overrides,
  };
}

export function latentSize(request: Pick<SamplingRequest, 'height' | 'width'>): number {
  return LATENT_CHANNELS * request.height * request.width;
}
