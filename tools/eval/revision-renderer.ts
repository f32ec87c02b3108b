/**
 * The `warp` generator of another git revision, for rendering beside the working tree's on the same pairs:
 * the revision is checked out in a temporary git worktree (sharing this checkout's node_modules), and
 * revision-render-server.ts runs there in a child process, under that checkout's own tsconfig, so every
 * library the generator uses (warp, assemblers, imaging, contracts) is the revision's. The harness, FORD and
 * the judge stay this checkout's. The worktree is removed on close.
 */
import { execFile, fork, type ChildProcess } from 'node:child_process';
import { copyFile, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { EvaluatedGenerator, RenderedEdit } from '@facex/evaluation';

const run = promisify(execFile);
const REPO = join(__dirname, '../..');
/** The server's name inside the other checkout (where tools/eval may hold other files). */
const SERVER = '.eval-revision-render-server.ts';

interface Reply {
  id: number;
  image?: RenderedEdit['image'];
  degraded?: boolean;
  error?: string;
}

export interface RevisionRenderer {
  generator: EvaluatedGenerator;
  /** Stops the render server and removes the worktree. */
  close(): Promise<void>;
}

/** `revision` (anything `git rev-parse` takes) opened as the generator named `<name>@<short hash>`. */
export async function openRevisionRenderer(revision: string, name = 'warp'): Promise<RevisionRenderer> {
  const { stdout } = await run('git', ['rev-parse', '--short', `${revision}^{commit}`], { cwd: REPO });
  const hash = stdout.trim();
  const dir = await mkdtemp(join(tmpdir(), `facex-eval-${hash}-`));
  await run('git', ['worktree', 'add', '--detach', dir, hash], { cwd: REPO });
  const removeWorktree = () => run('git', ['worktree', 'remove', '--force', dir], { cwd: REPO }).then(() => rm(dir, { recursive: true, force: true }));
  let child: ChildProcess;
  try {
    await symlink(join(REPO, 'node_modules'), join(dir, 'node_modules'), 'dir');
    await copyFile(join(__dirname, 'revision-render-server.ts'), join(dir, 'tools', 'eval', SERVER));
    child = fork(join(dir, 'tools', 'eval', SERVER), [], {
      cwd: dir,
      execArgv: ['--import', 'tsx'],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`the ${hash} render server exited with code ${code} while starting`)));
    });
  } catch (error) {
    await removeWorktree();
    throw error;
  }
  const pending = new Map<number, { resolve: (edit: RenderedEdit) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  child.on('message', (reply: Reply) => {
    const waiting = pending.get(reply.id);
    if (!waiting) return;
    pending.delete(reply.id);
    if (reply.error !== undefined || !reply.image) waiting.reject(new Error(`warp@${hash}: ${reply.error ?? 'no image'}`));
    else waiting.resolve({ image: reply.image, degraded: reply.degraded ?? false });
  });
  child.on('exit', (code) => {
    for (const waiting of pending.values()) waiting.reject(new Error(`the ${hash} render server exited (code ${code})`));
    pending.clear();
  });
  const generator: EvaluatedGenerator = {
    name: `${name}@${hash}`,
    revision: hash,
    render: (recipe, inputs, options) =>
      new Promise<RenderedEdit>((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        child.send({ id, recipe, inputs, options });
      }),
  };
  let closing: Promise<void> | undefined;
  return {
    generator,
    // Idempotent: a second close waits for the first.
    close: () =>
      (closing ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          const exited = new Promise((resolve) => child.once('exit', resolve));
          child.disconnect();
          await exited;
        }
        await removeWorktree();
      })()),
  };
}
