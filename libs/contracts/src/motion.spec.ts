import { parseCreateEditRequest } from './edits';
import { FacexError } from './errors';
import { applyMotionEdit, drivenMotionEdit, MOTION_CONTROL_NAMES, MOTION_CONTROLS, motionStateOf, motionWithState, type MotionState } from './motion';
import { EXPRESSION_COMPONENTS } from './representation';
import { parseRecipe, recipeFromPreset } from './recipes';

const SHA = 'a'.repeat(64);
const SHA2 = 'b'.repeat(64);
const swap = { task: { preset: 'face-swap', source: 0, target: 1 }, inputs: [{ assetId: SHA }, { assetId: SHA2 }] };

function fieldOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(FacexError);
    expect((error as FacexError).code).toBe('invalid_recipe');
    expect((error as FacexError).status).toBe(422);
    return (error as FacexError).details['field'] as string;
  }
  throw new Error('expected a 422');
}

describe('motion edits in a request', () => {
  it('combine with a task: a face swap that also turns the head 10° and smiles', () => {
    const { recipe } = parseCreateEditRequest({ ...swap, motion: { yaw: 10, smile: 0.05 } });
    expect(recipe.motion).toEqual({ mode: 'relative', yaw: 10, smile: 0.05 });
    expect(recipe.components.identity).toBe(0);
  });

  it('combine with motion from another input (reenact) inside an explicit recipe', () => {
    const recipe = parseRecipe({ ...recipeFromPreset({ preset: 'reenact', source: 0, driving: 1 }), motion: { mode: 'absolute', eyeOpen: 0 } });
    expect(recipe.components.pose).toBe(1);
    expect(recipe.motion).toEqual({ mode: 'absolute', eyeOpen: 0 });
  });

  it.each([
    ['NaN', { yaw: Number.NaN }, 'motion.yaw'],
    ['infinity', { pitch: Number.POSITIVE_INFINITY }, 'motion.pitch'],
    ['a string', { roll: '10' }, 'motion.roll'],
    ['out of the relative range', { yaw: 31 }, 'motion.yaw'],
    ['out of the absolute range', { mode: 'absolute', mouthOpen: -0.1 }, 'motion.mouthOpen'],
    ['an unknown control', { wink: 1 }, 'motion.wink'],
    ['no control', { mode: 'relative' }, 'motion'],
  ])('refuse %s with a 422 naming the field', (_, motion, field) => {
    expect(fieldOf(() => parseCreateEditRequest({ ...swap, motion }))).toBe(field);
  });

  it('name the field inside an explicit recipe too', () => {
    const recipe = { ...recipeFromPreset({ preset: 'mixture', frame: 0 }), motion: { gazeYawLeft: 90 } };
    expect(fieldOf(() => parseCreateEditRequest({ recipe, inputs: [{ assetId: SHA }] }))).toBe('recipe.motion.gazeYawLeft');
  });

  it('document a unit and a range that holds zero for every control', () => {
    for (const name of MOTION_CONTROL_NAMES) {
      const { unit, relative, absolute } = MOTION_CONTROLS[name];
      expect(['degrees', 'ratio', 'iod']).toContain(unit);
      expect(relative[0]).toBeLessThan(0);
      expect(relative[1]).toBeGreaterThan(0);
      expect(absolute[0]).toBeLessThan(absolute[1]);
    }
  });
});

const STATE: MotionState = {
  yaw: 20,
  pitch: -5,
  roll: 2,
  gazeYawLeft: 4,
  gazeYawRight: 6,
  gazePitchLeft: 1,
  gazePitchRight: 0,
  eyeOpenLeft: 1,
  eyeOpenRight: 0.9,
  browRaise: 0.01,
  mouthOpen: 0.02,
  smile: 0.03,
  pout: 0,
  purse: 0,
  mouthShift: 0,
};

describe('applyMotionEdit', () => {
  it('adds relative values and sets absolute ones, leaving the other fields as they are', () => {
    expect(applyMotionEdit(STATE, { mode: 'relative', yaw: -10, mouthOpen: 0.2 })).toEqual({ ...STATE, yaw: 10, mouthOpen: 0.22 });
    expect(applyMotionEdit(STATE, { mode: 'absolute', yaw: 0, eyeOpen: 0.5 })).toEqual({ ...STATE, yaw: 0, eyeOpenLeft: 0.5, eyeOpenRight: 0.5 });
  });

  it('clamps a result past the absolute range instead of extrapolating', () => {
    expect(applyMotionEdit(STATE, { mode: 'relative', yaw: 30 }).yaw).toBe(MOTION_CONTROLS.yaw.absolute[1]);
    expect(applyMotionEdit(STATE, { mode: 'relative', eyeOpen: -1.5 }).eyeOpenLeft).toBe(0);
  });

  it('lets a one-eye control win over the both-eyes control', () => {
    const out = applyMotionEdit(STATE, { mode: 'relative', gazeYawLeft: -4, gazeYaw: 10 });
    expect([out.gazeYawLeft, out.gazeYawRight]).toEqual([0, 16]);
  });
});

