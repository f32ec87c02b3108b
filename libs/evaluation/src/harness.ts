/**
 * The evaluation harness (the paper's Tables 1–3): generators are run on fixed pairs of people (tasks.ts) and
 * every output is measured twice over, next to baselines measured the same way:
 *   - by FORD (FaceAnalyzer on the output's lossless PNG): MobileFaceNet identity similarity to the person
 *     whose identity the output should carry, expression / pose / gaze error to the person whose motion it
 *     should match;
 *   - by the independent judge (face-api's detector, landmarks and FaceRecognitionNet, which FORD does not
 *     use): the descriptor distance to that person, and the paper's ID retrieval: the output's descriptor
 *     against every person of the set, correct when the nearest is that person;
 *   - on the pixels, against the untouched frame photo (image-measures.ts): the seam ratio at the fusion
 *     mask's boundary, the high-frequency ratio inside the inpaint mask (the regenerated region) and the
 *     pixels changed outside the edit area (the fusion mask's footprint). The masks are the Region
 *     Assembler's for the recipe, the same for every method of a pair.
 * An output is measured on the face each analyser finds nearest the frame face's box (FORD's box for FORD,
 * the judge's own detection on the frame photo for the judge), within half its width; without one the pair
 * counts as "face lost" for that analyser and is left out of its means (and retrieval counts it as a miss).
 * Self-reenactment (reenact only): each person drives itself; SSIM, PSNR and RMSE against the input on the
 * face's 512 px aligned crop.
 */
import type { FaceRepresentation, Recipe } from '@facex/contracts';
import { assembleRegions, cropToCrop, resolveInputs, type AssemblyInput, type RegionAssemblerOptions, type RegionAssembly } from '@facex/assemblers';
import {
  dilateSquare,
  fillHoles,
  invertMask,
  pasteBack,
  peakSignalToNoiseRatio,
  rootMeanSquareError,
  structuralSimilarity,
  warpMask,
  warpRgb,
  type MaskPlane,
  type RgbImage,
} from '@facex/imaging';
import { expressionError, gazeError, identitySimilarity, poseError } from './face-metrics';
import { changedOutside, highFrequencyRatio, seamRatio } from './image-measures';
import { descriptorDistance, fordBox, judgedFaceAt, judgeGallery, nearestIdentity } from './judge-identity';
import type { JudgedFace } from './judge/judge-task';
import type { PersonPair } from './pairs';
import type { Person } from './sample-people';
import { drawnMask, TASKS, type BaselineName, type EvalTask, type TaskDefinition } from './tasks';

export { EVAL_TASKS, type EvalTask } from './tasks';

/** What a generator returns for one recipe: the frame's full image with the edit, and an optional flag. */
export interface RenderedEdit {
  image: RgbImage;
  degraded?: boolean;
}
/** `options` carries what a recipe needs beyond its inputs (the drawn inpainting mask). */
export type RenderFunction = (recipe: Recipe, inputs: AssemblyInput[], options?: RegionAssemblerOptions) => Promise<RenderedEdit>;

/** Finds and describes the faces of an output image (FaceAnalyzer.analyzeAll on the encoded image). */
export type MeasureFunction = (image: RgbImage) => Promise<FaceRepresentation[]>;
/** Every face the independent judge finds in an image (FaceJudge.describe). */
export type JudgeFunction = (image: RgbImage) => Promise<JudgedFace[]>;

export interface EvaluatedGenerator {
  name: string;
  render: RenderFunction;
  /** The git revision whose generator code rendered, when it is not the working tree's. */
  revision?: string;
}

/** One output measured: null where the analyser lost the face or the measure does not apply. */
export interface PairRecord {
  source: number;
  target: number;
  method: string;
  degraded: boolean;
  /** MobileFaceNet (FORD) cosine similarity to the identity person. */
  identity: number | null;
  expression: number | null;
  pose: number | null;
  gaze: number | null;
  /** Judge descriptor distance to the identity person (face-api's euclidean). */
  judgeDistance: number | null;
  /** The person the judge retrieves for the output (nearest descriptor of the set). */
  retrieved: number | null;
  retrievedCorrectly: boolean;
  seam: number | null;
  highFrequency: number | null;
  /** Pixels outside the edit area that differ from the frame photo. */
  changedOutside: number | null;
}

