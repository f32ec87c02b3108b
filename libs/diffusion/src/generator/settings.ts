/**
 * The diffusion generator's configuration and how the worker process reads it from the environment:
 *   FACEX_DIFFUSION_PACK          the pack directory (manifest.json); without it no diffusion generator starts
 *   FACEX_DIFFUSION_PROVIDER      cpu (default) | webgpu | cuda | tensorrt
 *   FACEX_DIFFUSION_THREADS       intra-op threads per session (default: one per core)
 *   FACEX_DIFFUSION_MAX_BATCH     U-Net samples per call (default 8; a guided job takes 2); a video chunk batches as many frames as one call holds
 *   FACEX_DIFFUSION_MAX_WAIT_MS   how long a call with room waits for more jobs (default 10)
 *   FACEX_DIFFUSION_SAMPLER       ddim | dpm-solver++-2m (default) | euler
 *   FACEX_DIFFUSION_SPACING       leading (default, SD 1.5's) | trailing | linspace
 *   FACEX_DIFFUSION_SET_ALPHA_TO_ONE  1 or true: DDIM ends on ᾱ = 1 instead of SD 1.5's stock ᾱ_0 (ddim only)
 *   FACEX_ALLOW_RANDOM_WEIGHTS    1 or true: serve user edits from a pack whose manifest says randomWeights
 */
import { availableParallelism } from 'node:os';
import { SAMPLER_KINDS, type SamplerKind } from '../sampling/sampler';
import { TIMESTEP_SPACINGS, type TimestepSpacing } from '../sampling/sampling-plan';
import { parseExecutionProvider, type ExecutionProvider } from './execution-provider';

export interface DiffusionGeneratorSettings {
  /** Directory of a diffusion pack (see buildDiffusionPack). */
  packDir: string;
  executionProvider: ExecutionProvider;
  threads: number;
  maxBatch: number;
  maxWaitMs: number;
  /** The edit options carry no sampler, so the worker picks one for every job. */
  sampler: SamplerKind;
  /** How every job's timesteps are spaced; each sampler spaces them as its reference scheduler does. */
  spacing: TimestepSpacing;
  /** DDIM only: end on ᾱ = 1 (diffusers' set_alpha_to_one) instead of SD 1.5's stock ᾱ_0 = 0.99915. */
  setAlphaToOne: boolean;
  /** Serve user edits from a random-weights pack (tests, benchmarks). */
  allowRandomWeights: boolean;
  /** Hash every pack file when opening (minutes for sd15); sizes are always checked. */
  verifyHashes: boolean;
}

export const DEFAULT_DIFFUSION_SETTINGS: Omit<DiffusionGeneratorSettings, 'packDir' | 'threads'> = {
  executionProvider: 'cpu',
  maxBatch: 8,
  maxWaitMs: 10,
  sampler: 'dpm-solver++-2m',
  spacing: 'leading',
  setAlphaToOne: false,
  allowRandomWeights: false,
  verifyHashes: true,
};

/** Fills in the defaults. */
export function resolveDiffusionSettings(
  settings: Partial<DiffusionGeneratorSettings> & Pick<DiffusionGeneratorSettings, 'packDir'>,
): DiffusionGeneratorSettings {
  return { ...DEFAULT_DIFFUSION_SETTINGS, threads: availableParallelism(), ...settings };
}

// Operator configuration, not user input (as in the worker process): a plain error that stops start-up.
function integerFromEnv(env: NodeJS.ProcessEnv, name: string, min: number): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name}: expected an integer ≥ ${min}, got '${raw}'`);
  return value;
}

function booleanFromEnv(env: NodeJS.ProcessEnv, name: string): boolean | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (raw === '1' || raw === 'true') return true;
  if (raw === '0' || raw === 'false') return false;
  throw new Error(`${name}: expected 1, true, 0 or false, got '${raw}'`);
}

/** The settings the environment asks for; undefined when FACEX_DIFFUSION_PACK is unset (no diffusion generator). */
export function diffusionSettingsFromEnv(env: NodeJS.ProcessEnv): DiffusionGeneratorSettings | undefined {
  const packDir = env['FACEX_DIFFUSION_PACK'];
  if (!packDir) return undefined;
  const sampler = env['FACEX_DIFFUSION_SAMPLER'];
  if (sampler && !(SAMPLER_KINDS as readonly string[]).includes(sampler)) {
    throw new Error(`FACEX_DIFFUSION_SAMPLER: expected one of ${SAMPLER_KINDS.join(', ')}, got '${sampler}'`);
  }
  const spacing = env['FACEX_DIFFUSION_SPACING'];
  if (spacing && !(TIMESTEP_SPACINGS as readonly string[]).includes(spacing)) {
    throw new Error(`FACEX_DIFFUSION_SPACING: expected one of ${TIMESTEP_SPACINGS.join(', ')}, got '${spacing}'`);
  }
  const setAlphaToOne = booleanFromEnv(env, 'FACEX_DIFFUSION_SET_ALPHA_TO_ONE');
  if (setAlphaToOne && (sampler ?? DEFAULT_DIFFUSION_SETTINGS.sampler) !== 'ddim') {
    throw new Error(`FACEX_DIFFUSION_SET_ALPHA_TO_ONE: applies to the ddim sampler only, the sampler is '${sampler ?? DEFAULT_DIFFUSION_SETTINGS.sampler}'`);
  }
  const provider = env['FACEX_DIFFUSION_PROVIDER'];
  const chosen = {
    executionProvider: provider ? parseExecutionProvider(provider, 'FACEX_DIFFUSION_PROVIDER') : undefined,
    threads: integerFromEnv(env, 'FACEX_DIFFUSION_THREADS', 1),
    maxBatch: integerFromEnv(env, 'FACEX_DIFFUSION_MAX_BATCH', 2),
    maxWaitMs: integerFromEnv(env, 'FACEX_DIFFUSION_MAX_WAIT_MS', 0),
    sampler: sampler ? (sampler as SamplerKind) : undefined,
    spacing: spacing ? (spacing as TimestepSpacing) : undefined,
    setAlphaToOne,
    allowRandomWeights: booleanFromEnv(env, 'FACEX_ALLOW_RANDOM_WEIGHTS'),
  };
  const given = Object.fromEntries(Object.entries(chosen).filter(([, value]) => value !== undefined));
  return resolveDiffusionSettings({ packDir, ...given });
}
