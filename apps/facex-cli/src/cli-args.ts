/** The CLI's command line, parsed into a typed command (pure). */
import { MOTION_MODES, type MotionMode, type PresetName } from '@facex/contracts';

/** `motion`: the image's own face with only the `--motion` controls changed (a `mixture` of the one image). */
type CliTask = Extract<PresetName, 'face-swap' | 'head-swap' | 'reenact' | 'inpaint'> | 'motion';

/** Which faces of the output image an edit touches (`--faces`); `reference` names the reference photo's path. */
export type CliFaces =
  | { mode: 'all'; sort: string }
  | { mode: 'index'; index: number; sort: string }
  | { mode: 'reference'; reference: string; referenceFace: number; sort: string };

export type CliCommand =
  | { kind: 'keys-create'; name: string; admin: boolean }
  | { kind: 'keys-list' }
  | { kind: 'keys-revoke'; id: string }
  | {
      kind: 'edit';
      task: CliTask;
      /** Image paths in recipe input order: source first, then target/driving; inpaint: the one image. */
      inputs: string[];
      /** Inpaint: the regions regenerated and the path of a drawn mask (the image's size, white = regenerate). */
      regions?: string[];
      mask?: string;
      /** `--motion yaw=10,smile=0.05`: control → value, in the API's units (the API checks names and ranges). */
      motion?: { mode: string; values: Record<string, number> };
      /** Reenact driven by a video: `--driving-motion relative|absolute` (the API's default: relative). */
      drivingMotion?: MotionMode;
      faces?: CliFaces;
      output: string;
      options: { generator?: string; seed?: number; steps?: number };
      /** HTTP mode: a gateway and an API key (--url/--key or FACEX_URL/FACEX_API_KEY); in-process otherwise. */
      remote?: { url: string; key: string };
    }
  | { kind: 'help' };

export const USAGE = `usage:
  facex edit --task face-swap|head-swap --source a.jpg --target b.jpg -o out.png [--generator warp|reference|diffusion] [--seed n] [--steps n]
  facex edit --task face-swap|head-swap --source a.jpg --target clip.mp4 -o out.mp4   (a video target: MP4, MOV or WebM; warp; in-process, or with --url through the gateway)
  facex edit --task reenact --source a.jpg --driving b.jpg -o out.png
  facex edit --task reenact --source a.jpg --driving clip.mp4 -o out.mp4 [--driving-motion relative|absolute]
            (a driving video: its frame rate, frames and audio; in-process, warp; relative, the default: the photo keeps its
            own pose and moves by the driver's change since its first frame with the face; absolute: takes the driver's pose)
  facex edit --task inpaint --image a.jpg [--regions nose,lips] [--mask mask.png] -o out.png
  facex edit --task motion --image a.jpg --motion yaw=10,smile=0.05 -o out.png
  any edit: [--motion control=value,…] [--motion-mode relative|absolute]
            [--faces all|<index>|reference] [--reference ref.jpg] [--reference-face n] [--sort largest-first|left-to-right]
  motion controls (units, relative ranges): yaw ±30°, pitch ±20°, roll ±30°, gazeYaw ±30°, gazePitch ±20°
    (…Left/…Right for one eye), eyeOpen ±1.5 (ratio; …Left/…Right), browRaise ±0.15, mouthOpen ±0.5, smile ±0.15,
    pout ±0.1, purse ±0.25, mouthShift ±0.15 (inter-ocular distances)
  facex keys create --name <name> [--admin true]
  facex keys list
  facex keys revoke <key id>
An edit runs in-process unless a gateway is named: --url http://host:3000 --key fx_… (or FACEX_URL, FACEX_API_KEY);
then it goes through the HTTP API and renders with the deployment's default generator unless --generator says.`;

