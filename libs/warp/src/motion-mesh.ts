/**
 * Motion edits on the mesh: the output's canonical mesh (pose and scale removed, units = inter-ocular
 * distance, the frame of FORD's expression descriptor) deformed so that the descriptor FORD measures on it
 * reads the requested values, then posed with the requested head rotation.
 *
 * The expression model is FORD's own: each control moves the points the descriptor component reads, with a
 * smooth fall-off over the surrounding skin (a jaw that drops carries the chin and lower cheeks, a smile lifts
 * the corners and the cheeks beside them). The amplitude of each deformation is solved so that the descriptor
 * changes by the requested amount (the fields barely overlap in what they measure). Requests are clamped to the documented ranges (contracts motion.ts) before
 * this, so no field is pushed into broken geometry.
 */
import { applyMotionEdit, MESH_POINTS, motionStateOf, type EyeGaze, type FaceRepresentation, type MotionEdit, type MotionState } from '@facex/contracts';
import { lineAt } from './eye-interior';
import { type FaceFit } from './output-mesh';
import { expressionDescriptor, LANDMARK, MESH_ANNOTATIONS, rotationFromPose, type EyeFrame, type EyeSide } from './topology';

type Mesh = Float32Array;
type Field = (mesh: Mesh) => Float32Array;

const x = (m: Mesh, i: number): number => m[3 * i];
const y = (m: Mesh, i: number): number => m[3 * i + 1];
const smoothstep = (a: number, b: number, v: number): number => {
  const t = Math.min(1, Math.max(0, (v - a) / (b - a)));
  return t * t * (3 - 2 * t);
};
const gaussian = (d2: number, sigma: number): number => Math.exp(-d2 / (2 * sigma * sigma));

const LIPS = new Set<number>([
  ...MESH_ANNOTATIONS.lipsUpperOuter,
  ...MESH_ANNOTATIONS.lipsLowerOuter,
  ...MESH_ANNOTATIONS.lipsUpperInner,
  ...MESH_ANNOTATIONS.lipsLowerInner,
]);
const EYES = {
  right: {
    upper: [...MESH_ANNOTATIONS.rightEyeUpper0],
    lower: [...MESH_ANNOTATIONS.rightEyeLower0],
    upperFold: [...MESH_ANNOTATIONS.rightEyeUpper1],
    lowerFold: [...MESH_ANNOTATIONS.rightEyeLower1],
  },
  left: {
    upper: [...MESH_ANNOTATIONS.leftEyeUpper0],
    lower: [...MESH_ANNOTATIONS.leftEyeLower0],
    upperFold: [...MESH_ANNOTATIONS.leftEyeUpper1],
    lowerFold: [...MESH_ANNOTATIONS.leftEyeLower1],
  },
} as const;
const EYE_POINTS = new Set<number>(Object.values(EYES).flatMap((eye) => [...eye.upper, ...eye.lower, ...eye.upperFold, ...eye.lowerFold]));
const BROWS = [
  ...MESH_ANNOTATIONS.rightEyebrowUpper,
  ...MESH_ANNOTATIONS.rightEyebrowLower,
  ...MESH_ANNOTATIONS.leftEyebrowUpper,
  ...MESH_ANNOTATIONS.leftEyebrowLower,
];

/** Mouth centre, half width and the inner lips' heights on a canonical mesh. */
function mouthOf(m: Mesh) {
  const right = LANDMARK.rightMouthCorner,
    left = LANDMARK.leftMouthCorner;
  const cx = (x(m, right) + x(m, left)) / 2;
  const upper = y(m, LANDMARK.upperLipInner),
    lower = y(m, LANDMARK.lowerLipInner);
  return { cx, cy: (upper + lower) / 2, halfWidth: Math.abs(x(m, left) - x(m, right)) / 2, upper, lower };
}