export interface MethodSummary {
  method: string;
  revision?: string;
  pairs: number;
  /** Pairs whose output still has a face at the frame face's place, for FORD and for the judge. */
  found: number;
  judgeFound: number;
  degraded: number;
  identity: number;
  expression: number;
  pose: number;
  gaze: number;
  judgeDistance: number;
  /** Share of pairs (0…1) whose output the judge retrieves as the identity person. */
  retrievalTop1: number;
  /** Geometric means of the per-pair ratios. */
  seam: number;
  highFrequency: number;
  /** Outputs with any pixel changed outside the edit area (NaN where not measured). */
  changedOutside: number;
}

export interface SelfSummary {
  method: string;
  people: number;
  ssim: number;
  psnr: number;
  rmse: number;
}

/** A contact-sheet row: the inputs' and every rendered method's 512 px aligned crops of the frame face. */
export interface SheetRow {
  pair: PersonPair;
  inputs: RgbImage[];
  outputs: Array<{ method: string; crop: RgbImage }>;
}

export interface EvaluationResult {
  task: EvalTask;
  rows: MethodSummary[];
  records: PairRecord[];
  self: SelfSummary[];
  sheet: SheetRow[];
}

export interface EvaluationSetup {
  task: EvalTask;
  generator: EvaluatedGenerator;
  /** More generators rendered on the same pairs beside it (an earlier revision's, say). */
  compare?: readonly EvaluatedGenerator[];
  people: readonly Person[];
  pairs: readonly PersonPair[];
  /** How many people (from the first) drive themselves for SSIM/PSNR/RMSE; reenact only. */
  selfPeople: number;
  measure: MeasureFunction;
  judge: JudgeFunction;
  /** Pairs rendered for the contact sheet (not measured). */
  sheetPairs?: readonly PersonPair[];
}

/** The method name of a generator's extra rendering (e.g. "warp, source motion"). */
export const variantMethod = (generator: string, suffix: string): string => `${generator}, ${suffix}`;

const asInput = (person: Person): AssemblyInput => ({ representation: person.representation, image: person.image });

/** Baseline: the source's aligned crop pasted onto the frame by the landmark similarity and the fusion mask. */
export function naivePaste(recipe: Recipe, inputs: AssemblyInput[]): RgbImage {
  const regions = assembleRegions(recipe, inputs);
  const frame = regions.frameInput,
    source = frame === 0 ? 1 : 0;
  const resolved = resolveInputs(recipe, inputs);
  const sourceInput = resolved[source],
    frameInput = resolved[frame];
  if (!sourceInput || !frameInput) throw new Error('naive paste needs both inputs');
  const carried = sourceInput.resampledInto(cropToCrop(sourceInput.representation, frameInput.representation));
  return pasteBack(inputs[frame].image as RgbImage, carried, regions.cropToImage, regions.fusionMask);
}

/** Baseline: the inpaint mask filled push-pull from its surroundings (smooth, no detail), pasted back. */
export function holeFilled(regions: RegionAssembly, frameImage: RgbImage): RgbImage {
  const filled = fillHoles(regions.frameCrop, invertMask(regions.inpaintMask));
  return pasteBack(frameImage, filled, regions.cropToImage, regions.fusionMask);
}

/** The output face nearest the frame face, within half the frame face's box width; null when there is none. */
export function faceAtFrame(faces: readonly FaceRepresentation[], frame: FaceRepresentation): FaceRepresentation | null {
  const box = fordBox(frame);
  const [fx, fy] = [box.x + box.width / 2, box.y + box.height / 2];
  let best: FaceRepresentation | null = null,
    bestDistance = box.width / 2;
  for (const face of faces) {
    const other = fordBox(face);
    const distance = Math.hypot(other.x + other.width / 2 - fx, other.y + other.height / 2 - fy);
    if (distance <= bestDistance) {
      best = face;
      bestDistance = distance;
    }
  }
  return best;
}

/** The fusion-boundary band's widening, in 512 px crop pixels (the Region Assembler's feather radius). */
const SEAM_MARGIN_CROP_PIXELS = 8;

/** One evaluated pair: its inputs and, per recipe, the Region Assembler's masks brought into the frame photo. */
interface EvalCase {
  pair: PersonPair;
  inputs: AssemblyInput[];
  options: RegionAssemblerOptions;
  frame: Person;
  frameIndex: number;
  identity: number;
  motion: number;
  geometry(recipe: Recipe): CaseGeometry;
}

interface CaseGeometry {
  regions: RegionAssembly;
  /** In the frame photo: the fusion mask, the edit area (its footprint, grown by 1 px), the inpaint mask. */
  fusion: MaskPlane;
  editArea: MaskPlane;
  inpaint: MaskPlane;
  /** The seam band's widening in photo pixels. */
  margin: number;
}

