import { assertProviderListed, diffusionSessionOptions } from './execution-provider';
import { DEFAULT_DIFFUSION_SETTINGS, diffusionSettingsFromEnv } from './settings';

describe('diffusionSettingsFromEnv', () => {
  it('starts no diffusion generator without FACEX_DIFFUSION_PACK', () => {
    expect(diffusionSettingsFromEnv({ FACEX_DIFFUSION_PROVIDER: 'cuda' })).toBeUndefined();
  });

  it('refuses FACEX_DIFFUSION_SET_ALPHA_TO_ONE with a sampler other than ddim, the default one included', () => {
    expect(() => diffusionSettingsFromEnv({ FACEX_DIFFUSION_PACK: '/p', FACEX_DIFFUSION_SET_ALPHA_TO_ONE: '1' })).toThrow(
      /ddim sampler only.*dpm-solver\+\+-2m/,
    );
    expect(() => diffusionSettingsFromEnv({ FACEX_DIFFUSION_PACK: '/p', FACEX_DIFFUSION_SAMPLER: 'euler', FACEX_DIFFUSION_SET_ALPHA_TO_ONE: '1' })).toThrow(
      'FACEX_DIFFUSION_SET_ALPHA_TO_ONE',
    );
  });

  it('fills the defaults: CPU, DPM-Solver++ 2M with leading spacing, random-weights packs refused', () => {
    const settings = diffusionSettingsFromEnv({ FACEX_DIFFUSION_PACK: '/packs/sd15' });
    expect(settings).toMatchObject({ ...DEFAULT_DIFFUSION_SETTINGS, packDir: '/packs/sd15', executionProvider: 'cpu', allowRandomWeights: false });
    expect(settings).toMatchObject({ sampler: 'dpm-solver++-2m', spacing: 'leading', setAlphaToOne: false });
    expect(settings?.threads).toBeGreaterThanOrEqual(1);
  });

  it('reads every variable', () => {
    const settings = diffusionSettingsFromEnv({
      FACEX_DIFFUSION_PACK: '/p',
      FACEX_DIFFUSION_PROVIDER: 'tensorrt',
      FACEX_DIFFUSION_THREADS: '3',
      FACEX_DIFFUSION_MAX_BATCH: '16',
      FACEX_DIFFUSION_MAX_WAIT_MS: '0',
      FACEX_DIFFUSION_SAMPLER: 'ddim',
      FACEX_DIFFUSION_SPACING: 'linspace',
      FACEX_DIFFUSION_SET_ALPHA_TO_ONE: 'true',
      FACEX_ALLOW_RANDOM_WEIGHTS: '1',
    });
    expect(settings).toEqual({
      packDir: '/p',
      executionProvider: 'tensorrt',
      threads: 3,
      maxBatch: 16,
      maxWaitMs: 0,
      sampler: 'ddim',
      spacing: 'linspace',
      setAlphaToOne: true,
      allowRandomWeights: true,
      verifyHashes: true,
    });
  });

  it.each([
    ['FACEX_DIFFUSION_PROVIDER', 'rocm'],
    ['FACEX_DIFFUSION_THREADS', '0'],
    ['FACEX_DIFFUSION_MAX_BATCH', '1'],
    ['FACEX_DIFFUSION_MAX_WAIT_MS', '-5'],
    ['FACEX_DIFFUSION_SAMPLER', 'heun'],
    ['FACEX_DIFFUSION_SPACING', 'karras'],
    ['FACEX_DIFFUSION_SET_ALPHA_TO_ONE', 'on'],
    ['FACEX_ALLOW_RANDOM_WEIGHTS', 'yes'],
  ])('refuses %s=%s, naming the variable', (name, value) => {
    expect(() => diffusionSettingsFromEnv({ FACEX_DIFFUSION_PACK: '/p', [name]: value })).toThrow(name);
  });
});

describe('execution providers', () => {
  const cpuOnly = [{ name: 'cpu', bundled: true }];

  it('refuses a provider this onnxruntime build does not list, naming it and what is available', () => {
    expect(() => assertProviderListed('cuda', cpuOnly)).toThrow(
      expect.objectContaining({ code: 'unavailable', message: expect.stringMatching(/'cuda'.*available: cpu/) }),
    );
    expect(() => assertProviderListed('cpu', cpuOnly)).not.toThrow();
  });

  it('passes the provider and threads through to the session options', () => {
    expect(diffusionSessionOptions('webgpu', 2)).toMatchObject({ executionProviders: ['webgpu'], intraOpNumThreads: 2, interOpNumThreads: 1 });
  });
});
