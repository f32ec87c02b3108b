/**
 * The motion evaluation: every person of the sample photos alone, each motion control requested at fixed
 * relative amounts (MOTION_REQUESTS), rendered on the person's own photo and measured by FORD on the output.
 * Per request:
 *   - the change FORD measures (output − input, in the control's own reading: contracts motionStateOf) against
 *     the change requested (after the documented clamp: contracts applyMotionEdit);
 *   - identity: the judge's descriptor distance between the output face and the input face (face-api's
 *     "same person" is < 0.6);
 *   - SSIM outside the face: the photo with the face's surroundings (its box grown to EDIT_AREA_SCALE times its
 *     size, where a turned head and its hair move) blanked in both images.
 * Per control: the median absolute error of the measured change, and for openness controls whether the
 * response is monotone (each person's measured changes ordered as the effective requested ones, the unedited
 * input at 0; a request the clamp reduces to nothing, on a face already at the range's end, is left out). FORD's
 * reading moves by itself between two renders that look alike (an eye already shut asked to shut further), so
 * a measured change may fall below one at a smaller request by FORD's noise on that reading and still count as
 * monotone: the noise is measured in the same run, as the 90th percentile of how far the reading moves on the
 * outputs of requests that leave that feature alone (READING_UNTOUCHED_BY); the strict share is reported too.
 * Pass marks (issue #12): pose within 3° median for requests up to ±15°, gaze within 5°, eye and mouth
 * openness monotone.
 */
import {
  applyMotionEdit,
  motionStateOf,
  type FaceRepresentation,
  type MotionControl,
  type MotionEdit,
  type MotionState,
  recipeFromPreset,
} from '@facex/contracts';
import { structuralSimilarity, type RgbImage } from '@facex/imaging';
import { faceAtFrame, type JudgeFunction, type MeasureFunction, type RenderFunction } from './harness';
import { descriptorDistance, fordBox, judgedFaceAt } from './judge-identity';
import type { Person } from './sample-people';

/** A requested control and the state field its change is read from. */
export interface MotionRequest {
  control: MotionControl;
  value: number;
  /** The MotionState field FORD's change is read from (both-eyes controls: the left eye; the right agrees). */
  reads: keyof MotionState;
}

const request = (control: MotionControl, reads: keyof MotionState, values: number[]): MotionRequest[] => values.map((value) => ({ control, value, reads }));

/** The requests of the evaluation (relative values, in each control's documented units). */
export const MOTION_REQUESTS: readonly MotionRequest[] = [
  ...request('yaw', 'yaw', [-15, -7.5, 7.5, 15]),
  ...request('pitch', 'pitch', [-10, 10]),
  ...request('roll', 'roll', [-15, 15]),
  ...request('gazeYaw', 'gazeYawLeft', [-15, 15]),
  ...request('gazePitch', 'gazePitchLeft', [-10, 10]),
  ...request('eyeOpen', 'eyeOpenLeft', [-0.6, -0.3, 0.3]),
  ...request('mouthOpen', 'mouthOpen', [0.1, 0.2, 0.3]),
  ...request('smile', 'smile', [0.04, 0.08]),
  ...request('browRaise', 'browRaise', [0.08]),
  ...request('purse', 'purse', [0.1]),
  ...request('mouthShift', 'mouthShift', [0.08]),
];

/** Pass marks: median absolute error of the measured change, in the control's units. */
export const MOTION_TOLERANCE: Partial<Record<MotionControl, number>> = { yaw: 3, pitch: 3, roll: 3, gazeYaw: 5, gazePitch: 5 };
/** Controls whose response must be monotone in the requested direction. */
export const MONOTONE_CONTROLS: readonly MotionControl[] = ['eyeOpen', 'mouthOpen'];
/**
 * The state field each openness control is read from, and the controls whose edits leave that feature alone. A
 * dropped jaw (mouthOpen) is not among the eyes' ones: it lengthens the face, which moves the head fit that the
 * eye reading is taken in.
 */
