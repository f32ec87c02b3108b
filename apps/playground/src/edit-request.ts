/**
 * The tasks the page offers and the create-edit body of a filled-in form (pure, so it is tested without a
 * browser). Each task names its roles in recipe input order; the role whose photo the result is pasted onto
 * is the "before" image of the comparison.
 */
import type { CreateEditRequest } from '@facex/client';

export type TaskName = 'face-swap' | 'head-swap' | 'reenact' | 'inpaint' | 'attribute-edit' | 'motion';

export interface TaskSpec {
  label: string;
  /** The API preset it sends (the catalog must list it). */
  preset: string;
  /** Offered only where the API has motion controls (an edit of motion alone). */
  needsMotion?: boolean;
  roles: Array<{ name: string; label: string }>;
  /** The role whose photo is the frame of the result. */
  frame: string;
  /** Regions the task takes, and whether at least one is required. */
  regions: { names: readonly string[]; required: boolean } | null;
  modes?: ReadonlyArray<'mask-out' | 'add-new'>;
}

const FACE_REGIONS = ['eyebrows', 'eyes', 'nose', 'lips', 'skin'] as const;
const ALL_REGIONS = ['eyebrows', 'eyes', 'nose', 'lips', 'skin', 'ears', 'hair', 'background'] as const;

export const TASKS: Record<TaskName, TaskSpec> = {
  'face-swap': {
    label: 'Face swap',
    preset: 'face-swap',
    roles: [
      { name: 'source', label: 'Face from' },
      { name: 'target', label: 'Onto photo' },
    ],
    frame: 'target',
    regions: { names: FACE_REGIONS, required: false },
  },
  'head-swap': {
    label: 'Head swap',
    preset: 'head-swap',
    roles: [
      { name: 'source', label: 'Head from' },
      { name: 'target', label: 'Onto photo' },
    ],
    frame: 'target',
    regions: null,
  },
  reenact: {
    label: 'Reenact',
    preset: 'reenact',
    roles: [
      { name: 'source', label: 'Person' },
      { name: 'driving', label: 'Pose and expression from' },
    ],
    frame: 'source',
    regions: null,
  },
  inpaint: {
    label: 'Inpaint regions',
    preset: 'inpaint',
    roles: [{ name: 'image', label: 'Photo' }],
    frame: 'image',
    regions: { names: ALL_REGIONS, required: true },
  },
  'attribute-edit': {
    label: 'Attribute edit',
    preset: 'attribute-edit',
    roles: [{ name: 'target', label: 'Photo' }],
    frame: 'target',
    regions: { names: ALL_REGIONS, required: true },
    modes: ['mask-out', 'add-new'],
  },
  // A mixture of one photo with everything from it: only the motion controls change the face.
  motion: { label: 'Motion and expression', preset: 'mixture', needsMotion: true, roles: [{ name: 'frame', label: 'Photo' }], frame: 'frame', regions: null },
};

export interface EditForm {
  task: TaskName;
  /** Asset id per role. */
  roles: Record<string, string | undefined>;
  /** Face index per role (0 = the largest): one photo can give two roles different faces. */
  faces: Record<string, number | undefined>;
  regions: string[];
  mode: 'mask-out' | 'add-new';
  generator: string | undefined;
  /** Values of the API's numeric motion controls, when it has them. */
  motion: Record<string, number>;
}

/** What is missing before the form can be sent, as a sentence; null when it is complete. */
export function missingOf(form: EditForm): string | null {
  const spec = TASKS[form.task];
  const role = spec.roles.find(({ name }) => !form.roles[name]);
  if (role) return `Choose a photo for “${role.label}”.`;
  if (spec.regions?.required && form.regions.length === 0) return 'Choose at least one region.';
  if (spec.needsMotion && !Object.values(form.motion).some((value) => value !== 0)) return 'Move at least one motion control.';
  return null;
}

export function editRequestOf(form: EditForm): CreateEditRequest {
  const spec = TASKS[form.task];
  const missing = missingOf(form);
  if (missing) throw new Error(missing);
  const inputs = spec.roles.map(({ name }) => ({ assetId: form.roles[name] as string, faceIndex: form.faces[name] ?? 0 }));
  const at = (name: string): number => spec.roles.findIndex((role) => role.name === name);
  const regions = form.regions.filter((region) => spec.regions?.names.includes(region)) as Array<(typeof ALL_REGIONS)[number]>;
  let task: CreateEditRequest['task'];
  switch (form.task) {
    case 'face-swap':
      task = {
        preset: 'face-swap',
        source: at('source'),
        target: at('target'),
        ...(regions.length > 0 ? { regions: regions as Array<(typeof FACE_REGIONS)[number]> } : {}),
      };
      break;
    case 'head-swap':
      task = { preset: 'head-swap', source: at('source'), target: at('target') };
      break;
    case 'reenact':
      task = { preset: 'reenact', source: at('source'), driving: at('driving') };
      break;
    case 'inpaint':
      task = { preset: 'inpaint', image: at('image'), regions, userMask: false };
      break;
    case 'attribute-edit':
      task = { preset: 'attribute-edit', target: at('target'), regions, mode: form.mode };
      break;
    case 'motion':
      task = { preset: 'mixture', frame: at('frame') };
      break;
  }
  const moved = Object.fromEntries(Object.entries(form.motion).filter(([, value]) => value !== 0));
  const motion = Object.keys(moved).length > 0 ? { motion: moved } : {};
  // `motion` exists only in documents that define it; the page sends it only then (see capabilities).
  return {
    task,
    inputs,
    ...(form.generator ? { options: { generator: form.generator as 'reference' | 'warp' | 'diffusion' } } : {}),
    ...motion,
  } as CreateEditRequest;
}
