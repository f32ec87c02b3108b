/**
 * The evaluation harness (the paper's Tables 1–3): a generator is run on fixed pairs of people and its outputs
 * are measured with FORD itself, next to baselines measured the same way.
 *   face-swap / head-swap: source = pair.source, target = pair.target; identity similarity to the source,
 *     expression / pose / gaze error to the target; baselines "target unchanged" and "naive paste" (the
 *     source's aligned crop carried onto the target's by the landmark similarity and pasted with the Region
 *     Assembler's fusion mask: no warp, no colour matching). A second row of the generator renders the same
 *     swap keeping the source's motion (pose, expression, gaze): the identity it keeps when it need not
 *     re-pose the face, so the difference between its two rows is what matching the target's motion costs.
 *   reenact: source = pair.source, driving = pair.target; identity similarity to the source, errors to the
 *     driving face; baselines "source unchanged" and "driving unchanged".
 *   self-reenactment (reenact only): each person drives itself; SSIM, PSNR and RMSE of the output against
 *     the input on the face's 512 px aligned crop: how much the generator disturbs a frame whose motion it
 *     already has (the round trip through the crop and paste-back included).
 * An output is measured on the face FORD finds nearest to the frame face's detection box; when there is none
 * the pair counts as "face lost" and is left out of the means.
 */
import { recipeFromPreset, type FaceRepresentation, type Recipe } from '@facex/contracts';
import { assembleRegions, cropToCrop, resolveInputs, type AssemblyInput } from '@facex/assemblers';
import {
  pasteBack,
  peakSignalToNoiseRatio,
  rootMeanSquareError,
  structuralSimilarity,
  warpRgb,
  type RgbImage,
} from '@facex/imaging';
import { expressionError, gazeError, identitySimilarity, poseError } from './face-metrics';
import type { PersonPair } from './pairs';
import type { Person } from './sample-people';

export const EVAL_TASKS = ['face-swap', 'head-swap', 'reenact'] as const;
export type EvalTask = (typeof EVAL_TASKS)[number];

/** What a generator returns for one recipe: the frame's full image with the edit, and an optional flag. */
export interface RenderedEdit {
  image: RgbImage;
  degraded?: boolean;
}
export type RenderFunction = (recipe: Recipe, inputs: AssemblyInput[]) => Promise<RenderedEdit>;

/** Finds and describes the faces of an output image (FaceAnalyzer.analyzeAll on the encoded image). */
export type MeasureFunction = (image: RgbImage) => Promise<FaceRepresentation[]>;

export interface MethodSummary {
  method: string;
  pairs: number;
  /** Pairs whose output still has a face at the frame face's place. */
  found: number;
  degraded: number;
  identity: number;
  expression: number;
  pose: number;
  gaze: number;
}

export interface SelfSummary {
  method: string;
  people: number;
  ssim: number;
  psnr: number;
  rmse: number;
}

export interface PairOutput {
  pair: PersonPair;
  method: string;
  image: RgbImage;
}

export interface EvaluationResult {
  task: EvalTask;
  rows: MethodSummary[];
  self: SelfSummary[];
  outputs: PairOutput[];
}

export interface EvaluationSetup {
  task: EvalTask;
  generator: { name: string; render: RenderFunction };
  people: readonly Person[];
  pairs: readonly PersonPair[];
  /** How many people (from the first) drive themselves for SSIM/PSNR/RMSE; reenact only. */
  selfPeople: number;
  measure: MeasureFunction;
}

/** The recipe of a pair: input 0 is the pair's source, input 1 its target (or driving face). */
export function pairRecipe(task: EvalTask): Recipe {
  return task === 'reenact' ? recipeFromPreset({ preset: 'reenact', source: 0, driving: 1 }) : recipeFromPreset({ preset: task, source: 0, target: 1 });
}

/** A swap's recipe with the source's motion instead of the target's (see the module comment). */
export function sourceMotionRecipe(task: Exclude<EvalTask, 'reenact'>): Recipe {
  return recipeFromPreset({ preset: task, source: 0, target: 1 }, { pose: 0, expression: 0, gaze: 0 });
}

/** The method name of a generator's source-motion row. */
export const sourceMotionMethod = (generator: string): string => `${generator}, source motion`;

const asInput = (person: Person): AssemblyInput => ({ representation: person.representation, image: person.image });

/** Baseline: the source's aligned crop pasted onto the frame by the landmark similarity and the fusion mask. */
export function naivePaste(recipe: Recipe, inputs: AssemblyInput[]): RgbImage {
  const regions = assembleRegions(recipe, inputs);
  const frame = regions.frameInput, source = frame === 0 ? 1 : 0;
  const resolved = resolveInputs(recipe, inputs);
  const sourceInput = resolved[source], frameInput = resolved[frame];
  if (!sourceInput || !frameInput) throw new Error('naive paste needs both inputs');
  const carried = sourceInput.resampledInto(cropToCrop(sourceInput.representation, frameInput.representation));
  return pasteBack(inputs[frame].image as RgbImage, carried, regions.cropToImage, regions.fusionMask);
}