function evalCase(definition: TaskDefinition, pair: PersonPair, people: readonly Person[]): EvalCase {
  const frameIndex = definition.frame(pair),
    frame = people[frameIndex];
  const inputs = definition.inputs(pair).map((i) => asInput(people[i]));
  const options: RegionAssemblerOptions = definition.drawnMask ? { userMask: drawnMask(frame) } : {};
  const cache = new Map<Recipe, CaseGeometry>();
  return {
    pair,
    inputs,
    options,
    frame,
    frameIndex,
    identity: definition.identity(pair),
    motion: definition.motion(pair),
    geometry(recipe) {
      let geometry = cache.get(recipe);
      if (!geometry) {
        const regions = assembleRegions(recipe, inputs, options);
        const { width, height } = frame.image;
        const toImage = (mask: MaskPlane) => warpMask(mask, regions.cropToImage, width, height);
        const fusion = toImage(regions.fusionMask);
        const [a, b, , d, e] = regions.cropToImage;
        const margin = Math.max(1, Math.round(SEAM_MARGIN_CROP_PIXELS * Math.sqrt(Math.abs(a * e - b * d))));
        geometry = { regions, fusion, editArea: dilateSquare(fusion, 1), inpaint: toImage(regions.inpaintMask), margin };
        cache.set(recipe, geometry);
      }
      return geometry;
    },
  };
}

/** What one method made of one pair: an image in the frame photo, or an unchanged photo of a person. */
interface MethodOutput {
  image: RgbImage;
  degraded: boolean;
  /** Set when the output is a person's photo as it is (its analyses are already known). */
  unchanged?: number;
  /** The recipe whose masks the pixel measures use; null when the output is not in the frame photo. */
  recipe: Recipe | null;
}

interface Method {
  name: string;
  revision?: string;
  produce(c: EvalCase): Promise<MethodOutput>;
}

function methodsOf(definition: TaskDefinition, generators: readonly EvaluatedGenerator[]): Method[] {
  const rendered = generators.flatMap((generator) =>
    [{ suffix: null, recipe: definition.recipe }, ...definition.variants].map(({ suffix, recipe }): Method => ({
      name: suffix ? variantMethod(generator.name, suffix) : generator.name,
      ...(generator.revision ? { revision: generator.revision } : {}),
      produce: async (c) => {
        const edit = await generator.render(recipe, c.inputs, c.options);
        return { image: edit.image, degraded: edit.degraded ?? false, recipe };
      },
    })),
  );
  const baseline = (name: BaselineName): Method => ({
    name,
    produce: async (c) => {
      switch (name) {
        case 'naive paste':
          return { image: naivePaste(definition.recipe, c.inputs), degraded: false, recipe: definition.recipe };
        case 'hole filled':
          return { image: holeFilled(c.geometry(definition.recipe).regions, c.frame.image), degraded: false, recipe: definition.recipe };
        case 'driving unchanged':
          return { image: c.inputs[1].image as RgbImage, degraded: false, unchanged: c.motion, recipe: null };
        default:
          return { image: c.frame.image, degraded: false, unchanged: c.frameIndex, recipe: definition.recipe };
      }
    },
  });
  return [...rendered, ...definition.baselines.map(baseline)];
}

function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

const mean = (values: readonly (number | null)[]): number => {
  const present = values.filter((v): v is number => v !== null);
  return present.length === 0 ? Number.NaN : present.reduce((sum, v) => sum + v, 0) / present.length;
};

const geometricMean = (values: readonly (number | null)[]): number => {
  const present = values.filter((v): v is number => v !== null && v > 0);
  return present.length === 0 ? Number.NaN : Math.exp(present.reduce((sum, v) => sum + Math.log(v), 0) / present.length);
};

function summarise(method: Method, records: readonly PairRecord[]): MethodSummary {
  const outside = records.filter((r) => r.changedOutside !== null);
  return {
    method: method.name,
    ...(method.revision ? { revision: method.revision } : {}),
    pairs: records.length,
    found: records.filter((r) => r.identity !== null).length,
    judgeFound: records.filter((r) => r.judgeDistance !== null).length,
    degraded: records.filter((r) => r.degraded).length,
    identity: mean(records.map((r) => r.identity)),
    expression: mean(records.map((r) => r.expression)),
    pose: mean(records.map((r) => r.pose)),
    gaze: mean(records.map((r) => r.gaze)),
    judgeDistance: mean(records.map((r) => r.judgeDistance)),
    retrievalTop1: records.length === 0 ? Number.NaN : records.filter((r) => r.retrievedCorrectly).length / records.length,
    seam: geometricMean(records.map((r) => r.seam)),
    highFrequency: geometricMean(records.map((r) => r.highFrequency)),
    changedOutside: outside.length === 0 ? Number.NaN : outside.filter((r) => (r.changedOutside ?? 0) > 0).length,
  };
}