/** Per task, the flags that name its images, in recipe input order, and the other flags it takes. */
const TASK_FLAGS: Record<CliTask, { images: string[]; extra: string[] }> = {
  'face-swap': { images: ['source', 'target'], extra: [] },
  'head-swap': { images: ['source', 'target'], extra: [] },
  reenact: { images: ['source', 'driving'], extra: ['driving-motion'] },
  inpaint: { images: ['image'], extra: ['regions', 'mask'] },
  motion: { images: ['image'], extra: [] },
};
const EVERY_TASK_FLAGS = ['output', 'generator', 'seed', 'steps', 'motion', 'motion-mode', 'faces', 'reference', 'reference-face', 'sort', 'url', 'key'];

/** `yaw=10,smile=0.05` → { yaw: 10, smile: 0.05 }; a value that is not a number is passed on for the API to refuse. */
function motionValues(text: string): Record<string, number> {
  const values: Record<string, number> = {};
  for (const part of text.split(',')) {
    const [name, value, extra] = part.split('=').map((piece) => piece.trim());
    if (!name || value === undefined || value === '' || extra !== undefined)
      throw new CliUsageError(`--motion: expected control=value pairs separated by commas, got '${part}'`);
    values[name] = Number(value);
  }
  return values;
}

function facesOf(map: Map<string, string>): CliFaces | undefined {
  const faces = map.get('faces');
  const sort = map.get('sort') ?? 'largest-first';
  const reference = map.get('reference');
  if (faces === undefined) {
    if (reference !== undefined || map.has('sort') || map.has('reference-face'))
      throw new CliUsageError('--reference, --reference-face and --sort go with --faces');
    return undefined;
  }
  if (faces === 'reference') {
    if (reference === undefined) throw new CliUsageError('--faces reference needs --reference <image>');
    return { mode: 'reference', reference, referenceFace: integer(map.get('reference-face'), 'reference-face') ?? 0, sort };
  }
  if (reference !== undefined) throw new CliUsageError('--reference goes with --faces reference');
  if (faces === 'all') return { mode: 'all', sort };
  const index = integer(faces, 'faces');
  if (index === undefined) throw new CliUsageError('--faces: expected all, a face index or reference');
  return { mode: 'index', index, sort };
}
const isCliTask = (task: string): task is CliTask => Object.hasOwn(TASK_FLAGS, task);

export class CliUsageError extends Error {}

function flags(args: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (let i = 0; i < args.length; i += 2) {
    const flag = args[i];
    const value = args[i + 1];
    if (!flag.startsWith('-') || value === undefined || value.startsWith('--'))
      throw new CliUsageError(`expected --flag value pairs, got '${args.slice(i).join(' ')}'`);
    map.set(flag === '-o' ? 'output' : flag.replace(/^--?/, ''), value);
  }
  return map;
}

function integer(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new CliUsageError(`--${name}: expected a non-negative integer, got '${value}'`);
  return parsed;
}

function required(map: Map<string, string>, name: string): string {
  const value = map.get(name);
  if (value === undefined) throw new CliUsageError(`--${name} is required`);
  return value;
}