export const READING_UNTOUCHED_BY: Partial<Record<MotionControl, { reads: 'eyeOpenLeft' | 'mouthOpen'; by: readonly MotionControl[] }>> = {
  eyeOpen: { reads: 'eyeOpenLeft', by: ['smile', 'purse', 'mouthShift'] },
  mouthOpen: { reads: 'mouthOpen', by: ['gazeYaw', 'gazePitch', 'eyeOpen', 'browRaise'] },
};
/** The share of FORD's readings of an untouched feature that the noise allowance covers. */
export const NOISE_QUANTILE = 0.9;
/** The face's surroundings that the edit may change: its detection box grown this many times. */
export const EDIT_AREA_SCALE = 2.5;

export interface MotionRecord {
  person: number;
  control: MotionControl;
  requested: number;
  /** The change the edit asks for once clamped to the documented range. */
  effective: number;
  /** The change FORD measures; null when FORD lost the face. */
  measured: number | null;
  judgeDistance: number | null;
  ssimOutside: number;
  /** The change FORD measures of the openness readings (eyeOpenLeft, mouthOpen) whatever was requested; null when FORD lost the face. */
  openness?: { eyeOpenLeft: number; mouthOpen: number } | null;
}

export interface MotionSummary {
  control: MotionControl;
  requests: number;
  found: number;
  medianError: number;
  /** Share of people whose response is monotone within FORD's noise (openness controls), else NaN. */
  monotone: number;
  /** The same with no allowance for FORD's noise. */
  strictlyMonotone: number;
  /** FORD's noise on the control's reading (READING_UNTOUCHED_BY), 0 when not measured; NaN for other controls. */
  noise: number;
  tolerance: number | null;
  pass: boolean | null;
  judgeDistance: number;
  ssimOutside: number;
}

export interface MotionEvaluation {
  records: MotionRecord[];
  summaries: MotionSummary[];
  /** Per person, the input crop and the outputs of SHEET_REQUESTS (for the contact sheet). */
  sheet: Array<{ person: number; crops: RgbImage[] }>;
}

/** The requests shown on the contact sheet, one column each (all of them among the evaluated requests). */
export const SHEET_REQUESTS: ReadonlyArray<Pick<MotionRequest, 'control' | 'value'>> = [
  { control: 'yaw', value: 15 },
  { control: 'pitch', value: -10 },
  { control: 'roll', value: 15 },
  { control: 'gazeYaw', value: 15 },
  { control: 'eyeOpen', value: -0.6 },
  { control: 'mouthOpen', value: 0.2 },
  { control: 'smile', value: 0.08 },
  { control: 'browRaise', value: 0.08 },
];

const median = (values: number[]): number => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const mean = (values: number[]): number => (values.length === 0 ? NaN : values.reduce((a, b) => a + b, 0) / values.length);

/** The photo with the face's surroundings blanked (same pixels in both images, so SSIM reads the rest). */
function blankFace(image: RgbImage, face: FaceRepresentation): RgbImage {
  const { x, y, width, height } = fordBox(face);
  const [cx, cy] = [x + width / 2, y + height / 2];
  const [hw, hh] = [(width * EDIT_AREA_SCALE) / 2, (height * EDIT_AREA_SCALE) / 2];
  const x0 = Math.max(0, Math.floor(cx - hw)),
    x1 = Math.min(image.width - 1, Math.ceil(cx + hw));
  const y0 = Math.max(0, Math.floor(cy - hh)),
    y1 = Math.min(image.height - 1, Math.ceil(cy + hh));
  const data = image.data.slice();
  for (let row = y0; row <= y1; row++) data.fill(0, 3 * (row * image.width + x0), 3 * (row * image.width + x1 + 1));
  return { data, width: image.width, height: image.height };
}

/** Around the face, this many times its box: what FORD and the judge are run on (a group photo is large). */
const MEASURE_AREA_SCALE = 3;

/** The part of the photo around the face, and where it lies in the photo. */
function aroundFace(image: RgbImage, face: FaceRepresentation): { image: RgbImage; x0: number; y0: number } {
  const { x, y, width, height } = fordBox(face);
  const [cx, cy] = [x + width / 2, y + height / 2];
  const x0 = Math.max(0, Math.floor(cx - (width * MEASURE_AREA_SCALE) / 2)),
    x1 = Math.min(image.width, Math.ceil(cx + (width * MEASURE_AREA_SCALE) / 2));
  const y0 = Math.max(0, Math.floor(cy - (height * MEASURE_AREA_SCALE) / 2)),
    y1 = Math.min(image.height, Math.ceil(cy + (height * MEASURE_AREA_SCALE) / 2));
  const w = x1 - x0,
    h = y1 - y0;
  const data = new Uint8Array(w * h * 3);
  for (let row = 0; row < h; row++) data.set(image.data.subarray(3 * ((y0 + row) * image.width + x0), 3 * ((y0 + row) * image.width + x1)), 3 * row * w);
  return { image: { data, width: w, height: h }, x0, y0 };
}

