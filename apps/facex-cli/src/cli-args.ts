/** The CLI's command line, parsed into a typed command (pure). */
import type { PresetName } from '@facex/contracts';

export type CliCommand =
  | { kind: 'keys-create'; name: string }
  | {
      kind: 'edit';
      task: Extract<PresetName, 'face-swap' | 'head-swap' | 'reenact'>;
      /** Image paths in recipe input order: source first, then target/driving. */
      inputs: [string, string];
      output: string;
      options: { generator?: string; seed?: number; steps?: number };
    }
  | { kind: 'help' };

export const USAGE = `usage:
  facex edit --task face-swap|head-swap --source a.jpg --target b.jpg -o out.png [--generator warp|reference|diffusion] [--seed n] [--steps n]
  facex edit --task reenact --source a.jpg --driving b.jpg -o out.png
  facex keys create --name <name>`;

export class CliUsageError extends Error {}

function flags(args: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (let i = 0; i < args.length; i += 2) {
    const flag = args[i];
    const value = args[i + 1];
    if (!flag.startsWith('-') || value === undefined || value.startsWith('--')) throw new CliUsageError(`expected --flag value pairs, got '${args.slice(i).join(' ')}'`);
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

export function parseCliArgs(argv: readonly string[]): CliCommand {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') return { kind: 'help' };
  if (command === 'keys') {
    if (rest[0] !== 'create') throw new CliUsageError(`unknown keys subcommand '${rest[0] ?? ''}'`);
    return { kind: 'keys-create', name: required(flags(rest.slice(1)), 'name') };
  }
  if (command !== 'edit') throw new CliUsageError(`unknown command '${command}'`);
  const map = flags(rest);
  const task = required(map, 'task');
  if (task !== 'face-swap' && task !== 'head-swap' && task !== 'reenact') throw new CliUsageError(`--task: expected face-swap, head-swap or reenact, got '${task}'`);
  const second = task === 'reenact' ? 'driving' : 'target';
  const known = new Set(['task', 'source', second, 'output', 'generator', 'seed', 'steps']);
  const unknown = [...map.keys()].find((key) => !known.has(key));
  if (unknown) throw new CliUsageError(`unknown flag --${unknown}`);
  const seed = integer(map.get('seed'), 'seed');
  const steps = integer(map.get('steps'), 'steps');
  // The CLI renders with the weight-free warp unless told otherwise: the reference shows only the conditions.
  const generator = map.get('generator') ?? 'warp';
  return {
    kind: 'edit',
    task,
    inputs: [required(map, 'source'), required(map, second)],
    output: required(map, 'output'),
    options: { generator, ...(seed !== undefined ? { seed } : {}), ...(steps !== undefined ? { steps } : {}) },
  };
}

/** The create-edit body of an edit command over the two stored assets. */
export function editRequestOf(command: Extract<CliCommand, { kind: 'edit' }>, assetIds: [string, string]): unknown {
  const task = command.task === 'reenact' ? { preset: 'reenact', source: 0, driving: 1 } : { preset: command.task, source: 0, target: 1 };
  return { task, inputs: assetIds.map((assetId) => ({ assetId, faceIndex: 0 })), options: command.options };
}
