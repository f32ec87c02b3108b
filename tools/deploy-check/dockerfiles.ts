/**
 * Static checks of the Dockerfiles (no container engine on the CI machines): parsed into stages of
 * instructions, then held to the image rules of the issue: multi-stage, a numeric non-root user in the final
 * stage, a HEALTHCHECK for service images, no secret-looking build args or env, nothing copied from outside
 * the build stages' own inputs that could carry secrets.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './manifests';

export const DOCKER_DIR = join(REPO_ROOT, 'deploy/docker');

export interface Instruction {
  readonly keyword: string;
  readonly args: string;
}
export interface Stage {
  readonly from: string;
  readonly instructions: readonly Instruction[];
}

/** Instructions grouped by FROM; comments dropped, backslash continuations joined. */
export function parseDockerfile(text: string): { readonly preamble: readonly Instruction[]; readonly stages: readonly Stage[] } {
  const logical: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (pending === '' && (line === '' || line.startsWith('#'))) continue;
    if (line.startsWith('#')) continue;
    if (line.endsWith('\\')) pending += `${line.slice(0, -1)} `;
    else {
      logical.push(pending + line);
      pending = '';
    }
  }
  if (pending !== '') logical.push(pending);
  const preamble: Instruction[] = [];
  const stages: Array<{ from: string; instructions: Instruction[] }> = [];
  for (const line of logical) {
    const space = line.search(/\s/);
    const keyword = (space < 0 ? line : line.slice(0, space)).toUpperCase();
    const args = space < 0 ? '' : line.slice(space).trim();
    if (keyword === 'FROM') stages.push({ from: args, instructions: [] });
    else (stages.at(-1)?.instructions ?? preamble).push({ keyword, args });
  }
  return { preamble, stages };
}

const SECRET_NAME = /(PASSWORD|SECRET|TOKEN|ACCESS_KEY|PRIVATE_KEY|CREDENTIALS)/i;

/** The names an ENV or ARG instruction defines (`ENV A=1 B=2`, `ENV A 1`, `ARG A=1`). */
function definedNames(instruction: Instruction): string[] {
  if (instruction.keyword === 'ARG') return [instruction.args.split('=')[0]];
  if (!instruction.args.includes('=')) return [instruction.args.split(/\s+/)[0]];
  return [...instruction.args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=/g)].map((match) => match[1]);
}

/** Problems of one Dockerfile; `service` images must declare a HEALTHCHECK. */
export function checkDockerfile(text: string, options: { readonly service: boolean }): string[] {
  const { preamble, stages } = parseDockerfile(text);
  const problems: string[] = [];
  if (stages.length < 2) problems.push('not multi-stage (one FROM)');
  const final = stages.at(-1);
  const users = final?.instructions.filter((instruction) => instruction.keyword === 'USER') ?? [];
  const user = users.at(-1)?.args.split(':')[0];
  if (user === undefined) problems.push('final stage has no USER (runs as root)');
  else if (!/^[0-9]+$/.test(user)) problems.push(`final USER ${user} is not numeric (runAsNonRoot cannot verify it)`);
  else if (Number(user) === 0) problems.push('final USER is root');
  if (options.service && !final?.instructions.some((instruction) => instruction.keyword === 'HEALTHCHECK')) problems.push('final stage has no HEALTHCHECK');
  for (const instruction of [...preamble, ...stages.flatMap((stage) => stage.instructions)]) {
    if (instruction.keyword !== 'ENV' && instruction.keyword !== 'ARG') continue;
    for (const name of definedNames(instruction)) if (SECRET_NAME.test(name)) problems.push(`${instruction.keyword} ${name} bakes a secret into the image`);
  }
  return problems;
}

/** The Dockerfiles under deploy/docker, by file name. */
export function dockerfileNames(): string[] {
  return readdirSync(DOCKER_DIR)
    .filter((name) => name.endsWith('.Dockerfile'))
    .sort();
}

export function readDockerfile(name: string): string {
  return readFileSync(join(DOCKER_DIR, name), 'utf8');
}
