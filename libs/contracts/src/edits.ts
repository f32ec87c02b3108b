/**
 * Edits: the record of one edit request as the service keeps it, and the HTTP DTOs of `POST /v1/edits`.
 * An edit combines inputs (asset sha256 + face index) under a recipe and renders one result image.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { FacexError } from './errors';
import { MotionEditSchema } from './motion';
import {
  ComponentSourceSchema,
  COMPONENT_NAMES,
  MAX_RECIPE_INPUTS,
  RecipeSchema,
  TaskSchema,
  formatFieldPath,
  parseRecipe,
  recipeFromPreset,
  type ComponentName,
  type ComponentSource,
  type Recipe,
  type Task,
} from './recipes';

const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';
export const EDIT_ID_PATTERN = /^ed_[0-9a-hjkmnp-tv-z]{26}$/;

/** `ed_` + 26 random base32 characters (130 bits): unguessable, and free of ':' (BullMQ job ids). */
export function newEditId(): string {
  const bytes = randomBytes(26);
  let id = 'ed_';
  for (const byte of bytes) id += CROCKFORD[byte & 31];
  return id;
}

export const EditIdSchema = z.string().regex(EDIT_ID_PATTERN).meta({ description: 'Edit id: `ed_` + 26 base32 characters.' });
export const Sha256Schema = z
  .string()
  .regex(/^[0-9a-f]{64}$/)
  .meta({ description: 'Lower-case hex sha256 of the asset bytes.' });

export const EDIT_STATUSES = ['queued', 'running', 'completed', 'failed', 'canceled'] as const;
export type EditStatus = (typeof EDIT_STATUSES)[number];
export const TERMINAL_STATUSES: readonly EditStatus[] = ['completed', 'failed', 'canceled'];

/** Which status may follow which; a terminal status has no successor, so each terminal event fires once. */
export const EDIT_TRANSITIONS: Record<EditStatus, readonly EditStatus[]> = {
  queued: ['running', 'failed', 'canceled'],
  running: ['completed', 'failed', 'canceled'],
  completed: [],
  failed: [],
  canceled: [],
};

export const GENERATOR_NAMES = ['reference', 'warp', 'diffusion'] as const;

/**
 * The generators that sample (take `steps` and `guidance`, and a stylised base U-Net for `animate`). The
 * weight-free ones render in one pass: for them those options mean nothing, and the API does not echo them.
 */
export const SAMPLING_GENERATORS: readonly GeneratorName[] = ['diffusion'];
export const samples = (generator: GeneratorName): boolean => SAMPLING_GENERATORS.includes(generator);
export type GeneratorName = (typeof GENERATOR_NAMES)[number];

export const EDIT_STAGES = ['extract', 'assemble', 'render'] as const;
export type EditStage = (typeof EDIT_STAGES)[number];

export const EditInputSchema = z.strictObject({
  assetId: Sha256Schema,
  faceIndex: z.int().min(0).max(63).default(0).meta({ description: 'Which face of the asset: 0 = the largest.' }),
});
export type EditInput = z.infer<typeof EditInputSchema>;

/** Where a user-drawn inpainting mask is: an uploaded asset. */
export const EditMaskSchema = z.strictObject({ assetId: Sha256Schema }).meta({
  description:
    'A user-drawn inpainting mask: an uploaded image of the same size as the inpainted image, white (luma ≥ 128) where it is regenerated. Required by `inpaint` with `userMask: true`, refused otherwise.',
});
export type EditMask = z.infer<typeof EditMaskSchema>;

/** The image formats a result can be encoded in. */
export const RESULT_IMAGE_FORMATS = ['png', 'jpeg', 'webp'] as const;
export type ResultImageFormat = (typeof RESULT_IMAGE_FORMATS)[number];
export const RESULT_CONTENT_TYPES = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' } as const satisfies Record<ResultImageFormat, string>;