/** A request the documented clamp leaves smaller than this (the face is at its range's end) says nothing of direction. */
const MIN_EFFECTIVE = 0.01;

/**
 * Whether a person's measured changes follow the order of the effective (clamped) changes, the unedited input
 * at 0; requests clamped to nothing are left out. No measured change may lie `noise` or more below one at a
 * smaller request (any of them, so small steps down cannot add up to a fall); with no noise each must exceed
 * the one before.
 */
export function isMonotone(points: Array<{ effective: number; measured: number }>, noise = 0): boolean {
  const sorted = [...points.filter((p) => Math.abs(p.effective) >= MIN_EFFECTIVE), { effective: 0, measured: 0 }].sort((a, b) => a.effective - b.effective);
  let highest = -Infinity;
  return sorted.every((p) => {
    const follows = p.measured > highest - noise;
    highest = Math.max(highest, p.measured);
    return follows;
  });
}

const quantile = (values: number[], q: number): number => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};

/** FORD's noise on an openness control's reading: how far it moves on outputs whose edit leaves that feature alone. */
export function readingNoise(records: readonly MotionRecord[], control: MotionControl): number {
  const untouched = READING_UNTOUCHED_BY[control];
  if (!untouched) return NaN;
  const moves = records.flatMap((r) => (untouched.by.includes(r.control) && r.openness ? [Math.abs(r.openness[untouched.reads])] : []));
  return quantile(moves, NOISE_QUANTILE);
}

export interface MotionEvaluationSetup {
  people: readonly Person[];
  render: RenderFunction;
  measure: MeasureFunction;
  judge: JudgeFunction;
  /** The crop of the person's face in an image (the sheet's cells). */
  crop: (image: RgbImage, person: Person) => RgbImage;
  requests?: readonly MotionRequest[];
  onProgress?: (done: number, total: number) => void;
}

export async function runMotionEvaluation(setup: MotionEvaluationSetup): Promise<MotionEvaluation> {
  const requests = setup.requests ?? MOTION_REQUESTS;
  const records: MotionRecord[] = [];
  const sheet: MotionEvaluation['sheet'] = [];
  const base = recipeFromPreset({ preset: 'mixture', frame: 0 });
  const total = setup.people.length * requests.length;
  let done = 0;
  for (const [index, person] of setup.people.entries()) {
    const input = person.representation;
    // FORD and the judge read the face's surroundings only, boxes moved back to the photo's coordinates.
    const measureAt = async (image: RgbImage) => {
      const part = aroundFace(image, input);
      const faces = await setup.measure(part.image);
      return faceAtFrame(
        faces.map((face) => ({
          ...face,
          detection: { ...face.detection, box: { ...face.detection.box, x: face.detection.box.x + part.x0, y: face.detection.box.y + part.y0 } },
        })),
        input,
      );
    };
    const judgeAt = async (image: RgbImage) => {
      const part = aroundFace(image, input);
      const faces = await setup.judge(part.image);
      return judgedFaceAt(
        faces.map((face) => ({ ...face, box: { ...face.box, x: face.box.x + part.x0, y: face.box.y + part.y0 } })),
        fordBox(input),
      );
    };
    const measuredInput = await measureAt(person.image);
    const before = motionStateOf((measuredInput ?? input).motion);
    const judgedInput = await judgeAt(person.image);
    const blankedInput = blankFace(person.image, input);
    const renderWith = (motion: MotionEdit) => setup.render({ ...base, motion }, [{ representation: input, image: person.image }]);
    const crops: Array<RgbImage | null> = [setup.crop(person.image, person), ...SHEET_REQUESTS.map(() => null)];
    for (const { control, value, reads } of requests) {
      const edit = { mode: 'relative', [control]: value } as MotionEdit;
      const effective = applyMotionEdit(before, edit)[reads] - before[reads];
      const { image } = await renderWith(edit);
      const output = await measureAt(image);
      const judged = judgedInput && (await judgeAt(image));
      const after = output && motionStateOf(output.motion);
      records.push({
        person: index,
        control,
        requested: value,
        effective,
        measured: after ? after[reads] - before[reads] : null,
        judgeDistance: judgedInput && judged ? descriptorDistance(judged.descriptor, judgedInput.descriptor) : null,
        ssimOutside: structuralSimilarity(blankFace(image, input), blankedInput),
        openness: after && { eyeOpenLeft: after.eyeOpenLeft - before.eyeOpenLeft, mouthOpen: after.mouthOpen - before.mouthOpen },
      });
      const column = SHEET_REQUESTS.findIndex((shown) => shown.control === control && shown.value === value);
      if (column >= 0) crops[column + 1] = setup.crop(image, person);
      setup.onProgress?.(++done, total);
    }
    // A column whose request is not evaluated shows the input.
    sheet.push({ person: index, crops: crops.map((crop) => crop ?? (crops[0] as RgbImage)) });
  }
  return { records, summaries: summarise(records), sheet };
}

