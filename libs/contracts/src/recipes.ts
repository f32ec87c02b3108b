/**
 * Recipes: every FaceX task is a choice of which input each facial component comes from (paper Fig. 2, 4).
 * A recipe names, per component, the index of the input that supplies it, or `null` when the generator must
 * invent it (the component is dropped: its token is the null token and its region is masked out).
 * Presets build the recipe of every task of the paper; `mixture` takes any picks over three or more inputs.
 * An EditChain strings recipes together for progressive editing: a step may take the previous step's output.
 */
import { z } from 'zod';
import { FacexError, formatFieldPath } from './errors';
import { MOTION_MODES, MotionEditSchema } from './motion';

export { formatFieldPath };
import { REGION_NAMES, type RegionName } from './representation';

/** Every component a recipe assigns, in the order of the Representation Assembler's token layout. */
export const COMPONENT_NAMES = [
  'identity',
  'eyebrows',
  'eyes',
  'nose',
  'lips',
  'skin',
  'ears',
  'hair',
  'background',
  'pose',
  'expression',
  'gaze',
  'lighting',
] as const;
export type ComponentName = (typeof COMPONENT_NAMES)[number];

export const MOTION_COMPONENTS = ['pose', 'expression', 'gaze'] as const satisfies readonly ComponentName[];
/** The inner face: what a face swap takes from the source, and the area its I^R masks out. */
export const FACE_REGIONS = ['eyebrows', 'eyes', 'nose', 'lips', 'skin'] as const satisfies readonly RegionName[];
/** The head: what a head swap takes from the source. */
export const HEAD_REGIONS = [...FACE_REGIONS, 'ears', 'hair'] as const satisfies readonly RegionName[];

export const PRESET_NAMES = ['face-swap', 'head-swap', 'reenact', 'animate', 'inpaint', 'attribute-edit', 'mixture'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

/** The most inputs one recipe may combine. */
export const MAX_RECIPE_INPUTS = 8;

const InputIndexSchema = z
  .int()
  .min(0)
  .max(MAX_RECIPE_INPUTS - 1);
export const RegionNameSchema = z.enum(REGION_NAMES);

/** `null`: the component is dropped and the generator invents it. */
export const ComponentSourceSchema = InputIndexSchema.nullable();
export type ComponentSource = z.infer<typeof ComponentSourceSchema>;

export const ComponentsSchema = z.strictObject(
  Object.fromEntries(COMPONENT_NAMES.map((name) => [name, ComponentSourceSchema])) as Record<ComponentName, typeof ComponentSourceSchema>,
);
export type Components = Record<ComponentName, ComponentSource>;

/**
 * How a video driving a photo moves it (drivenMotionEdit, motion.ts): `relative` (default), the photo keeps its
 * own pose, gaze and expression and takes the driver's change since the driver's first frame with the face;
 * `absolute`, every frame takes the driver's motion as it is. Only for a video driver.
 */
const DrivingMotionSchema = z.enum(MOTION_MODES).optional().meta({
  description:
    "A video driver only. `relative` (default): the photo keeps its own pose, gaze and expression and moves by the driver's change since the driver's first frame with the face; `absolute`: each frame takes the driver's motion as it is.",
});

export const TaskSchema = z.discriminatedUnion('preset', [
  z.strictObject({
    preset: z.literal('face-swap'),
    source: InputIndexSchema,
    target: InputIndexSchema,
    /** Controllable swap (paper Fig. 6, right): only these face regions come from the source. Default: all. */
    regions: z.array(z.enum(FACE_REGIONS)).min(1).optional(),
  }),
  z.strictObject({ preset: z.literal('head-swap'), source: InputIndexSchema, target: InputIndexSchema }),
  z.strictObject({ preset: z.literal('reenact'), source: InputIndexSchema, driving: InputIndexSchema, motion: DrivingMotionSchema }),
  z.strictObject({
    preset: z.literal('animate'),
    source: InputIndexSchema,
    driving: InputIndexSchema,
    motion: DrivingMotionSchema,
    /** The stylised base U-Net (a community fine-tune) the generator swaps in. */
    style: z.string().min(1).max(100),
  }),
  z.strictObject({
    preset: z.literal('inpaint'),
    image: InputIndexSchema,
    /** Regions regenerated from scratch. */
    regions: z.array(RegionNameSchema),
    /** True when a user-drawn mask (on the full image) comes with the request. */
    userMask: z.boolean(),
  }),
  z.strictObject({
    preset: z.literal('attribute-edit'),
    target: InputIndexSchema,
    regions: z.array(RegionNameSchema).min(1),
    /** `mask-out`: the regions are removed and invented; `add-new`: they come from `reference`. */
    mode: z.enum(['mask-out', 'add-new']),
    reference: InputIndexSchema.optional(),
  }),
  z.strictObject({
    preset: z.literal('mixture'),
    /** The input whose aligned crop is the output frame (and that supplies every component not picked). */
    frame: InputIndexSchema,
  }),
]);
export type Task = z.infer<typeof TaskSchema>;

export const RecipeSchema = z.strictObject({
  /** How many inputs the recipe combines. */
  inputs: z.int().min(1).max(MAX_RECIPE_INPUTS),
  components: ComponentsSchema,
  task: TaskSchema,
  /** Numeric motion values on top of the motion the recipe takes from its inputs (see motion.ts). */
  motion: MotionEditSchema.optional(),
});
export type Recipe = z.infer<typeof RecipeSchema>;

export const EditStepInputSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('asset'), index: z.int().min(0) }),
  z.strictObject({ kind: z.literal('previous') }),
]);
export type EditStepInput = z.infer<typeof EditStepInputSchema>;