export const ResultOutputSchema = z
  .strictObject({
    format: z.enum(RESULT_IMAGE_FORMATS).default('png').meta({ description: 'png (lossless), jpeg or webp.' }),
    quality: z.int().min(1).max(100).optional().meta({ description: 'jpeg/webp quality (default 90); ignored for png, which is lossless.' }),
    region: z.enum(['frame', 'face']).default('frame').meta({ description: "`frame`: the whole edited image; `face`: only the edited face's square crop." }),
  })
  .meta({ description: 'How the result is encoded; metadata (EXIF, ICC, XMP) is never copied into it.' });
export type ResultOutput = z.infer<typeof ResultOutputSchema>;

/**
 * Identity similarity (cosine of FORD's identity embeddings) from which a face counts as the reference face's
 * person. On the 22 faces of the sample photos (22 different people) the most similar two people score 0.49;
 * the same face mirrored, rescaled and recompressed scores 0.92 and more (libs/edit-pipeline faces.spec.ts).
 */
export const REFERENCE_SIMILARITY_THRESHOLD = 0.6;

export const FACE_SORT_ORDERS = ['largest-first', 'left-to-right'] as const;
export type FaceSortOrder = (typeof FACE_SORT_ORDERS)[number];

export const FaceSelectionSchema = z
  .strictObject({
    mode: z.enum(['index', 'all', 'reference']).meta({
      description: '`index`: one face, `index` in the sort order; `all`: every face; `reference`: every face whose identity matches the reference face.',
    }),
    sort: z.enum(FACE_SORT_ORDERS).default('largest-first').meta({ description: 'The order `index` counts in (and the order faces are listed).' }),
    index: z.int().min(0).max(63).optional().meta({ description: 'With `mode: index`: which face in the sort order (default 0).' }),
    reference: EditInputSchema.optional().meta({
      description: 'With `mode: reference`: the face (an uploaded asset and its face index) whose person is edited.',
    }),
    threshold: z
      .number()
      .min(-1)
      .max(1)
      .default(REFERENCE_SIMILARITY_THRESHOLD)
      .meta({ description: 'With `mode: reference`: the least identity similarity (cosine) of a chosen face.' }),
  })
  .meta({ description: 'Which faces of the output frame (the target image) the edit touches; every chosen face is edited in one result image.' });
export type FaceSelection = z.infer<typeof FaceSelectionSchema>;

export const EditOptionsSchema = z.strictObject({
  generator: z.enum(GENERATOR_NAMES).default('reference').meta({
    description: "`reference`: the assembled inpainting reference pasted back (no model); `warp`: CPU renderer; `diffusion`: the paper's generator.",
  }),
  seed: z
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .optional()
    .meta({ description: 'Sampling seed; random when absent.' }),
  steps: z.int().min(1).max(150).default(30),
  guidance: z.number().min(0).max(30).default(7.5).meta({ description: 'Classifier-free guidance scale.' }),
  resolution: z.union([z.literal(256), z.literal(512)]).default(512),
  webhookUrl: z
    .url({ protocol: /^https?$/ })
    .optional()
    .meta({ description: 'Receives edit.completed / edit.failed / edit.canceled.' }),
  output: ResultOutputSchema.optional().meta({
    description: "The stored result's encoding (default: full-frame PNG); GET …/result can re-encode per request.",
  }),
});
export type EditOptions = z.infer<typeof EditOptionsSchema>;

/** The options a client sends: the generator may be left to the deployment (see `defaultGenerator`). */
export const EditRequestOptionsSchema = EditOptionsSchema.extend({
  generator: z.enum(GENERATOR_NAMES).optional().meta({
    description:
      "`reference`: the assembled inpainting reference pasted back (no model); `warp`: CPU renderer; `diffusion`: the paper's generator. Default: `warp` where the deployment serves it, else `reference`. A video edit: `warp` (the default) or `diffusion` (where a pack is served).",
  }),
});
export type EditRequestOptions = z.infer<typeof EditRequestOptionsSchema>;

/** Preference order for an edit that names no generator: the best weight-free renderer deployed. */
const DEFAULT_GENERATOR_ORDER: readonly GeneratorName[] = ['warp', 'reference'];