const LOWER_INNER = new Set<number>(MESH_ANNOTATIONS.lipsLowerInner);
const LOWER_OUTER = new Set<number>(MESH_ANNOTATIONS.lipsLowerOuter);
const UPPER_LIP = new Set<number>([...MESH_ANNOTATIONS.lipsUpperOuter, ...MESH_ANNOTATIONS.lipsUpperInner]);

/**
 * The jaw drops: the lower lip opens from the upper one in a lens, zero at the corners and full in the middle
 * (each lip line by its own corners), and the skin below the lip line follows, fading toward the jaw angles.
 * Lip membership, not height, decides what moves: on a closed mouth both inner lips lie on one line, and a
 * field by height alone would drag the upper lip down with the lower one (lips stretched, no opening).
 */
const jawDrop: Field = (m) => {
  const out = new Float32Array(MESH_POINTS * 3);
  const mouth = mouthOf(m);
  const innerRight = MESH_ANNOTATIONS.lipsLowerInner[0],
    innerLeft = MESH_ANNOTATIONS.lipsLowerInner[MESH_ANNOTATIONS.lipsLowerInner.length - 1];
  const innerCx = (x(m, innerRight) + x(m, innerLeft)) / 2,
    innerHalf = Math.abs(x(m, innerLeft) - x(m, innerRight)) / 2;
  const lens = (t: number) => Math.sqrt(Math.max(0, 1 - t * t));
  for (let i = 0; i < MESH_POINTS; i++) {
    let w: number;
    if (UPPER_LIP.has(i)) w = 0;
    else if (LOWER_INNER.has(i)) w = lens((x(m, i) - innerCx) / innerHalf);
    else if (LOWER_OUTER.has(i)) w = lens((x(m, i) - mouth.cx) / mouth.halfWidth);
    else w = smoothstep(mouth.cy, mouth.lower + 0.1, y(m, i)) * gaussian((x(m, i) - mouth.cx) ** 2, 2.2 * mouth.halfWidth);
    out[3 * i + 1] = w;
  }
  return out;
};

/** Both lip corners up and a little outward, carrying the cheeks beside them. */
const cornerLift: Field = (m) => {
  const out = new Float32Array(MESH_POINTS * 3);
  const { halfWidth } = mouthOf(m);
  const corners = [LANDMARK.rightMouthCorner, LANDMARK.leftMouthCorner];
  for (let i = 0; i < MESH_POINTS; i++) {
    for (const c of corners) {
      const w = gaussian((x(m, i) - x(m, c)) ** 2 + (y(m, i) - y(m, c)) ** 2, 0.45 * halfWidth);
      out[3 * i] += 0.35 * w * Math.sign(x(m, c) - x(m, i) || x(m, c));
      out[3 * i + 1] -= w;
    }
  }
  return out;
};

/** Both lip corners toward the mouth centre (the mouth narrows). */
const cornersIn: Field = (m) => {
  const out = new Float32Array(MESH_POINTS * 3);
  const { cx, cy, halfWidth } = mouthOf(m);
  for (let i = 0; i < MESH_POINTS; i++) {
    const across = Math.abs(x(m, i) - cx);
    // Zero on the midline, full at the corners, fading beyond them and above and below the lips.
    const w =
      smoothstep(0, halfWidth, across) * gaussian((y(m, i) - cy) ** 2, 0.6 * halfWidth) * gaussian(Math.max(0, across - halfWidth) ** 2, 0.5 * halfWidth);
    out[3 * i] = -Math.sign(x(m, i) - cx) * w * 0.5;
  }
  return out;
};

/** The lip centre pushed toward the camera (z < 0), the corners held. */
const lipsForward: Field = (m) => {
  const out = new Float32Array(MESH_POINTS * 3);
  const { cx, halfWidth } = mouthOf(m);
  for (let i = 0; i < MESH_POINTS; i++) {
    if (!LIPS.has(i)) continue;
    const across = Math.min(1, Math.abs(x(m, i) - cx) / halfWidth);
    out[3 * i + 2] = -(1 - across * across);
  }
  return out;
};

