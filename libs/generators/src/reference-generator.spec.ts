import { recipeFromPreset } from '@facex/contracts';
import type { AssembledTokens } from '@facex/assemblers';
import { GeneratorRegistry } from './registry';
import { compositeThroughMask, referenceGenerator } from './reference-generator';

const solid = (size: number, value: number) => ({ data: new Uint8Array(size * size * 3).fill(value), width: size, height: size });

describe('compositeThroughMask', () => {
  it('takes the top where the mask is 255, the bottom where 0, and blends in between', () => {
    const mask = { data: new Uint8Array([255, 0, 128, 0]), width: 2, height: 2 };
    const out = compositeThroughMask(solid(2, 200), solid(2, 100), mask);
    expect([...out.data.filter((_, i) => i % 3 === 0)]).toEqual([200, 100, 150, 100]);
  });

  it('rejects a mask of another size, naming it', () => {
    expect(() => compositeThroughMask(solid(2, 1), solid(2, 1), { data: new Uint8Array(9), width: 3, height: 3 })).toThrow(/mask/);
  });
});

describe('referenceGenerator', () => {
  it('is named for what it is, has no weights, and reports its one step', async () => {
    const steps: Array<[number, number]> = [];
    const fusion = { data: new Uint8Array(512 * 512).fill(255), width: 512, height: 512 };
    const tokens = {} as AssembledTokens;
    const out = await referenceGenerator.render(
      {
        reference: solid(512, 9),
        frameCrop: solid(512, 1),
        inpaintMask: fusion,
        fusionMask: fusion,
        cropToImage: [1, 0, 0, 0, 1, 0],
        tokens,
        nullTokens: tokens,
        recipe: recipeFromPreset({ preset: 'face-swap', source: 0, target: 1 }),
        inputs: async () => [],
        userMask: async () => undefined,
      },
      { steps: 30, guidance: 7.5, resolution: 512 },
      { onStep: async (step, total) => void steps.push([step, total]) },
    );
    expect([referenceGenerator.name, referenceGenerator.modelPack, out.data[0], steps]).toEqual(['reference', null, 9, [[1, 1]]]);
  });
});

describe('GeneratorRegistry', () => {
  it('refuses a generator this worker does not have, naming options.generator', () => {
    expect(() => new GeneratorRegistry([referenceGenerator]).get('diffusion')).toThrow(
      expect.objectContaining({ code: 'invalid_recipe', details: { field: 'options.generator' } }),
    );
  });
});