/** The generator an edit gets when it names none, among those deployed; undefined if none qualifies. */
export function defaultGenerator(deployed: readonly GeneratorName[]): GeneratorName | undefined {
  return DEFAULT_GENERATOR_ORDER.find((name) => deployed.includes(name));
}

export const EditProgressSchema = z.strictObject({
  stage: z.enum(EDIT_STAGES),
  step: z.int().min(0),
  steps: z.int().min(0),
});
export type EditProgress = z.infer<typeof EditProgressSchema>;

export const ModelPackRefSchema = z.strictObject({ name: z.string(), version: z.string() });

/**
 * The face-bank donor a weight-free generator regenerated an area from: the `warp` generator's inpainting, or the
 * inside of a mouth a motion edit opens on a face shown with its lips closed (the donor's teeth).
 */
export const DonorRefSchema = z.strictObject({
  bank: z.string().meta({ description: 'Version of the face bank (it changes with the model pack and with the photo set).' }),
  id: z.string().meta({ description: 'The donor: `<sha256 of its photo>#<face index>`. A face never donates to itself.' }),
  label: z.string().meta({ description: 'Where the donor photo came from (package path or operator file name) and the face index.' }),
  coverage: z.number().min(0).max(1).meta({
    description:
      "Share of the regenerated area transplanted from the donor; the rest (outside the face) is filled from its surroundings. For a mouth a motion edit opens: the share of the opening showing the donor's teeth and mouth, the rest being the dark inside of the mouth.",
  }),
});
export type DonorRef = z.infer<typeof DonorRefSchema>;

/**
 * How far a result can be trusted to look real. `degraded`: the generator rendered it but had to bridge more
 * than its method supports (a weight-free warp turning a face far beyond the pose its pixels were taken at, or
 * showing large parts the supplying face turns away); the reasons say what, in words.
 */
export const ResultQualitySchema = z
  .strictObject({
    flag: z.enum(['ok', 'degraded']),
    reasons: z.array(z.string()).meta({ description: 'Why the result is degraded, one sentence each; empty when `ok`.' }),
  })
  .meta({ description: 'Whether the result may show visible defects (`degraded`) and why.' });
export type ResultQuality = z.infer<typeof ResultQualitySchema>;

export const EditResultSchema = z.strictObject({
  /** Blob-store key of the result (`results/<editId>.<ext>`); the gateway presigns or streams it. */
  key: z.string(),
  contentType: z.enum(['image/png', 'image/jpeg', 'image/webp', 'video/mp4']),
  /** What the stored image shows; absent on results made before face crops were offered (= frame). */
  region: z.enum(['frame', 'face']).optional(),
  /** The edited face's square in the full frame's pixels (what `region: face` crops). */
  faceBox: z.strictObject({ x: z.int().min(0), y: z.int().min(0), width: z.int().min(1), height: z.int().min(1) }).optional(),
  generator: z.enum(GENERATOR_NAMES),
  /** The pack that made the result; null for generators without weights. */
  modelPack: ModelPackRefSchema.nullable(),
  /** Absent on results made before donors were reported. */
  donor: DonorRefSchema.nullable().optional().meta({
    description: 'The face-bank donor the edit regenerated from (an inpainting, or the teeth of a mouth it opens); null when none was used.',
  }),
  /** Absent for generators that do not assess their results, and on results made before they did. */
  quality: ResultQualitySchema.optional(),
  expiresAt: z.iso.datetime(),
});
export type EditResult = z.infer<typeof EditResultSchema>;

/** Problem-like (RFC 9457) error of a failed edit. */
export const EditErrorSchema = z.strictObject({
  code: z.string(),
  title: z.string(),
  detail: z.string(),
  field: z.string().optional(),
  retryable: z.boolean(),
});
export type EditError = z.infer<typeof EditErrorSchema>;

