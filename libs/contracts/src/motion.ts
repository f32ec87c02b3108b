/**
 * Motion edits: numeric values for the motion component β_motion (head pose, gaze, expression) that a recipe
 * sets on top of the motion it takes from an input (its own, or a driving face's in reenactment).
 *
 * Units follow what FORD measures, so a request can be checked against FORD's measure of the output:
 *   - head yaw / pitch / roll and gaze: degrees, in the conventions of HeadPose and EyeGaze (yaw > 0 turns
 *     toward the image's left, pitch > 0 looks down, roll > 0 rotates clockwise on screen; gaze is eye-in-head);
 *   - eye openness: the lid gap as a ratio of the neutral face's (1 = neutral, 0 = closed);
 *   - brow raise, mouth open, smile, pout, purse and mouth position: displacements on the canonical face in
 *     units of the inter-ocular distance (IOD; ≈ 6.3 cm on an adult), the units of the expression descriptor.
 * `relative` (default) adds each value to the motion the output would have had; `absolute` sets it. Values
 * outside a control's range for the mode are refused (422); a relative value that would carry the result
 * past the control's absolute range is clamped to that range when rendered, never extrapolated.
 */
import { z } from 'zod';
import { EXPRESSION_COMPONENTS, type EyeGaze, type FaceMotion } from './representation';

export const MOTION_MODES = ['relative', 'absolute'] as const;
export type MotionMode = (typeof MOTION_MODES)[number];

export interface MotionControlSpec {
  unit: 'degrees' | 'ratio' | 'iod';
  /** Allowed values of a relative request. */
  relative: readonly [number, number];
  /** Allowed values of an absolute request, and the range every rendered result is clamped to. */
  absolute: readonly [number, number];
  description: string;
}

/** Every motion control, with its unit and ranges (see the module comment). */
export const MOTION_CONTROLS = {
  yaw: { unit: 'degrees', relative: [-30, 30], absolute: [-35, 35], description: "Head yaw: > 0 turns the face toward the image's left." },
  pitch: { unit: 'degrees', relative: [-20, 20], absolute: [-25, 25], description: 'Head pitch: > 0 tilts the face down.' },
  roll: { unit: 'degrees', relative: [-30, 30], absolute: [-35, 35], description: 'Head roll: > 0 rotates the face clockwise on screen.' },
  gazeYaw: { unit: 'degrees', relative: [-30, 30], absolute: [-30, 30], description: "Gaze of both eyes, eye-in-head: > 0 looks toward the image's left." },
  gazePitch: { unit: 'degrees', relative: [-20, 20], absolute: [-20, 20], description: 'Gaze of both eyes, eye-in-head: > 0 looks down.' },
  gazeYawLeft: { unit: 'degrees', relative: [-30, 30], absolute: [-30, 30], description: "Gaze yaw of the subject's left eye (overrides gazeYaw for it)." },
  gazeYawRight: { unit: 'degrees', relative: [-30, 30], absolute: [-30, 30], description: "Gaze yaw of the subject's right eye (overrides gazeYaw for it)." },
  gazePitchLeft: {
    unit: 'degrees',
    relative: [-20, 20],
    absolute: [-20, 20],
    description: "Gaze pitch of the subject's left eye (overrides gazePitch for it).",
  },
  gazePitchRight: {
    unit: 'degrees',
    relative: [-20, 20],
    absolute: [-20, 20],
    description: "Gaze pitch of the subject's right eye (overrides gazePitch for it).",
  },
  eyeOpen: {
    unit: 'ratio',
    relative: [-1.5, 1.5],
    absolute: [0, 1.5],
    description: "Openness of both eyes: lid gap ÷ the neutral face's (0 closed, 1 neutral).",
  },
  eyeOpenLeft: { unit: 'ratio', relative: [-1.5, 1.5], absolute: [0, 1.5], description: "Openness of the subject's left eye (overrides eyeOpen for it)." },
  eyeOpenRight: { unit: 'ratio', relative: [-1.5, 1.5], absolute: [0, 1.5], description: "Openness of the subject's right eye (overrides eyeOpen for it)." },
  browRaise: {
    unit: 'iod',
    relative: [-0.15, 0.15],
    absolute: [-0.1, 0.15],
    description: 'Eyebrows above the eye corners, both sides, relative to the neutral face.',
  },
  mouthOpen: { unit: 'iod', relative: [-0.5, 0.5], absolute: [0, 0.5], description: 'Gap between the inner lips (0 closed); the jaw follows.' },
  smile: {
    unit: 'iod',
    relative: [-0.15, 0.15],
    absolute: [-0.1, 0.15],
    description: 'Lip corners above the lip centre line, both sides (< 0: corners down).',
  },
  pout: { unit: 'iod', relative: [-0.1, 0.1], absolute: [-0.1, 0.1], description: 'Lip centre pushed forward of the corners (< 0: drawn in).' },
  purse: {
    unit: 'iod',
    relative: [-0.25, 0.25],
    absolute: [-0.25, 0.25],
    description: 'Mouth narrowed corner to corner (< 0: widened), relative to the neutral width.',
  },
  mouthShift: { unit: 'iod', relative: [-0.15, 0.15], absolute: [-0.15, 0.15], description: "Mouth moved sideways, > 0 toward the subject's left." },
} as const satisfies Record<string, MotionControlSpec>;