/** The mouth moved sideways (toward +x, the subject's left), fading over the cheeks and chin. */
const mouthSideways: Field = (m) => {
  const out = new Float32Array(MESH_POINTS * 3);
  const { cx, cy, halfWidth } = mouthOf(m);
  for (let i = 0; i < MESH_POINTS; i++) {
    out[3 * i] = LIPS.has(i) ? 1 : gaussian((x(m, i) - cx) ** 2 + (y(m, i) - cy) ** 2, 0.9 * halfWidth);
  }
  return out;
};

/** Both brows up, the forehead above following, the lids left in place. */
const browsUp: Field = (m) => {
  const out = new Float32Array(MESH_POINTS * 3);
  const browY = BROWS.reduce((sum, i) => sum + y(m, i), 0) / BROWS.length;
  for (let i = 0; i < MESH_POINTS; i++) {
    if (EYE_POINTS.has(i)) continue;
    let d2 = Infinity;
    for (const b of BROWS) d2 = Math.min(d2, (x(m, i) - x(m, b)) ** 2 + (y(m, i) - y(m, b)) ** 2);
    out[3 * i + 1] = -gaussian(d2, y(m, i) < browY ? 0.18 : 0.05);
  }
  return out;
};

/**
 * One eye's lids apart (the upper lid carrying most of the motion, as a real lid does), zero at the corners.
 * Each lid point moves in proportion to the gap between the lids where it lies (against the gap in the
 * middle), so a closing eye's lids meet everywhere at once: a common profile would close the middle first and
 * push the lids past each other beside it, folding the eye's triangles over the lower lid (the eyeball's white
 * drawn there). The folds above and below follow the middle's motion, fading toward the corners.
 */
function lidsApart(eye: 'left' | 'right'): Field {
  const { upper, lower, upperFold, lowerFold } = EYES[eye];
  return (m) => {
    const out = new Float32Array(MESH_POINTS * 3);
    const corners = [lower[0], lower[lower.length - 1]];
    const cx = (x(m, corners[0]) + x(m, corners[1])) / 2,
      half = Math.abs(x(m, corners[1]) - x(m, corners[0])) / 2;
    const line = (points: readonly number[]) => points.map((i) => [x(m, i), y(m, i)] as const);
    const [upperLine, lowerLine] = [line([corners[0], ...upper, corners[1]]), line(lower)];
    const gapAt = (at: number) => Math.max(0, lineAt(lowerLine, at) - lineAt(upperLine, at));
    // An eye shut on the mesh has no gap to share out: its lids then part by the common profile.
    const middle = gapAt(cx);
    const profile = (i: number) => Math.max(0, 1 - ((x(m, i) - cx) / half) ** 2);
    const share = (i: number) => (middle > 1e-3 * half ? Math.min(2, gapAt(x(m, i)) / middle) : profile(i));
    for (const i of upper) out[3 * i + 1] = -0.8 * share(i);
    for (const i of upperFold) out[3 * i + 1] = -0.4 * profile(i);
    for (const i of lower) if (!corners.includes(i)) out[3 * i + 1] = 0.2 * share(i);
    for (const i of lowerFold) out[3 * i + 1] = 0.1 * profile(i);
    return out;
  };
}

/** The expression controls: the state field, the descriptor value it is read from, and its deformation. */
const EXPRESSION_FIELDS: ReadonlyArray<{ field: keyof MotionState; field3d: Field }> = [
  { field: 'mouthOpen', field3d: jawDrop },
  { field: 'smile', field3d: cornerLift },
  { field: 'purse', field3d: cornersIn },
  { field: 'pout', field3d: lipsForward },
  { field: 'mouthShift', field3d: mouthSideways },
  { field: 'browRaise', field3d: browsUp },
  { field: 'eyeOpenLeft', field3d: lidsApart('left') },
  { field: 'eyeOpenRight', field3d: lidsApart('right') },
];

