import { FacexError } from '@facex/contracts';
import { DdimSampler } from './ddim-sampler';
import { DpmSolver2mSampler } from './dpm-solver-2m-sampler';
import { EulerSampler } from './euler-sampler';
import type { NoiseSchedule } from './noise-schedule';
import { SAMPLER_KINDS, type Sampler, type SamplerKind } from './sampler';
import { createSamplingPlan, SD15_TIMESTEP_SPACING, TIMESTEP_SPACINGS, type TimestepSpacing } from './sampling-plan';
import { GaussianNoise } from './seeded-noise';

export interface SamplerSettings {
  readonly kind: SamplerKind;
  readonly steps: number;
  /** Default `leading` with steps offset 1, as SD 1.5 ships. */
  readonly spacing?: TimestepSpacing;
  /** DDIM only: 0 = deterministic (default), 1 = DDPM-like ancestral noise. */
  readonly eta?: number;
  /** DDIM only: end on ᾱ = 1 instead of SD 1.5's stock ᾱ_0 (diffusers' `set_alpha_to_one`; default false). */
  readonly setAlphaToOne?: boolean;
}

/** Builds one job's sampler; `seed` feeds DDIM's η noise stream. Bad settings raise `invalid_recipe`. */
export function createSampler(settings: SamplerSettings, schedule: NoiseSchedule, elementCount: number, seed: number): Sampler {
  if (!SAMPLER_KINDS.includes(settings.kind)) {
    throw new FacexError('invalid_recipe', `sampler.kind must be one of ${SAMPLER_KINDS.join(', ')}, got ${String(settings.kind)}`, {
      field: 'sampler.kind',
    });
  }
  const spacing = settings.spacing ?? SD15_TIMESTEP_SPACING.spacing;
  if (!TIMESTEP_SPACINGS.includes(spacing)) {
    throw new FacexError('invalid_recipe', `sampler.spacing must be one of ${TIMESTEP_SPACINGS.join(', ')}, got ${String(spacing)}`, {
      field: 'sampler.spacing',
    });
  }
  const eta = settings.eta ?? 0;
  if (!(eta >= 0 && eta <= 1)) {
    throw new FacexError('invalid_recipe', `sampler.eta must be in 0…1, got ${eta}`, { field: 'sampler.eta' });
  }
  if (eta !== 0 && settings.kind !== 'ddim') {
    throw new FacexError('invalid_recipe', `sampler.eta applies to ddim only, got ${eta} for ${settings.kind}`, { field: 'sampler.eta' });
  }
  const setAlphaToOne = settings.setAlphaToOne ?? false;
  if (typeof setAlphaToOne !== 'boolean') {
    throw new FacexError('invalid_recipe', `sampler.setAlphaToOne must be true or false, got ${String(setAlphaToOne)}`, { field: 'sampler.setAlphaToOne' });
  }
  // Euler and DPM-Solver++ always end on ᾱ = 1 (σ = 0), so the option means nothing for them.
  if (setAlphaToOne && settings.kind !== 'ddim') {
    throw new FacexError('invalid_recipe', `sampler.setAlphaToOne applies to ddim only, got it for ${settings.kind}`, { field: 'sampler.setAlphaToOne' });
  }
  const plan = createSamplingPlan(settings.kind, schedule, settings.steps, { spacing, stepsOffset: SD15_TIMESTEP_SPACING.stepsOffset, setAlphaToOne });
  switch (settings.kind) {
    case 'ddim':
      return new DdimSampler(plan, eta, new GaussianNoise(seed, 'ddimEta'));
    case 'dpm-solver++-2m':
      return new DpmSolver2mSampler(plan, elementCount);
    case 'euler':
      return new EulerSampler(plan);
  }
}
