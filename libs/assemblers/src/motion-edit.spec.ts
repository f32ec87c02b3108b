import { EXPRESSION_COMPONENTS, MOTION_CONTROLS, recipeFromPreset, type Recipe } from '@facex/contracts';
import { assembleEdit } from './assemble-edit';
import type { AssemblyInput } from './inputs';
import { sourceAndTarget, type SyntheticFace } from './testing/synthetic-face';

const { source, target } = sourceAndTarget();
const asInput = (face: SyntheticFace): AssemblyInput => ({ representation: face.representation, image: face.image });
const inputs = [asInput(source), asInput(target)];
const RADIANS = Math.PI / 180;
const slotValues = (recipe: Recipe, component: string) => {
  const slot = assembleEdit(recipe, inputs).tokens.slots.find((s) => s.component === component);
  if (!slot) throw new Error(`no slot ${component}`);
  return Array.from(slot.values);
};
const at = (name: (typeof EXPRESSION_COMPONENTS)[number]) => EXPRESSION_COMPONENTS.indexOf(name);

describe('motion edits in the assembled conditions', () => {
  const swap = recipeFromPreset({ preset: 'face-swap', source: 0, target: 1 });

  it('carry the edited pose: a face swap that also turns the head 10° and tilts it −5°', () => {
    const pose = target.representation.motion.pose;
    const edited = slotValues({ ...swap, motion: { mode: 'relative', yaw: 10, pitch: -5 } }, 'pose');
    expect(edited[0]).toBeCloseTo((pose.yaw + 10) * RADIANS, 5);
    expect(edited[1]).toBeCloseTo((pose.pitch - 5) * RADIANS, 5);
    expect(edited[2]).toBeCloseTo(pose.roll * RADIANS, 5);
  });

  it('carry the edited expression from the expression input, the other components untouched', () => {
    const before = slotValues(swap, 'expression');
    const after = slotValues({ ...swap, motion: { mode: 'absolute', mouthOpen: 0.3, eyeOpenLeft: 0.2 } }, 'expression');
    expect(after[at('mouthOpen')]).toBeCloseTo(0.3, 5);
    expect(after[at('eyeOpenLeft')]).toBeCloseTo(0.2, 5);
    for (const name of ['jawDrop', 'noseWrinkle', 'eyeOpenRight'] as const) expect(after[at(name)]).toBeCloseTo(before[at(name)], 5);
  });

  it('carry the edited gaze, clamped to the documented range', () => {
    const gaze = target.representation.motion.gaze;
    const edited = slotValues({ ...swap, motion: { mode: 'relative', gazeYaw: 30 } }, 'gaze');
    const [max] = [MOTION_CONTROLS.gazeYaw.absolute[1]];
    expect(edited[2]).toBeCloseTo(Math.min(max, gaze.left.yaw + 30) * RADIANS, 5);
    expect(edited[6]).toBeCloseTo(Math.min(max, gaze.right.yaw + 30) * RADIANS, 5);
  });

  it("edit the motion taken from another input (reenact: the driving face's)", () => {
    const reenact = recipeFromPreset({ preset: 'reenact', source: 0, driving: 1 });
    const edited = slotValues({ ...reenact, motion: { mode: 'relative', roll: 5 } }, 'pose');
    expect(edited[2]).toBeCloseTo((target.representation.motion.pose.roll + 5) * RADIANS, 5);
  });

  it('let the generator redraw and paste back the whole crop, as the head may move anywhere in it', () => {
    const plain = assembleEdit(swap, inputs).regions;
    const moved = assembleEdit({ ...swap, motion: { mode: 'relative', yaw: 10 } }, inputs).regions;
    const sum = (data: Uint8Array) => data.reduce((a, b) => a + b, 0);
    expect(sum(moved.fusionMask.data)).toBeGreaterThan(sum(plain.fusionMask.data));
    expect(moved.inpaintMask.data.every((v) => v === 255)).toBe(true);
    // I^R stays the task's: the face swap's masked-out target.
    expect(Buffer.from(moved.reference.data).equals(Buffer.from(plain.reference.data))).toBe(true);
  });
});