/** The control values of a canonical mesh as FORD reads them (gaze and pose are not on the mesh: zero). */
function expressionState(canonical: Mesh): MotionState {
  return motionStateOf({
    pose: { yaw: 0, pitch: 0, roll: 0 },
    expression: expressionDescriptor(canonical),
    gaze: { left: NO_GAZE, right: NO_GAZE },
  });
}
const NO_GAZE: EyeGaze = { offsetX: 0, offsetY: 0, yaw: 0, pitch: 0 };

const NEWTON_STEPS = 4;
/** The amplitude the slope is measured with (inter-ocular distances: small against any request). */
const PROBE = 0.01;
/** Close enough: a ten-thousandth of the inter-ocular distance (or of the eye-openness ratio). */
const SOLVED = 1e-4;

function addScaled(mesh: Mesh, field: Float32Array, amount: number): Mesh {
  const out = Float32Array.from(mesh);
  for (let k = 0; k < out.length; k++) out[k] += amount * field[k];
  return out;
}

/**
 * The canonical mesh deformed until FORD's descriptor reads `wanted` for every expression control the
 * edit changes: per control, the amplitude that moves its reading by the requested change (the slope measured
 * with a small step; a few Newton steps where the reading is not quite linear), applied in turn.
 */
export function deformCanonical(canonical: Mesh, wanted: MotionState, edited: ReadonlySet<keyof MotionState>): Mesh {
  let mesh = canonical;
  for (const { field, field3d } of EXPRESSION_FIELDS) {
    if (!edited.has(field)) continue;
    // Newton steps: the readings that are distances (mouth width) are only nearly linear in the amplitude.
    for (let step = 0; step < NEWTON_STEPS; step++) {
      const now = expressionState(mesh)[field];
      const change = wanted[field] - now;
      if (Math.abs(change) < SOLVED) break;
      const displacement = field3d(mesh);
      const slope = (expressionState(addScaled(mesh, displacement, PROBE))[field] - now) / PROBE;
      if (Math.abs(slope) < 1e-6) break;
      mesh = addScaled(mesh, displacement, change / slope);
    }
  }
  return mesh;
}

/**
 * How far the lids travel with the iris when the gaze turns up or down, as a share of the iris's own vertical
 * travel: the upper lid rides on the eyeball (looking down lowers it, looking up lifts it), the lower lid
 * follows less. A gaze change without its lids shows white above or below the iris: a stare, not a glance.
 */
export const LID_FOLLOW = { upper: 1.0, lower: 0.4 } as const;

/** FORD's eyeball: the iris turns on a sphere of 0.42 eye widths (analysis gaze.ts), in half widths. */
const EYEBALL_RADIUS = 0.84;
const DEG = 180 / Math.PI;

/**
 * The lids of one eye moved with a change of its gaze pitch (degrees, > 0 looks down) on a canonical mesh:
 * the iris travels EYEBALL_RADIUS × half the eye's width × the change of sin(pitch) down, each lid LID_FOLLOW
 * of that, most in the middle and nothing at the corners (lidsApart's profile), the folds above and below half
 * as much.
 */
export function lidsFollowGaze(canonical: Mesh, eye: EyeSide, fromPitch: number, toPitch: number): Mesh {
  const { upper, lower, upperFold, lowerFold } = EYES[eye];
  const corners: readonly number[] = [lower[0], lower[lower.length - 1]];
  const half = Math.abs(x(canonical, corners[1]) - x(canonical, corners[0])) / 2;
  const travel = EYEBALL_RADIUS * half * (Math.sin(toPitch / DEG) - Math.sin(fromPitch / DEG));
  if (travel === 0) return canonical;
  const cx = (x(canonical, corners[0]) + x(canonical, corners[1])) / 2;
  const profile = (i: number) => Math.max(0, 1 - ((x(canonical, i) - cx) / half) ** 2);
  const out = Float32Array.from(canonical);
  const move = (points: readonly number[], share: number) => {
    for (const i of points) if (!corners.includes(i)) out[3 * i + 1] += share * travel * profile(i);
  };
  move(upper, LID_FOLLOW.upper);
  move(upperFold, LID_FOLLOW.upper / 2);
  move(lower, LID_FOLLOW.lower);
  move(lowerFold, LID_FOLLOW.lower / 2);
  return out;
}