export type MotionControl = keyof typeof MOTION_CONTROLS;
export const MOTION_CONTROL_NAMES = Object.keys(MOTION_CONTROLS) as MotionControl[];

const controlShape = Object.fromEntries(
  MOTION_CONTROL_NAMES.map((name) => {
    const spec: MotionControlSpec = MOTION_CONTROLS[name];
    return [
      name,
      z
        .number()
        .optional()
        .meta({
          description: `${spec.description} Unit: ${spec.unit}; relative ${spec.relative[0]}…${spec.relative[1]}, absolute ${spec.absolute[0]}…${spec.absolute[1]}.`,
        }),
    ];
  }),
) as Record<MotionControl, z.ZodOptional<z.ZodNumber>>;

/** Checks each value against its control's range for the mode (a path inside the object names it). */
export const MotionEditSchema = z
  .strictObject({
    mode: z.enum(MOTION_MODES).default('relative').meta({ description: '`relative`: added to the motion the output takes from its input; `absolute`: set.' }),
    ...controlShape,
  })
  .superRefine((edit, ctx) => {
    let any = false;
    for (const name of MOTION_CONTROL_NAMES) {
      const value = edit[name];
      if (value === undefined) continue;
      any = true;
      const [lo, hi] = (MOTION_CONTROLS[name] as MotionControlSpec)[edit.mode];
      if (value < lo || value > hi)
        ctx.addIssue({ code: 'custom', path: [name], message: `${value} is outside the ${edit.mode} range ${lo}…${hi} (${MOTION_CONTROLS[name].unit})` });
    }
    if (!any) ctx.addIssue({ code: 'custom', path: [], message: `name at least one control: ${MOTION_CONTROL_NAMES.join(', ')}` });
  })
  .meta({ description: 'Numeric motion and expression controls, applied on top of the motion the recipe takes from its inputs.' });
export type MotionEdit = z.infer<typeof MotionEditSchema>;

/**
 * The motion values the output takes, as FORD measures them on a face: what a relative edit adds to and an
 * absolute one replaces. Expression values are the descriptor's (EXPRESSION_COMPONENTS) seen through the
 * controls: smile is the mean corner lift, browRaise the mean brow height, purse minus the mouth width.
 */
export interface MotionState {
  yaw: number;
  pitch: number;
  roll: number;
  gazeYawLeft: number;
  gazeYawRight: number;
  gazePitchLeft: number;
  gazePitchRight: number;
  eyeOpenLeft: number;
  eyeOpenRight: number;
  browRaise: number;
  mouthOpen: number;
  smile: number;
  pout: number;
  purse: number;
  mouthShift: number;
}

