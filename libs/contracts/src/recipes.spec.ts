import { FacexError } from './errors';
import { COMPONENT_NAMES, FACE_REGIONS, outputFrameInput, parseEditChain, parseRecipe, recipeFromPreset, type Recipe } from './recipes';

function fieldOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(FacexError);
    expect((error as FacexError).code).toBe('invalid_recipe');
    return String((error as FacexError).details.field);
  }
  throw new Error('expected an invalid_recipe error');
}

describe('recipeFromPreset follows the paper Fig. 4', () => {
  it('face swap: identity and inner face from the source, hair, ears, background, motion, lighting from the target', () => {
    const { components, inputs } = recipeFromPreset({ preset: 'face-swap', source: 0, target: 1 });
    expect(inputs).toBe(2);
    for (const name of ['identity', ...FACE_REGIONS] as const) expect(components[name]).toBe(0);
    for (const name of ['ears', 'hair', 'background', 'pose', 'expression', 'gaze', 'lighting'] as const) {
      expect(components[name]).toBe(1);
    }
  });

  it('controllable face swap takes only the chosen regions (and the identity) from the source', () => {
    const { components } = recipeFromPreset({ preset: 'face-swap', source: 0, target: 1, regions: ['eyes'] });
    expect(components.eyes).toBe(0);
    expect(components.identity).toBe(0);
    expect(components.nose).toBe(1);
  });

  it('head swap: also hair and ears from the source; background and motion from the target', () => {
    const { components } = recipeFromPreset({ preset: 'head-swap', source: 1, target: 0 });
    for (const name of ['identity', ...FACE_REGIONS, 'hair', 'ears'] as const) expect(components[name]).toBe(1);
    for (const name of ['background', 'pose', 'expression', 'gaze'] as const) expect(components[name]).toBe(0);
  });

  it('reenact and animate: everything from the source except the motion', () => {
    for (const task of [
      { preset: 'reenact', source: 0, driving: 1 },
      { preset: 'animate', source: 0, driving: 1, style: 'toon' },
    ] as const) {
      const { components } = recipeFromPreset(task);
      for (const name of COMPONENT_NAMES) {
        expect(components[name]).toBe(['pose', 'expression', 'gaze'].includes(name) ? 1 : 0);
      }
    }
  });

  it('inpaint drops the named regions and keeps the rest of the image', () => {
    const { components, inputs } = recipeFromPreset({ preset: 'inpaint', image: 0, regions: ['nose', 'lips'], userMask: false });
    expect(inputs).toBe(1);
    expect(components.nose).toBeNull();
    expect(components.lips).toBeNull();
    expect(components.eyes).toBe(0);
  });

  it('attribute edit masks out or takes the regions from the reference', () => {
    const out = recipeFromPreset({ preset: 'attribute-edit', target: 0, regions: ['hair'], mode: 'mask-out' });
    expect(out.components.hair).toBeNull();
    const add = recipeFromPreset({ preset: 'attribute-edit', target: 0, regions: ['hair', 'eyebrows'], mode: 'add-new', reference: 1 });
    expect(add.components.hair).toBe(1);
    expect(add.components.eyebrows).toBe(1);
    expect(add.components.skin).toBe(0);
  });

  it('mixture of three inputs: identity from A, hair from B, expression from C', () => {
    const recipe = recipeFromPreset({ preset: 'mixture', frame: 0 }, { hair: 1, expression: 2 });
    expect(recipe.inputs).toBe(3);
    expect(recipe.components).toMatchObject({ identity: 0, hair: 1, expression: 2, background: 0 });
  });

  it('names the output frame: the target, or the source for reenactment', () => {
    expect(outputFrameInput({ preset: 'face-swap', source: 0, target: 1 })).toBe(1);
    expect(outputFrameInput({ preset: 'reenact', source: 0, driving: 1 })).toBe(0);
    expect(outputFrameInput({ preset: 'mixture', frame: 2 })).toBe(2);
  });
});