export const EditChainSchema = z.strictObject({
  /** How many user-supplied images the chain draws from. */
  assets: z.int().min(1),
  steps: z.array(z.strictObject({ recipe: RecipeSchema, inputs: z.array(EditStepInputSchema).min(1).max(MAX_RECIPE_INPUTS) })).min(1),
});
export type EditChain = z.infer<typeof EditChainSchema>;

function invalidRecipe(field: string, message: string): FacexError {
  return new FacexError('invalid_recipe', `${field}: ${message}`, { field });
}

function parseWith<T>(schema: z.ZodType<T>, value: unknown, prefix: readonly PropertyKey[]): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  // An unknown key is reported on its parent object; name the key itself so the caller sees which one.
  const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]] : issue.path;
  const message = issue.code === 'unrecognized_keys' ? 'unknown field' : issue.message;
  throw invalidRecipe(formatFieldPath([...prefix, ...path]) || '(recipe)', message);
}

/** The input indices a task names, with their field names. */
function taskInputFields(task: Task): Array<[field: string, index: number]> {
  switch (task.preset) {
    case 'face-swap':
    case 'head-swap':
      return [
        ['source', task.source],
        ['target', task.target],
      ];
    case 'reenact':
    case 'animate':
      return [
        ['source', task.source],
        ['driving', task.driving],
      ];
    case 'inpaint':
      return [['image', task.image]];
    case 'attribute-edit':
      return task.reference === undefined
        ? [['target', task.target]]
        : [
            ['target', task.target],
            ['reference', task.reference],
          ];
    case 'mixture':
      return [['frame', task.frame]];
  }
}

/** Checks a parsed recipe's cross-field rules; `prefix` names where it sits (e.g. in an EditChain). */
function checkRecipeSemantics(recipe: Recipe, prefix: readonly PropertyKey[]): void {
  const field = (...rest: PropertyKey[]) => formatFieldPath([...prefix, ...rest]);
  for (const name of COMPONENT_NAMES) {
    const index = recipe.components[name];
    if (index !== null && index >= recipe.inputs) {
      throw invalidRecipe(field('components', name), `input ${index} does not exist (the recipe has ${recipe.inputs})`);
    }
  }
  const { task } = recipe;
  for (const [key, index] of taskInputFields(task)) {
    if (index >= recipe.inputs) {
      throw invalidRecipe(field('task', key), `input ${index} does not exist (the recipe has ${recipe.inputs})`);
    }
  }
  if (task.preset === 'inpaint' && task.regions.length === 0 && !task.userMask) {
    throw invalidRecipe(field('task', 'regions'), 'name at least one region or send a user mask');
  }
  if (task.preset === 'attribute-edit' && task.mode === 'add-new' && task.reference === undefined) {
    throw invalidRecipe(field('task', 'reference'), "mode 'add-new' needs a reference input");
  }
}