/** Which state field each control sets (the both-eyes controls set two). */
const TARGETS: Record<MotionControl, ReadonlyArray<keyof MotionState>> = {
  yaw: ['yaw'],
  pitch: ['pitch'],
  roll: ['roll'],
  gazeYaw: ['gazeYawLeft', 'gazeYawRight'],
  gazePitch: ['gazePitchLeft', 'gazePitchRight'],
  gazeYawLeft: ['gazeYawLeft'],
  gazeYawRight: ['gazeYawRight'],
  gazePitchLeft: ['gazePitchLeft'],
  gazePitchRight: ['gazePitchRight'],
  eyeOpen: ['eyeOpenLeft', 'eyeOpenRight'],
  eyeOpenLeft: ['eyeOpenLeft'],
  eyeOpenRight: ['eyeOpenRight'],
  browRaise: ['browRaise'],
  mouthOpen: ['mouthOpen'],
  smile: ['smile'],
  pout: ['pout'],
  purse: ['purse'],
  mouthShift: ['mouthShift'],
};

/** The control whose absolute range bounds each state field. */
const RANGE_OF: Record<keyof MotionState, MotionControl> = {
  yaw: 'yaw',
  pitch: 'pitch',
  roll: 'roll',
  gazeYawLeft: 'gazeYawLeft',
  gazeYawRight: 'gazeYawRight',
  gazePitchLeft: 'gazePitchLeft',
  gazePitchRight: 'gazePitchRight',
  eyeOpenLeft: 'eyeOpenLeft',
  eyeOpenRight: 'eyeOpenRight',
  browRaise: 'browRaise',
  mouthOpen: 'mouthOpen',
  smile: 'smile',
  pout: 'pout',
  purse: 'purse',
  mouthShift: 'mouthShift',
};

/** Controls that name one eye win over the both-eyes control, whatever their order in the request. */
const ORDER: readonly MotionControl[] = [...MOTION_CONTROL_NAMES].sort((a, b) => TARGETS[b].length - TARGETS[a].length);

/**
 * The state an edit asks for, from the state the output would have had: relative values added, absolute ones
 * set, every edited field clamped to its control's absolute range. Fields the edit leaves alone stay as they
 * are (unclamped: the input's own motion is never altered unasked).
 */
export function applyMotionEdit(current: MotionState, edit: MotionEdit): MotionState {
  const out = { ...current };
  for (const name of ORDER) {
    const value = edit[name];
    if (value === undefined) continue;
    for (const field of TARGETS[name]) {
      const [lo, hi] = (MOTION_CONTROLS[RANGE_OF[field]] as MotionControlSpec).absolute;
      const wanted = edit.mode === 'absolute' ? value : current[field] + value;
      out[field] = Math.min(hi, Math.max(lo, wanted));
    }
  }
  return out;
}

/** The state fields an edit changes. */
export function editedFields(edit: MotionEdit): Set<keyof MotionState> {
  const fields = new Set<keyof MotionState>();
  for (const name of MOTION_CONTROL_NAMES) if (edit[name] !== undefined) for (const field of TARGETS[name]) fields.add(field);
  return fields;
}

/** FORD's gaze model: the iris moves on a sphere of 0.42 eye widths = 0.84 half widths (analysis gaze.ts). */
const EYEBALL_RADIUS_PER_HALF_WIDTH = 0.84;
/**
 * Half eye width ÷ half lid gap of an average open eye (29 mm × 10 mm): what turns a gaze pitch into the
 * vertical iris offset when no eye is at hand to measure it on.
 */
const EYE_ASPECT = 2.9;
const DEG = 180 / Math.PI;
const clampUnit = (v: number): number => Math.min(1, Math.max(-1, v));
const index = (name: (typeof EXPRESSION_COMPONENTS)[number]): number => EXPRESSION_COMPONENTS.indexOf(name);