export const EditRecordSchema = z.strictObject({
  id: EditIdSchema,
  /** The API key id that created the edit: every read is scoped to it. */
  tenant: z.string().min(1),
  status: z.enum(EDIT_STATUSES),
  recipe: RecipeSchema,
  inputs: z.array(EditInputSchema).min(1).max(MAX_RECIPE_INPUTS),
  /** Records written before masks were accepted have none. */
  mask: EditMaskSchema.nullable().default(null),
  options: EditOptionsSchema,
  /** Records written before faces could be chosen have none: the frame input's own face. */
  faces: FaceSelectionSchema.nullable().default(null),
  /**
   * The frame input's faces the edit renders, resolved from `faces` when the edit was created (FORD's face
   * indices); null: the frame input's own faceIndex only.
   */
  targetFaces: z.array(z.int().min(0).max(63)).min(1).nullable().default(null),
  progress: EditProgressSchema.nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  result: EditResultSchema.nullable(),
  error: EditErrorSchema.nullable(),
});
export type EditRecord = z.infer<typeof EditRecordSchema>;

const PicksSchema = z.strictObject(
  Object.fromEntries(COMPONENT_NAMES.map((name) => [name, ComponentSourceSchema.optional()])) as Record<
    ComponentName,
    z.ZodOptional<typeof ComponentSourceSchema>
  >,
);

/** `POST /v1/edits`: a task preset (with optional component picks) or an explicit recipe, never both. */
export const CreateEditRequestSchema = z
  .strictObject({
    task: TaskSchema.optional().meta({ description: 'A task preset; the recipe is derived from it.' }),
    picks: PicksSchema.optional().meta({ description: 'Per-component input overrides on top of the preset.' }),
    recipe: RecipeSchema.optional().meta({ description: 'An explicit recipe (instead of `task`).' }),
    inputs: z.array(EditInputSchema).min(1).max(MAX_RECIPE_INPUTS),
    mask: EditMaskSchema.optional(),
    motion: MotionEditSchema.optional().meta({
      description: 'Numeric motion and expression controls on top of the task (with `task`; an explicit `recipe` carries its own).',
    }),
    faces: FaceSelectionSchema.optional(),
    options: EditRequestOptionsSchema.default(EditRequestOptionsSchema.parse({})),
  })
  .meta({ description: 'Create an edit: which inputs, combined how, rendered by which generator.' });
export type CreateEditRequest = z.infer<typeof CreateEditRequestSchema>;

/** What the API returns for an edit: the record without the tenant, the result with a URL once signed. */
export const EditResponseSchema = EditRecordSchema.omit({ tenant: true }).extend({
  options: EditOptionsSchema.omit({ steps: true, guidance: true }).extend({
    steps: z.int().min(1).max(150).optional().meta({ description: 'Present only for a generator that samples (diffusion).' }),
    guidance: z.number().min(0).max(30).optional().meta({ description: 'Present only for a generator that samples (diffusion).' }),
  }),
  result: EditResultSchema.omit({ key: true }).extend({ url: z.string().optional() }).nullable(),
});
export type EditResponse = z.infer<typeof EditResponseSchema>;

function invalid(field: string, message: string): FacexError {
  return new FacexError('invalid_recipe', `${field}: ${message}`, { field });
}

/** The preset's recipe over the inputs given: extra inputs are allowed (a mixture), missing ones are not. */
function presetRecipe(task: Task, picks: Partial<Record<ComponentName, ComponentSource>>, inputCount: number): Recipe {
  const named = recipeFromPreset(task, picks);
  return named.inputs < inputCount ? recipeFromPreset(task, picks, inputCount) : named;
}

/**
 * Parses a create-edit body into its recipe, inputs and options. Bad input raises FacexError('invalid_recipe')
 * naming the field (unknown fields included).
 */