/** The face's 512 px aligned crop of an image (the frame the sheet and self-reenactment compare in). */
const alignedCrop = (image: RgbImage, person: Person): RgbImage => warpRgb(image, person.representation.alignment.matrix, 512, 512);

export async function runEvaluation(setup: EvaluationSetup): Promise<EvaluationResult> {
  const { task, people, pairs, measure, judge } = setup;
  const definition = TASKS[task];
  const gallery = await judgeGallery(people, judge);
  const descriptors = gallery.map((face) => face?.descriptor ?? null);
  const methods = methodsOf(definition, [setup.generator, ...(setup.compare ?? [])]);

  const measureOutput = async (c: EvalCase, method: Method, output: MethodOutput): Promise<PairRecord> => {
    const frameRep = c.frame.representation;
    const ford = output.unchanged !== undefined ? people[output.unchanged].representation : faceAtFrame(await measure(output.image), frameRep);
    const judged =
      output.unchanged !== undefined ? gallery[output.unchanged] : judgedFaceAt(await judge(output.image), gallery[c.frameIndex]?.box ?? fordBox(frameRep));
    const identityDescriptor = descriptors[c.identity];
    const retrieved = judged ? nearestIdentity(judged.descriptor, descriptors) : -1;
    const geometry = output.recipe ? c.geometry(output.recipe) : null;
    const motion = people[c.motion].representation;
    return {
      source: c.pair.source,
      target: c.pair.target,
      method: method.name,
      degraded: output.degraded,
      identity: ford ? identitySimilarity(ford, people[c.identity].representation) : null,
      expression: ford ? expressionError(ford, motion) : null,
      pose: ford ? poseError(ford, motion) : null,
      gaze: ford ? gazeError(ford, motion) : null,
      judgeDistance: judged && identityDescriptor ? descriptorDistance(judged.descriptor, identityDescriptor) : null,
      retrieved: retrieved >= 0 ? retrieved : null,
      retrievedCorrectly: retrieved === c.identity,
      seam: geometry ? finiteOrNull(seamRatio(output.image, c.frame.image, geometry.fusion, geometry.margin)) : null,
      highFrequency: geometry ? finiteOrNull(highFrequencyRatio(output.image, c.frame.image, geometry.inpaint)) : null,
      changedOutside: geometry ? changedOutside(output.image, c.frame.image, geometry.editArea).pixels : null,
    };
  };

  const records: PairRecord[] = [];
  for (const pair of pairs) {
    const c = evalCase(definition, pair, people);
    for (const method of methods) records.push(await measureOutput(c, method, await method.produce(c)));
  }
  const rows = methods.map((method) =>
    summarise(
      method,
      records.filter((r) => r.method === method.name),
    ),
  );
  const sheet: SheetRow[] = [];
  for (const pair of setup.sheetPairs ?? []) {
    const c = evalCase(definition, pair, people);
    const outputs: SheetRow['outputs'] = [];
    for (const method of methods) {
      const output = await method.produce(c);
      if (output.unchanged === undefined) outputs.push({ method: method.name, crop: alignedCrop(output.image, c.frame) });
    }
    sheet.push({ pair, inputs: definition.inputs(pair).map((i) => alignedCrop(people[i].image, people[i])), outputs });
  }
  const self = task === 'reenact' ? await selfReenactment(setup, definition.recipe) : [];
  return { task, rows, records, self, sheet };
}

async function selfReenactment(setup: EvaluationSetup, recipe: Recipe): Promise<SelfSummary[]> {
  const people = setup.people.slice(0, setup.selfPeople);
  if (people.length === 0) return [];
  const generators = [setup.generator, ...(setup.compare ?? [])];
  const summaries: SelfSummary[] = [];
  for (const generator of generators) {
    let ssim = 0,
      psnr = 0,
      rmse = 0;
    for (const person of people) {
      const { image } = await generator.render(recipe, [asInput(person), asInput(person)]);
      const [out, truth] = [alignedCrop(image, person), alignedCrop(person.image, person)];
      ssim += structuralSimilarity(out, truth);
      psnr += peakSignalToNoiseRatio(out, truth);
      rmse += rootMeanSquareError(out, truth);
    }
    const n = people.length;
    summaries.push({ method: generator.name, people: n, ssim: ssim / n, psnr: psnr / n, rmse: rmse / n });
  }
  summaries.push({ method: 'source unchanged', people: people.length, ssim: 1, psnr: Infinity, rmse: 0 });
  return summaries;
}