/** The motion the edit controls read, as a face's motion gives it (see MotionState). */
export function motionStateOf(motion: Pick<FaceMotion, 'pose' | 'expression' | 'gaze'>): MotionState {
  const e = motion.expression;
  return {
    ...motion.pose,
    gazeYawLeft: motion.gaze.left.yaw,
    gazeYawRight: motion.gaze.right.yaw,
    gazePitchLeft: motion.gaze.left.pitch,
    gazePitchRight: motion.gaze.right.pitch,
    eyeOpenLeft: e[index('eyeOpenLeft')],
    eyeOpenRight: e[index('eyeOpenRight')],
    browRaise: (e[index('browRaiseLeft')] + e[index('browRaiseRight')]) / 2,
    mouthOpen: e[index('mouthOpen')],
    smile: (e[index('lipCornerLiftLeft')] + e[index('lipCornerLiftRight')]) / 2,
    pout: e[index('lipPucker')],
    purse: -e[index('mouthWidth')],
    mouthShift: e[index('mouthShift')],
  };
}

function gazeWith(eye: EyeGaze, yaw: number, pitch: number): EyeGaze {
  if (yaw === eye.yaw && pitch === eye.pitch) return eye;
  return {
    offsetX: clampUnit(-EYEBALL_RADIUS_PER_HALF_WIDTH * Math.sin(yaw / DEG)),
    offsetY: clampUnit(EYEBALL_RADIUS_PER_HALF_WIDTH * EYE_ASPECT * Math.sin(pitch / DEG)),
    yaw,
    pitch,
  };
}

/**
 * A face's motion moved to a state (the inverse of motionStateOf): pose and gaze set, the expression
 * descriptor's components the controls read set (a paired component — both brows, both lip corners — moves
 * by the change of their mean, keeping their asymmetry); the other components stay.
 */
export function motionWithState(
  motion: Pick<FaceMotion, 'pose' | 'expression' | 'gaze'>,
  state: MotionState,
): Pick<FaceMotion, 'pose' | 'expression' | 'gaze'> {
  const before = motionStateOf(motion);
  const e = Float32Array.from(motion.expression);
  e[index('eyeOpenLeft')] = state.eyeOpenLeft;
  e[index('eyeOpenRight')] = state.eyeOpenRight;
  e[index('browRaiseLeft')] += state.browRaise - before.browRaise;
  e[index('browRaiseRight')] += state.browRaise - before.browRaise;
  e[index('mouthOpen')] = state.mouthOpen;
  e[index('lipCornerLiftLeft')] += state.smile - before.smile;
  e[index('lipCornerLiftRight')] += state.smile - before.smile;
  e[index('lipPucker')] = state.pout;
  e[index('mouthWidth')] = -state.purse;
  e[index('mouthShift')] = state.mouthShift;
  return {
    pose: { yaw: state.yaw, pitch: state.pitch, roll: state.roll },
    expression: e,
    gaze: {
      left: gazeWith(motion.gaze.left, state.gazeYawLeft, state.gazePitchLeft),
      right: gazeWith(motion.gaze.right, state.gazeYawRight, state.gazePitchRight),
    },
  };
}

const STATE_FIELDS = Object.keys(RANGE_OF) as Array<keyof MotionState>;

/**
 * The motion edit that drives a photo by one video frame relatively (a driven reenact's default): the output
 * takes the photo's own state moved by the driver's change since its reference frame (the first frame of the
 * whole video with the face), `photo + (driver − reference)`, and the recipe's own edit (`own`) then applies on
 * top as it does to any driven motion. Expressed relative to the driver frame's state, the motion the output
 * takes from its input, so the generator applies (and clamps) it as any other motion edit; every state field's
 * control (each is also the name of a control) carries a value.
 */
export function drivenMotionEdit(photo: MotionState, reference: MotionState, driver: MotionState, own?: MotionEdit): MotionEdit {
  const moved = Object.fromEntries(STATE_FIELDS.map((field) => [field, photo[field] + driver[field] - reference[field]])) as unknown as MotionState;
  const wanted = own ? applyMotionEdit(moved, own) : moved;
  return { mode: 'relative', ...Object.fromEntries(STATE_FIELDS.map((field) => [field, wanted[field] - driver[field]])) };
}