describe('drivenMotionEdit', () => {
  /** A photo looking straight ahead, lips parted a little. */
  const photo: MotionState = { ...STATE, yaw: 0, pitch: 0, roll: 0, gazeYawLeft: 0, gazeYawRight: 0, mouthOpen: 0.05 };
  /** A driver whose first frame looks 20° aside with its mouth closed. */
  const reference: MotionState = { ...STATE, mouthOpen: 0 };
  /** The output's state for one driver frame: the edit applied to that frame's state, as a generator applies it. */
  const drive = (driver: MotionState, own?: Parameters<typeof drivenMotionEdit>[3]) => applyMotionEdit(driver, drivenMotionEdit(photo, reference, driver, own));

  it("keeps the photo's own motion on the driver's reference frame, however the driver is turned", () => {
    const out = drive(reference);
    for (const field of Object.keys(photo) as Array<keyof MotionState>) expect(out[field]).toBeCloseTo(photo[field], 9);
  });

  it("moves the photo by the driver's change since the reference frame", () => {
    const out = drive({ ...reference, yaw: 30, pitch: -10, mouthOpen: 0.1, gazeYawLeft: -6 });
    expect([out.yaw, out.pitch, out.mouthOpen, out.gazeYawLeft, out.roll]).toEqual([10, -5, expect.closeTo(0.15, 9), -10, 0]);
  });

  it('names every control that a state field has, in relative mode', () => {
    const edit = drivenMotionEdit(photo, reference, reference);
    expect(edit.mode).toBe('relative');
    expect(
      Object.keys(edit)
        .filter((key) => key !== 'mode')
        .sort(),
    ).toEqual(Object.keys(STATE).sort());
  });

  it("applies the recipe's own edit on top (relative adds, absolute sets) and clamps to the absolute ranges", () => {
    expect(drive({ ...reference, yaw: 30 }, { mode: 'relative', yaw: 5 }).yaw).toBe(15);
    expect(drive({ ...reference, yaw: 30 }, { mode: 'absolute', yaw: -7 }).yaw).toBe(-7);
    expect(drive({ ...reference, yaw: -40 }).yaw).toBe(MOTION_CONTROLS.yaw.absolute[0]);
  });
});

describe('motionStateOf and motionWithState', () => {
  const expression = Float32Array.from(EXPRESSION_COMPONENTS, (_, k) => (k + 1) / 100);
  const gaze = { offsetX: 0.1, offsetY: 0, yaw: -6.8, pitch: 0 };
  const motion = { pose: { yaw: 20, pitch: -5, roll: 2 }, expression, gaze: { left: gaze, right: gaze } };

  it('move a face motion to a state that reads back as that state', () => {
    const wanted = { ...motionStateOf(motion), yaw: 5, smile: 0.2, browRaise: -0.05, eyeOpenLeft: 0.4, purse: 0.1, gazeYawRight: 20 };
    const moved = motionWithState(motion, wanted);
    const read = motionStateOf(moved);
    for (const key of Object.keys(wanted) as Array<keyof MotionState>) expect(read[key]).toBeCloseTo(wanted[key], 5);
    // The gaze's iris offset follows FORD's eyeball model: 20° toward the image's left is a negative offset.
    expect(moved.gaze.right.offsetX).toBeCloseTo(-0.84 * Math.sin((20 * Math.PI) / 180), 5);
    expect(moved.gaze.left).toBe(gaze);
  });

  it('keep the asymmetry of paired components', () => {
    const moved = motionWithState(motion, { ...motionStateOf(motion), smile: motionStateOf(motion).smile + 0.1 });
    const left = EXPRESSION_COMPONENTS.indexOf('lipCornerLiftLeft'),
      right = EXPRESSION_COMPONENTS.indexOf('lipCornerLiftRight');
    expect(moved.expression[left] - moved.expression[right]).toBeCloseTo(expression[left] - expression[right], 5);
  });
});
