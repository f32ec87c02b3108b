import { COMPONENT_NAMES, FacexError, REGION_NAMES, recipeFromPreset } from '@facex/contracts';
import { warpRgb } from '@facex/imaging';
import type { AssemblyInput } from './inputs';
import { assembleEdit } from './assemble-edit';
import { assembleTokens, nullTokens, REGION_TOKEN_WIDTH, tokenLayout, type AssembledTokens } from './representation-assembler';
import { sourceAndTarget, syntheticFace, type SyntheticFace } from './testing/synthetic-face';

const { source, target } = sourceAndTarget();
const asInput = (face: SyntheticFace): AssemblyInput => ({ representation: face.representation, image: face.image });
const inputs = [asInput(source), asInput(target)];
const slot = (tokens: AssembledTokens, component: string) => {
  const found = tokens.slots.find((s) => s.component === component);
  if (!found) throw new Error(`no slot ${component}`);
  return found;
};

describe('token layout', () => {
  it('has one slot per component in COMPONENT_NAMES order, packed back to back', () => {
    const layout = tokenLayout(512, 16);
    expect(layout.slots.map((s) => s.component)).toEqual([...COMPONENT_NAMES]);
    layout.slots.forEach((s, i) => expect(s.offset).toBe(i === 0 ? 0 : layout.slots[i - 1].offset + layout.slots[i - 1].width));
    expect(layout.totalWidth).toBe(512 + REGION_NAMES.length * REGION_TOKEN_WIDTH + 3 + 16 + 8 + 27);
  });

  it('is the same for every recipe over the same model pack', () => {
    const swap = assembleTokens(recipeFromPreset({ preset: 'face-swap', source: 0, target: 1 }), inputs);
    const reenact = assembleTokens(recipeFromPreset({ preset: 'reenact', source: 1, driving: 0 }), inputs);
    expect(reenact.layout).toEqual(swap.layout);
  });
});

describe('assembleTokens', () => {
  const tokens = assembleTokens(recipeFromPreset({ preset: 'face-swap', source: 0, target: 1 }), inputs);

  it('takes each component from the input the recipe names and records the provenance', () => {
    expect(slot(tokens, 'identity').source).toBe(0);
    expect(Array.from(slot(tokens, 'identity').values)).toEqual(Array.from(source.representation.identity));
    expect(slot(tokens, 'hair').source).toBe(1);
    expect(slot(tokens, 'lighting').values).toEqual(target.representation.environment.lighting);
    expect(slot(tokens, 'pose').values[0]).toBeCloseTo(0, 6); // the target's yaw: 0°
    expect(slot(tokens, 'pose').values[2]).toBeCloseTo(-0.1, 5); // its roll, in radians
    expect(tokens.slots.every((s) => s.present)).toBe(true);
  });

  it('views every slot into one packed buffer', () => {
    const nose = slot(tokens, 'nose');
    expect(nose.values.buffer).toBe(tokens.packed.buffer);
    expect(tokens.packed[nose.offset]).toBe(nose.values[0]);
  });

  it('pools a region: its mean colour, area and centroid in the aligned crop', () => {
    const skin = slot(tokens, 'skin').values;
    source.palette.skin.forEach((channel, i) => expect(skin[i]).toBeCloseTo(channel / 255, 1));
    expect(skin[3]).toBeGreaterThan(0.1);
    expect(skin[3]).toBeLessThan(0.5);
    expect(skin[4]).toBeCloseTo(0.5, 1); // the face is centred horizontally
    const hair = slot(tokens, 'hair').values;
    target.palette.hair.forEach((channel, i) => expect(hair[i]).toBeCloseTo(channel / 255, 1));
    expect(hair[5]).toBeLessThan(skin[5]); // hair sits above the skin's centroid
  });

  it('a dropped component is absent and zero', () => {
    const masked = assembleTokens(recipeFromPreset({ preset: 'attribute-edit', target: 1, regions: ['hair'], mode: 'mask-out' }, {}, 2), inputs);
    const hair = slot(masked, 'hair');
    expect(hair.present).toBe(false);
    expect(hair.source).toBeNull();
    expect(hair.values.every((v) => v === 0)).toBe(true);
  });

  it('a region hidden in its input is absent but keeps its provenance', () => {
    const earless = syntheticFace({ seed: 9 });
    const plane = 256 * 256;
    earless.representation.masks.fill(0, REGION_NAMES.indexOf('ears') * plane, (REGION_NAMES.indexOf('ears') + 1) * plane);
    const result = assembleTokens(recipeFromPreset({ preset: 'face-swap', source: 0, target: 1 }), [inputs[0], asInput(earless)]);
    expect(slot(result, 'ears').present).toBe(false);
    expect(slot(result, 'ears').source).toBe(1);
  });

  it('the same tokens from an aligned crop as from the image', () => {
    const viaCrops = assembleTokens(
      recipeFromPreset({ preset: 'face-swap', source: 0, target: 1 }),
      [source, target].map((face) => ({
        representation: face.representation,
        alignedCrop: warpRgb(face.image, face.representation.alignment.matrix, 512, 512),
      })),
    );
    const skin = slot(viaCrops, 'skin').values,
      fromImage = slot(tokens, 'skin').values;
    fromImage.forEach((v, i) => expect(skin[i]).toBeCloseTo(v, 1));
  });

  it('names an input whose vectors do not fit the layout', () => {
    const odd = { ...target.representation, environment: { lighting: new Float32Array(9) } };
    try {
      assembleTokens(recipeFromPreset({ preset: 'face-swap', source: 0, target: 1 }), [inputs[0], { ...inputs[1], representation: odd }]);
      throw new Error('expected an error');
    } catch (error) {
      expect((error as FacexError).details.field).toBe('inputs[1].environment.lighting');
    }
  });
});

describe('nullTokens (classifier-free guidance)', () => {
  it('has the same layout, all zero, nothing present', () => {
    const tokens = assembleTokens(recipeFromPreset({ preset: 'head-swap', source: 0, target: 1 }), inputs);
    const empty = nullTokens(tokens.layout);
    expect(empty.layout).toBe(tokens.layout);
    expect(empty.packed.length).toBe(tokens.packed.length);
    expect(empty.packed.every((v) => v === 0)).toBe(true);
    expect(empty.slots.some((s) => s.present || s.source !== null)).toBe(false);
  });
});

describe('assembleEdit', () => {
  it('returns tokens, their null set and the regions of one edit', () => {
    const edit = assembleEdit(recipeFromPreset({ preset: 'face-swap', source: 0, target: 1 }), inputs);
    expect(edit.nullTokens.layout).toEqual(edit.tokens.layout);
    expect(edit.regions.frameInput).toBe(1);
    expect(edit.regions.reference.data.length).toBe(512 * 512 * 3);
  });
});
