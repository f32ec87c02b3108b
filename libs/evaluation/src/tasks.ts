/**
 * The evaluated tasks: per task the recipe, which person of a pair supplies which input, whose identity and
 * whose motion the output should carry, the generator's extra renderings and the baselines.
 *
 *   face-swap, head-swap  pairs (source, target): inputs [source, target]; the output should carry the
 *                         source's identity and the target's motion. Extra rendering "source motion": the same
 *                         swap keeping the source's pose, expression and gaze.
 *   reenact               pairs (source, driving): inputs [source, driving]; the source's identity, the
 *                         driving face's motion.
 *   inpaint               each person alone: nose and lips regenerated (named regions).
 *   inpaint-drawn         each person alone: a drawn mask regenerated (an ellipse over the subject's left cheek,
 *                         placed on the face's aligned crop: see drawnMask).
 *   attribute-add         pairs (donor, target): the donor's hair added to the target (attribute edit,
 *                         `add-new`, hair from input 0); the target's identity and motion.
 *   attribute-remove      each person alone: the lips masked out and invented (attribute edit, `mask-out`).
 * For the single-person tasks a "pair" is the person with itself.
 */
import { recipeFromPreset, type Recipe } from '@facex/contracts';
import { applyAffine, createMask, invertAffine, type MaskPlane } from '@facex/imaging';
import type { PersonPair } from './pairs';
import type { Person } from './sample-people';

export const EVAL_TASKS = ['face-swap', 'head-swap', 'reenact', 'inpaint', 'inpaint-drawn', 'attribute-add', 'attribute-remove'] as const;
export type EvalTask = (typeof EVAL_TASKS)[number];

export type BaselineName = 'target unchanged' | 'input unchanged' | 'source unchanged' | 'driving unchanged' | 'naive paste' | 'hole filled';

export interface TaskDefinition {
  /** Pairs of distinct people, or each person alone. */
  subjects: 'pairs' | 'people';
  /** The recipe; input i is `inputs(pair)[i]`. */
  recipe: Recipe;
  inputs(pair: PersonPair): number[];
  /** The person whose photo is the output frame. */
  frame(pair: PersonPair): number;
  /** The person whose identity the output should carry. */
  identity(pair: PersonPair): number;
  /** The person whose pose, expression and gaze the output should match. */
  motion(pair: PersonPair): number;
  /** More renderings of the generator per pair: method-name suffix and recipe. */
  variants: ReadonlyArray<{ suffix: string; recipe: Recipe }>;
  baselines: readonly BaselineName[];
  /** The task sends a drawn mask (RegionAssemblerOptions.userMask) made for the frame person. */
  drawnMask: boolean;
}

const swap = (preset: 'face-swap' | 'head-swap'): TaskDefinition => ({
  subjects: 'pairs',
  recipe: recipeFromPreset({ preset, source: 0, target: 1 }),
  inputs: (pair) => [pair.source, pair.target],
  frame: (pair) => pair.target,
  identity: (pair) => pair.source,
  motion: (pair) => pair.target,
  variants: [{ suffix: 'source motion', recipe: recipeFromPreset({ preset, source: 0, target: 1 }, { pose: 0, expression: 0, gaze: 0 }) }],
  baselines: ['naive paste', 'target unchanged'],
  drawnMask: false,
});

const alone = (recipe: Recipe, baselines: readonly BaselineName[], drawnMask = false): TaskDefinition => ({
  subjects: 'people',
  recipe,
  inputs: (pair) => [pair.target],
  frame: (pair) => pair.target,
  identity: (pair) => pair.target,
  motion: (pair) => pair.target,
  variants: [],
  baselines,
  drawnMask,
});

export const TASKS: Readonly<Record<EvalTask, TaskDefinition>> = {
  'face-swap': swap('face-swap'),
  'head-swap': swap('head-swap'),
  reenact: {
    subjects: 'pairs',
    recipe: recipeFromPreset({ preset: 'reenact', source: 0, driving: 1 }),
    inputs: (pair) => [pair.source, pair.target],
    frame: (pair) => pair.source,
    identity: (pair) => pair.source,
    motion: (pair) => pair.target,
    variants: [],
    baselines: ['source unchanged', 'driving unchanged'],
    drawnMask: false,
  },
  inpaint: alone(recipeFromPreset({ preset: 'inpaint', image: 0, regions: ['nose', 'lips'], userMask: false }), ['hole filled', 'input unchanged']),
  'inpaint-drawn': alone(recipeFromPreset({ preset: 'inpaint', image: 0, regions: [], userMask: true }), ['hole filled', 'input unchanged'], true),
  'attribute-add': {
    subjects: 'pairs',
    recipe: recipeFromPreset({ preset: 'attribute-edit', target: 1, regions: ['hair'], mode: 'add-new', reference: 0 }),
    inputs: (pair) => [pair.source, pair.target],
    frame: (pair) => pair.target,
    identity: (pair) => pair.target,
    motion: (pair) => pair.target,
    variants: [],
    baselines: ['naive paste', 'target unchanged'],
    drawnMask: false,
  },
  'attribute-remove': alone(recipeFromPreset({ preset: 'attribute-edit', target: 0, regions: ['lips'], mode: 'mask-out' }), ['hole filled', 'input unchanged']),
};

/** The drawn mask's ellipse on the 512 px aligned crop: over the subject's left cheek (the crop's right side). */
export const DRAWN_ELLIPSE = { cx: 336, cy: 312, rx: 64, ry: 52 } as const;

/** A user-drawn inpainting mask for a person: the ellipse, placed on their photo through the face's alignment. */
export function drawnMask(person: Person): MaskPlane {
  const { width, height } = person.image;
  const mask = createMask(width, height);
  const toCrop = person.representation.alignment.matrix;
  const cropToImage = invertAffine(toCrop);
  // Only the ellipse's bounding box in the image is visited.
  const corners = [
    [-1, -1],
    [1, -1],
    [-1, 1],
    [1, 1],
  ].map(([u, v]) => applyAffine(cropToImage, DRAWN_ELLIPSE.cx + u * DRAWN_ELLIPSE.rx, DRAWN_ELLIPSE.cy + v * DRAWN_ELLIPSE.ry));
  const x0 = Math.max(0, Math.floor(Math.min(...corners.map((p) => p[0])))),
    x1 = Math.min(width - 1, Math.ceil(Math.max(...corners.map((p) => p[0]))));
  const y0 = Math.max(0, Math.floor(Math.min(...corners.map((p) => p[1])))),
    y1 = Math.min(height - 1, Math.ceil(Math.max(...corners.map((p) => p[1]))));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const [u, v] = applyAffine(toCrop, x, y);
      if (((u - DRAWN_ELLIPSE.cx) / DRAWN_ELLIPSE.rx) ** 2 + ((v - DRAWN_ELLIPSE.cy) / DRAWN_ELLIPSE.ry) ** 2 <= 1) mask.data[y * width + x] = 255;
    }
  }
  return mask;
}

/** Every person alone, as pairs of itself, capped. */
export function selfPairs(people: number, cap = Infinity): PersonPair[] {
  return Array.from({ length: Math.min(people, cap) }, (_, i) => ({ source: i, target: i }));
}