export function parseCliArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): CliCommand {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') return { kind: 'help' };
  if (command === 'keys') {
    if (rest[0] === 'list' && rest.length === 1) return { kind: 'keys-list' };
    if (rest[0] === 'revoke') {
      if (rest.length !== 2 || !/^key_[0-9a-f]{20}$/.test(rest[1])) throw new CliUsageError('keys revoke: expected one key id (key_…)');
      return { kind: 'keys-revoke', id: rest[1] };
    }
    if (rest[0] !== 'create') throw new CliUsageError(`unknown keys subcommand '${rest[0] ?? ''}'`);
    const map = flags(rest.slice(1));
    const admin = map.get('admin') ?? 'false';
    if (admin !== 'true' && admin !== 'false') throw new CliUsageError(`--admin: expected true or false, got '${admin}'`);
    return { kind: 'keys-create', name: required(map, 'name'), admin: admin === 'true' };
  }
  if (command !== 'edit') throw new CliUsageError(`unknown command '${command}'`);
  const map = flags(rest);
  const task = required(map, 'task');
  if (!isCliTask(task)) throw new CliUsageError(`--task: expected ${Object.keys(TASK_FLAGS).join(', ')}, got '${task}'`);
  const { images, extra } = TASK_FLAGS[task];
  const known = new Set(['task', ...images, ...extra, ...EVERY_TASK_FLAGS]);
  const unknown = [...map.keys()].find((key) => !known.has(key));
  if (unknown) throw new CliUsageError(`unknown flag --${unknown}`);
  const seed = integer(map.get('seed'), 'seed');
  const steps = integer(map.get('steps'), 'steps');
  const url = map.get('url') ?? env['FACEX_URL'];
  const key = map.get('key') ?? env['FACEX_API_KEY'];
  if (map.has('key') && !url) throw new CliUsageError('--key needs --url (or FACEX_URL)');
  if (url && !key) throw new CliUsageError('--url needs --key (or FACEX_API_KEY)');
  const remote = url && key ? { url, key } : undefined;
  // In-process, the CLI renders with the weight-free warp unless told otherwise (the reference shows only the
  // conditions); over HTTP the deployment's default applies.
  const generator = map.get('generator') ?? (remote ? undefined : 'warp');
  const regions = map.get('regions');
  const mask = map.get('mask');
  if (task === 'inpaint' && regions === undefined && mask === undefined) throw new CliUsageError('inpaint needs --regions, --mask or both');
  const motion = map.get('motion');
  if (task === 'motion' && motion === undefined) throw new CliUsageError('--task motion needs --motion control=value,…');
  if (motion === undefined && map.has('motion-mode')) throw new CliUsageError('--motion-mode goes with --motion');
  const drivingMotion = map.get('driving-motion');
  if (drivingMotion !== undefined && !(MOTION_MODES as readonly string[]).includes(drivingMotion))
    throw new CliUsageError(`--driving-motion: expected relative or absolute, got '${drivingMotion}'`);
  const faces = facesOf(map);
  return {
    kind: 'edit',
    task,
    inputs: images.map((name) => required(map, name)),
    ...(regions !== undefined ? { regions: regions.split(',').map((region) => region.trim()) } : {}),
    ...(mask !== undefined ? { mask } : {}),
    ...(motion !== undefined ? { motion: { mode: map.get('motion-mode') ?? 'relative', values: motionValues(motion) } } : {}),
    ...(drivingMotion !== undefined ? { drivingMotion: drivingMotion as MotionMode } : {}),
    ...(faces ? { faces } : {}),
    output: required(map, 'output'),
    options: { ...(generator !== undefined ? { generator } : {}), ...(seed !== undefined ? { seed } : {}), ...(steps !== undefined ? { steps } : {}) },
    ...(remote ? { remote } : {}),
  };
}

/** The faces field of the request, the reference photo stored as `referenceId`. */
function facesRequest(faces: CliFaces, referenceId?: string): unknown {
  switch (faces.mode) {
    case 'all':
      return { mode: 'all', sort: faces.sort };
    case 'index':
      return { mode: 'index', index: faces.index, sort: faces.sort };
    case 'reference':
      return { mode: 'reference', sort: faces.sort, reference: { assetId: referenceId, faceIndex: faces.referenceFace } };
  }
}

/** The create-edit body of an edit command over its stored images (and mask, and reference photo); the API checks the rest. */
export function editRequestOf(command: Extract<CliCommand, { kind: 'edit' }>, assetIds: string[], maskId?: string, referenceId?: string): unknown {
  const task =
    command.task === 'inpaint'
      ? { preset: 'inpaint', image: 0, regions: command.regions ?? [], userMask: maskId !== undefined }
      : command.task === 'motion'
        ? { preset: 'mixture', frame: 0 }
        : command.task === 'reenact'
          ? { preset: 'reenact', source: 0, driving: 1, ...(command.drivingMotion ? { motion: command.drivingMotion } : {}) }
          : { preset: command.task, source: 0, target: 1 };
  const inputs = assetIds.map((assetId) => ({ assetId, faceIndex: 0 }));
  return {
    task,
    inputs,
    ...(maskId !== undefined ? { mask: { assetId: maskId } } : {}),
    ...(command.motion ? { motion: { mode: command.motion.mode, ...command.motion.values } } : {}),
    ...(command.faces ? { faces: facesRequest(command.faces, referenceId) } : {}),
    options: command.options,
  };
}