export function parseCreateEditRequest(body: unknown): {
  recipe: Recipe;
  inputs: EditInput[];
  mask: EditMask | null;
  faces: FaceSelection | null;
  options: EditRequestOptions;
} {
  const parsed = CreateEditRequestSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]] : issue.path;
    throw invalid(formatFieldPath(path) || '(body)', issue.code === 'unrecognized_keys' ? 'unknown field' : issue.message);
  }
  const { task, picks, recipe: explicit, inputs, mask, motion, faces, options } = parsed.data;
  if ((task === undefined) === (explicit === undefined)) throw invalid('task', 'give exactly one of `task` and `recipe`');
  if (explicit && picks) throw invalid('picks', '`picks` only applies to a `task`');
  if (explicit && motion) throw invalid('motion', 'an explicit `recipe` carries its own `motion`');
  const preset = explicit ? undefined : presetRecipe(task as NonNullable<typeof task>, picks ?? {}, inputs.length);
  const recipe = explicit ? parseRecipe(explicit) : { ...(preset as Recipe), ...(motion ? { motion } : {}) };
  if (faces?.mode === 'reference' && !faces.reference) throw invalid('faces.reference', "mode 'reference' needs a reference face");
  if (faces && faces.mode !== 'reference' && faces.reference) throw invalid('faces.reference', "only mode 'reference' takes a reference face");
  if (faces && faces.mode !== 'index' && faces.index !== undefined) throw invalid('faces.index', "only mode 'index' takes an index");
  if (inputs.length !== recipe.inputs) throw invalid('inputs', `the recipe combines ${recipe.inputs} inputs but ${inputs.length} were given`);
  const takesMask = recipe.task.preset === 'inpaint' && recipe.task.userMask;
  if (takesMask && !mask) throw invalid('mask', 'the recipe asks for a user mask (inpaint with userMask: true): upload it as an asset and give its assetId');
  if (!takesMask && mask) throw invalid('mask', 'only an inpaint recipe with userMask: true takes a mask');
  return { recipe, inputs, mask: mask ?? null, faces: faces ?? null, options };
}

/** FacexError('invalid_recipe') on `mask` for a mask that is not the inpainted image's size; null when it is. */
export function maskSizeError(mask: { width: number; height: number }, image: { width: number; height: number }): FacexError | null {
  if (mask.width === image.width && mask.height === image.height) return null;
  return invalid('mask', `the mask is ${mask.width}×${mask.height}, the inpainted image ${image.width}×${image.height}`);
}

/** Every asset an edit reads, with the request field that names it: its inputs, then its mask. */
export function editAssets(edit: {
  inputs: readonly EditInput[];
  mask: EditMask | null;
  faces?: FaceSelection | null;
}): Array<{ field: string; assetId: string }> {
  const inputs = edit.inputs.map((input, i) => ({ field: `inputs[${i}].assetId`, assetId: input.assetId }));
  const reference = edit.faces?.reference ? [{ field: 'faces.reference.assetId', assetId: edit.faces.reference.assetId }] : [];
  return edit.mask ? [...inputs, { field: 'mask.assetId', assetId: edit.mask.assetId }, ...reference] : [...inputs, ...reference];
}

/** A new edit record in `queued`. */
export function newEditRecord(init: {
  id?: string;
  tenant: string;
  recipe: Recipe;
  inputs: EditInput[];
  mask?: EditMask | null;
  faces?: FaceSelection | null;
  targetFaces?: number[] | null;
  options: EditOptions;
  now?: Date;
}): EditRecord {
  const at = (init.now ?? new Date()).toISOString();
  return {
    id: init.id ?? newEditId(),
    tenant: init.tenant,
    status: 'queued',
    recipe: init.recipe,
    inputs: init.inputs,
    mask: init.mask ?? null,
    options: init.options,
    faces: init.faces ?? null,
    targetFaces: init.targetFaces ?? null,
    progress: null,
    createdAt: at,
    updatedAt: at,
    result: null,
    error: null,
  };
}

/** The problem-like error of a thrown value: FacexErrors keep their code and field, anything else is internal. */
export function editErrorOf(error: unknown): EditError {
  if (error instanceof FacexError) {
    const field = typeof error.details['field'] === 'string' ? error.details['field'] : undefined;
    return { code: error.code, title: error.title, detail: error.message, retryable: error.retryable, ...(field ? { field } : {}) };
  }
  return { code: 'internal', title: 'Internal error', detail: error instanceof Error ? error.message : String(error), retryable: true };
}