function centre(rep: FaceRepresentation): [number, number] {
  const { box } = rep.detection;
  return [box.x + box.width / 2, box.y + box.height / 2];
}

/** The output face nearest the frame face, within half the frame face's box width; null when there is none. */
export function faceAtFrame(faces: readonly FaceRepresentation[], frame: FaceRepresentation): FaceRepresentation | null {
  const [fx, fy] = centre(frame);
  let best: FaceRepresentation | null = null, bestDistance = frame.detection.box.width / 2;
  for (const face of faces) {
    const [x, y] = centre(face);
    const distance = Math.hypot(x - fx, y - fy);
    if (distance <= bestDistance) { best = face; bestDistance = distance; }
  }
  return best;
}

interface Measured {
  face: FaceRepresentation | null;
  degraded: boolean;
}

function summarise(method: string, measured: Measured[], identityOf: (i: number) => FaceRepresentation, motionOf: (i: number) => FaceRepresentation): MethodSummary {
  const found = measured.flatMap((m, i) => (m.face ? [{ face: m.face, i }] : []));
  const mean = (f: (face: FaceRepresentation, i: number) => number) => found.reduce((sum, { face, i }) => sum + f(face, i), 0) / (found.length || Number.NaN);
  return {
    method,
    pairs: measured.length,
    found: found.length,
    degraded: measured.filter((m) => m.degraded).length,
    identity: mean((face, i) => identitySimilarity(face, identityOf(i))),
    expression: mean((face, i) => expressionError(face, motionOf(i))),
    pose: mean((face, i) => poseError(face, motionOf(i))),
    gaze: mean((face, i) => gazeError(face, motionOf(i))),
  };
}

/** The face's 512 px aligned crop of an image (the frame the self-reenactment metrics compare in). */
const alignedCrop = (image: RgbImage, person: Person): RgbImage => warpRgb(image, person.representation.alignment.matrix, 512, 512);

export async function runEvaluation(setup: EvaluationSetup): Promise<EvaluationResult> {
  const { task, generator, people, pairs, measure } = setup;
  const recipe = pairRecipe(task);
  const swapKeepingMotion = task === 'reenact' ? null : sourceMotionRecipe(task);
  const frameOf = (pair: PersonPair): Person => people[task === 'reenact' ? pair.source : pair.target];
  const unchanged = task === 'reenact' ? ['source unchanged', 'driving unchanged'] : ['target unchanged'];
  const methods = [generator.name, ...(swapKeepingMotion ? [sourceMotionMethod(generator.name), 'naive paste'] : []), ...unchanged];
  const measured = new Map<string, Measured[]>(methods.map((m) => [m, []]));
  const outputs: PairOutput[] = [];
  for (const pair of pairs) {
    const inputs = [asInput(people[pair.source]), asInput(people[pair.target])];
    const frame = frameOf(pair).representation;
    const rendered = await generator.render(recipe, inputs);
    const edits: Array<[string, RgbImage, boolean]> = [[generator.name, rendered.image, rendered.degraded ?? false]];
    if (swapKeepingMotion) {
      const keepingMotion = await generator.render(swapKeepingMotion, inputs);
      edits.push([sourceMotionMethod(generator.name), keepingMotion.image, keepingMotion.degraded ?? false]);
      edits.push(['naive paste', naivePaste(recipe, inputs), false]);
    }
    for (const [method, image, degraded] of edits) {
      measured.get(method)?.push({ face: faceAtFrame(await measure(image), frame), degraded });
      outputs.push({ pair, method, image });
    }
    // Unchanged images are measured by the representations FORD already made of them.
    for (const method of unchanged) {
      const person = method === 'driving unchanged' ? people[pair.target] : frameOf(pair);
      measured.get(method)?.push({ face: person.representation, degraded: false });
    }
  }
  const identityOf = (i: number) => people[pairs[i].source].representation;
  const motionOf = (i: number) => people[pairs[i].target].representation;
  const rows = methods.map((method) => summarise(method, measured.get(method) ?? [], identityOf, motionOf));
  const self = task === 'reenact' ? await selfReenactment(setup, recipe) : [];
  return { task, rows, self, outputs };
}

async function selfReenactment(setup: EvaluationSetup, recipe: Recipe): Promise<SelfSummary[]> {
  const people = setup.people.slice(0, setup.selfPeople);
  if (people.length === 0) return [];
  let ssim = 0, psnr = 0, rmse = 0;
  for (const person of people) {
    const { image } = await setup.generator.render(recipe, [asInput(person), asInput(person)]);
    const [out, truth] = [alignedCrop(image, person), alignedCrop(person.image, person)];
    ssim += structuralSimilarity(out, truth);
    psnr += peakSignalToNoiseRatio(out, truth);
    rmse += rootMeanSquareError(out, truth);
  }
  const n = people.length;
  return [
    { method: setup.generator.name, people: n, ssim: ssim / n, psnr: psnr / n, rmse: rmse / n },
    { method: 'source unchanged', people: n, ssim: 1, psnr: Infinity, rmse: 0 },
  ];
}