export function summarise(records: readonly MotionRecord[]): MotionSummary[] {
  const controls = [...new Set(records.map((r) => r.control))];
  return controls.map((control) => {
    const of = records.filter((r) => r.control === control);
    const found = of.filter((r): r is MotionRecord & { measured: number } => r.measured !== null);
    const medianError = median(found.map((r) => Math.abs(r.measured - r.effective)));
    const tolerance = MOTION_TOLERANCE[control] ?? null;
    let [monotone, strictlyMonotone, noise] = [NaN, NaN, NaN];
    if (MONOTONE_CONTROLS.includes(control)) {
      const people = [...new Set(found.map((r) => r.person))];
      const share = (allowance: number) =>
        people.filter((p) =>
          isMonotone(
            found.filter((r) => r.person === p).map((r) => ({ effective: r.effective, measured: r.measured })),
            allowance,
          ),
        ).length / Math.max(1, people.length);
      noise = readingNoise(records, control);
      [monotone, strictlyMonotone] = [share(noise), share(0)];
    }
    const pass = tolerance !== null ? medianError <= tolerance : MONOTONE_CONTROLS.includes(control) ? monotone === 1 : null;
    return {
      control,
      requests: of.length,
      found: found.length,
      medianError,
      monotone,
      strictlyMonotone,
      noise,
      tolerance,
      pass,
      judgeDistance: mean(of.flatMap((r) => (r.judgeDistance === null ? [] : [r.judgeDistance]))),
      ssimOutside: mean(of.map((r) => r.ssimOutside)),
    };
  });
}

const fixed = (v: number, digits: number): string => (Number.isFinite(v) ? v.toFixed(digits) : '–');

const monotoneCell = (s: MotionSummary): string =>
  Number.isFinite(s.monotone) ? `${fixed(s.monotone, 2)} (${fixed(s.strictlyMonotone, 2)}; ${fixed(s.noise, 3)})` : '–';

/** The table of docs/eval/motion-warp.md. */
export function motionMarkdown(summaries: readonly MotionSummary[], caption: string): string {
  const lines = [
    "| control | requests | face found | median abs. error of the measured change | monotone (share of people) within FORD's noise (strictly; noise) | pass mark | pass | judge distance to the input (< 0.6 same person) | SSIM outside the face |",
    '|---|---|---|---|---|---|---|---|---|',
    ...summaries.map(
      (s) =>
        `| ${s.control} | ${s.requests} | ${s.found} | ${fixed(s.medianError, s.medianError < 1 ? 3 : 2)} | ${monotoneCell(s)} | ${s.tolerance !== null ? `≤ ${s.tolerance}` : MONOTONE_CONTROLS.includes(s.control) ? 'monotone' : '–'} | ${s.pass === null ? '–' : s.pass ? 'yes' : 'no'} | ${fixed(s.judgeDistance, 3)} | ${fixed(s.ssimOutside, 4)} |`,
    ),
  ];
  return `${lines.join('\n')}\n\n${caption}\n`;
}