/** Parses and checks a recipe; bad input raises FacexError('invalid_recipe') with `details.field`. */
export function parseRecipe(value: unknown): Recipe {
  const recipe = parseWith(RecipeSchema, value, []);
  checkRecipeSemantics(recipe, []);
  return recipe;
}

/** Parses and checks an edit chain, including each step's recipe. */
export function parseEditChain(value: unknown): EditChain {
  const chain = parseWith(EditChainSchema, value, []);
  chain.steps.forEach((step, s) => {
    checkRecipeSemantics(step.recipe, ['steps', s, 'recipe']);
    if (step.inputs.length !== step.recipe.inputs) {
      throw invalidRecipe(formatFieldPath(['steps', s, 'inputs']), `the recipe combines ${step.recipe.inputs} inputs but ${step.inputs.length} are given`);
    }
    step.inputs.forEach((input, i) => {
      if (input.kind === 'previous' && s === 0) {
        throw invalidRecipe(formatFieldPath(['steps', s, 'inputs', i]), 'the first step has no previous output');
      }
      if (input.kind === 'asset' && input.index >= chain.assets) {
        throw invalidRecipe(formatFieldPath(['steps', s, 'inputs', i, 'index']), `asset ${input.index} does not exist (the chain has ${chain.assets})`);
      }
    });
  });
  return chain;
}

function everyComponentFrom(index: number): Components {
  return Object.fromEntries(COMPONENT_NAMES.map((name) => [name, index])) as Components;
}

function assign(components: Components, names: readonly ComponentName[], source: ComponentSource): void {
  for (const name of names) components[name] = source;
}

/** The components of a task as the paper's Fig. 4 defines them. */
function presetComponents(task: Task): Components {
  switch (task.preset) {
    case 'face-swap': {
      const components = everyComponentFrom(task.target);
      assign(components, ['identity', ...(task.regions ?? FACE_REGIONS)], task.source);
      return components;
    }
    case 'head-swap': {
      const components = everyComponentFrom(task.target);
      assign(components, ['identity', ...HEAD_REGIONS], task.source);
      return components;
    }
    case 'reenact':
    case 'animate': {
      const components = everyComponentFrom(task.source);
      assign(components, MOTION_COMPONENTS, task.driving);
      return components;
    }
    case 'inpaint': {
      const components = everyComponentFrom(task.image);
      assign(components, task.regions, null);
      return components;
    }
    case 'attribute-edit': {
      const components = everyComponentFrom(task.target);
      assign(components, task.regions, task.mode === 'add-new' ? (task.reference ?? null) : null);
      return components;
    }
    case 'mixture':
      return everyComponentFrom(task.frame);
  }
}

/**
 * The recipe of a task. `picks` overrides single components afterwards (the mixture's "identity from A, hair
 * from B, expression from C", or a face swap that also takes the hair). The input count is the highest index
 * named plus one unless `inputs` says more. The result is validated.
 */
export function recipeFromPreset(task: Task, picks: Partial<Record<ComponentName, ComponentSource>> = {}, inputs?: number): Recipe {
  const components = { ...presetComponents(task), ...picks };
  const named = [...taskInputFields(task).map(([, index]) => index), ...Object.values(components).filter((index): index is number => index !== null)];
  return parseRecipe({ inputs: inputs ?? Math.max(...named) + 1, components, task });
}

/** The input whose aligned 512 px crop is the output frame (and whose full image the result is pasted into). */
export function outputFrameInput(task: Task): number {
  switch (task.preset) {
    case 'face-swap':
    case 'head-swap':
    case 'attribute-edit':
      return task.target;
    case 'reenact':
    case 'animate':
      // The source keeps its appearance, background and framing; the driving input lends only its motion.
      return task.source;
    case 'inpaint':
      return task.image;
    case 'mixture':
      return task.frame;
  }
}