/** The output's motion with the edit applied, and the fits the output mesh is made from. */
export interface MotionPlan {
  /** The pose input's fit with the edited head rotation. */
  pose: FaceFit;
  /** The output's canonical mesh with the edited expression. */
  canonical: Mesh;
  /** The gaze the output's eyes take (eye-in-head degrees), per eye. */
  gaze: { left: { yaw: number; pitch: number }; right: { yaw: number; pitch: number } };
  /** Whether the edit moves the gaze (the irises are then redrawn). */
  movesGaze: boolean;
  /** Whether the edit moves the lids over the eyeballs (eye openness, or a glance up or down): eye-interior.ts. */
  movesLids: boolean;
}

/**
 * Plans an edit: the state the output would have had (pose of `pose`, expression read on `canonical`, gaze of
 * `gaze`) moved by the edit and clamped to the documented ranges.
 */
export function planMotion(edit: MotionEdit, pose: FaceFit, canonical: Mesh, gaze: FaceRepresentation['motion']['gaze']): MotionPlan {
  const current: MotionState = {
    ...expressionState(canonical),
    ...pose.pose,
    gazeYawLeft: gaze.left.yaw,
    gazeYawRight: gaze.right.yaw,
    gazePitchLeft: gaze.left.pitch,
    gazePitchRight: gaze.right.pitch,
  };
  const wanted = applyMotionEdit(current, edit);
  const edited = new Set((Object.keys(wanted) as Array<keyof MotionState>).filter((key) => wanted[key] !== current[key]));
  const turned = edited.has('yaw') || edited.has('pitch') || edited.has('roll');
  const newPose = { yaw: wanted.yaw, pitch: wanted.pitch, roll: wanted.roll };
  // The lids follow a vertical gaze change after the expression is set, so an openness request and a glance combine.
  let deformed = deformCanonical(canonical, wanted, edited);
  deformed = lidsFollowGaze(deformed, 'left', current.gazePitchLeft, wanted.gazePitchLeft);
  deformed = lidsFollowGaze(deformed, 'right', current.gazePitchRight, wanted.gazePitchRight);
  return {
    pose: turned ? { ...pose, pose: newPose, rotation: rotationFromPose(newPose) } : pose,
    canonical: deformed,
    gaze: { left: { yaw: wanted.gazeYawLeft, pitch: wanted.gazePitchLeft }, right: { yaw: wanted.gazeYawRight, pitch: wanted.gazePitchRight } },
    movesGaze: ['gazeYawLeft', 'gazeYawRight', 'gazePitchLeft', 'gazePitchRight'].some((key) => edited.has(key as keyof MotionState)),
    movesLids: ['eyeOpenLeft', 'eyeOpenRight', 'gazePitchLeft', 'gazePitchRight'].some((key) => edited.has(key as keyof MotionState)),
  };
}

/** The iris offsets on an output eye that FORD reads as the planned gaze (the inverse of analysis eyeGaze). */
export function plannedIrisOffsets(plan: MotionPlan): (eye: EyeSide, output: EyeFrame) => [number, number] {
  return (eye, output) => {
    const { yaw, pitch } = plan.gaze[eye];
    return [-EYEBALL_RADIUS * Math.sin(yaw / DEG), (EYEBALL_RADIUS * output.halfWidth * Math.sin(pitch / DEG)) / output.halfGap];
  };
}
