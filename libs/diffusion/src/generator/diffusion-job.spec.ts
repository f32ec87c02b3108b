import { recipeFromPreset } from '@facex/contracts';
import { nullTokens, tokenLayout, type AssembledTokens } from '@facex/assemblers';
import type { GeneratorConditions } from '@facex/generators';
import { buildDiffusionJob, randomWeightsRefusal, type JobPackFacts } from './diffusion-job';

const layout = tokenLayout(4, 2);
const pack: JobPackFacts = { tokenLayout: layout, latent: { channels: 4, downsampleFactor: 8, scalingFactor: 0.18215, sizeMultiple: 2 } };
const crop = () => ({ data: new Uint8Array(512 * 512 * 3), width: 512, height: 512 });
const mask = () => ({ data: new Uint8Array(512 * 512), width: 512, height: 512 });
const DDIM = { kind: 'ddim', spacing: 'leading', setAlphaToOne: false } as const;

function presentTokens(): AssembledTokens {
  const tokens = nullTokens(layout);
  tokens.slots[0].present = true;
  tokens.slots[0].values.fill(0.5);
  return tokens;
}

const conditions = (overrides: Partial<GeneratorConditions> = {}): GeneratorConditions => ({
  reference: crop(),
  frameCrop: crop(),
  inpaintMask: mask(),
  fusionMask: mask(),
  cropToImage: [1, 0, 0, 0, 1, 0],
  tokens: presentTokens(),
  nullTokens: nullTokens(layout),
  recipe: recipeFromPreset({ preset: 'face-swap', source: 0, target: 1 }),
  inputs: async () => [],
  userMask: async () => undefined,
  ...overrides,
});

describe('buildDiffusionJob', () => {
  it('turns slot presence into FORS rows and keeps the edit options', () => {
    const sampler = { kind: 'euler', spacing: 'trailing', setAlphaToOne: false } as const;
    const job = buildDiffusionJob(conditions(), { steps: 6, guidance: 3, resolution: 256, seed: 9 }, pack, sampler);
    expect(Array.from(job.tokens.present)).toEqual([1, ...new Array(layout.slots.length - 1).fill(0)]);
    expect(job.nullTokens.present.every((p) => p === 0)).toBe(true);
    expect([job.steps, job.guidance, job.resolution, job.seed, job.sampler]).toEqual([6, 3, 256, 9, sampler]);
  });

  it('draws a seed when the edit gives none', () => {
    const seed = buildDiffusionJob(conditions(), { steps: 1, guidance: 1, resolution: 512 }, pack, DDIM).seed;
    expect(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32).toBe(true);
  });

  it.each([
    ['conditions.reference', { reference: { data: new Uint8Array(256 * 256 * 3), width: 256, height: 256 } }],
    ['conditions.fusionMask', { fusionMask: { data: new Uint8Array(4), width: 2, height: 2 } }],
    ['conditions.tokens.layout', { tokens: nullTokens(tokenLayout(8, 2)) }],
  ])('refuses bad %s, naming it', (field, overrides) => {
    expect(() => buildDiffusionJob(conditions(overrides), { steps: 1, guidance: 1, resolution: 512 }, pack, DDIM)).toThrow(
      expect.objectContaining({ details: { field } }),
    );
  });

  it('refuses a resolution whose latents the U-Net cannot take', () => {
    const coarse = { ...pack, latent: { ...pack.latent, sizeMultiple: 64 } };
    expect(() => buildDiffusionJob(conditions(), { steps: 1, guidance: 1, resolution: 256 }, coarse, DDIM)).toThrow(
      expect.objectContaining({ code: 'invalid_recipe', details: { field: 'options.resolution' } }),
    );
  });
});

describe('randomWeightsRefusal', () => {
  const manifest = { name: 'facex-diffusion', version: '1+abc', randomWeights: true } as const;

  it('refuses a random-weights pack, naming the manifest field and the override', () => {
    expect(randomWeightsRefusal(manifest, false)).toMatchObject({
      code: 'model_pack_invalid',
      details: { field: 'manifest.randomWeights' },
      message: expect.stringContaining('FACEX_ALLOW_RANDOM_WEIGHTS=1'),
    });
  });

  it('lets it serve when allowed, and a trained pack always', () => {
    expect(randomWeightsRefusal(manifest, true)).toBeUndefined();
    expect(randomWeightsRefusal({ ...manifest, randomWeights: false }, false)).toBeUndefined();
  });
});