describe('parseRecipe names the bad field', () => {
  const valid = (): Recipe => recipeFromPreset({ preset: 'face-swap', source: 0, target: 1 });

  it('accepts a preset recipe unchanged', () => {
    expect(parseRecipe(valid())).toEqual(valid());
  });

  it('an input that does not exist', () => {
    expect(fieldOf(() => parseRecipe({ ...valid(), components: { ...valid().components, hair: 2 } }))).toBe('components.hair');
    expect(fieldOf(() => parseRecipe({ ...valid(), task: { preset: 'face-swap', source: 3, target: 1 } }))).toBe('task.source');
  });

  it('an unknown component', () => {
    expect(fieldOf(() => parseRecipe({ ...valid(), components: { ...valid().components, beard: 0 } }))).toBe('components.beard');
  });

  it('a missing component, a negative index and an unknown preset', () => {
    const { hair: _hair, ...withoutHair } = valid().components;
    expect(fieldOf(() => parseRecipe({ ...valid(), components: withoutHair }))).toBe('components.hair');
    expect(fieldOf(() => parseRecipe({ ...valid(), components: { ...valid().components, eyes: -1 } }))).toBe('components.eyes');
    expect(fieldOf(() => parseRecipe({ ...valid(), task: { preset: 'morph', source: 0 } }))).toBe('task.preset');
  });

  it('inpaint without regions or user mask, add-new without reference', () => {
    const allFromZero = Object.fromEntries(COMPONENT_NAMES.map((name) => [name, 0]));
    const inpaint = { inputs: 1, components: allFromZero, task: { preset: 'inpaint', image: 0, regions: [], userMask: false } };
    expect(fieldOf(() => parseRecipe(inpaint))).toBe('task.regions');
    expect(fieldOf(() => recipeFromPreset({ preset: 'attribute-edit', target: 0, regions: ['hair'], mode: 'add-new' }))).toBe('task.reference');
  });
});

describe('parseEditChain (progressive editing)', () => {
  const swap = recipeFromPreset({ preset: 'face-swap', source: 0, target: 1 });
  const hair = recipeFromPreset({ preset: 'attribute-edit', target: 0, regions: ['hair'], mode: 'add-new', reference: 1 });

  it('accepts a chain whose second step edits the first step output', () => {
    const chain = {
      assets: 3,
      steps: [
        {
          recipe: swap,
          inputs: [
            { kind: 'asset', index: 0 },
            { kind: 'asset', index: 1 },
          ],
        },
        { recipe: hair, inputs: [{ kind: 'previous' }, { kind: 'asset', index: 2 }] },
      ],
    };
    expect(parseEditChain(chain).steps).toHaveLength(2);
  });

  it('rejects a previous output in the first step, a missing asset and a wrong input count', () => {
    expect(fieldOf(() => parseEditChain({ assets: 2, steps: [{ recipe: swap, inputs: [{ kind: 'previous' }, { kind: 'asset', index: 1 }] }] }))).toBe(
      'steps[0].inputs[0]',
    );
    expect(
      fieldOf(() =>
        parseEditChain({
          assets: 2,
          steps: [
            {
              recipe: swap,
              inputs: [
                { kind: 'asset', index: 0 },
                { kind: 'asset', index: 5 },
              ],
            },
          ],
        }),
      ),
    ).toBe('steps[0].inputs[1].index');
    expect(fieldOf(() => parseEditChain({ assets: 2, steps: [{ recipe: swap, inputs: [{ kind: 'asset', index: 0 }] }] }))).toBe('steps[0].inputs');
  });

  it('prefixes a recipe error with its step', () => {
    const bad = { ...swap, components: { ...swap.components, lips: 7 } };
    expect(
      fieldOf(() =>
        parseEditChain({
          assets: 2,
          steps: [
            {
              recipe: bad,
              inputs: [
                { kind: 'asset', index: 0 },
                { kind: 'asset', index: 1 },
              ],
            },
          ],
        }),
      ),
    ).toBe('steps[0].recipe.components.lips');
  });
});
