/**
 * A worker app (apps/extractor-worker, apps/diffusion-worker or apps/video-worker) as a real child process. It runs as
 * `node --import tsx <main.ts>`, not through the `tsx` CLI: the CLI forwards signals to a grandchild, and a
 * SIGKILL to it would leave the actual worker running.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '@facex/gateway-http/testing';

const ROOT = join(__dirname, '..', '..', '..', '..');

export const WORKER_APPS = {
  extractor: 'apps/extractor-worker/src/main.ts',
  diffusion: 'apps/diffusion-worker/src/main.ts',
  video: 'apps/video-worker/src/main.ts',
} as const;

export interface WorkerProcess {
  readonly pid: number;
  /** Resolves once /readyz answers 200 (the process takes jobs). */
  ready(timeoutMs?: number): Promise<void>;
  /** SIGKILL: no shutdown, the active job keeps its lock until it expires (stalled-job recovery). */
  kill9(): Promise<void>;
  /** SIGTERM: the graceful shutdown. */
  stop(): Promise<void>;
  /** What the process wrote to stderr (for failure messages). */
  stderr(): string;
}

export async function spawnWorker(app: keyof typeof WORKER_APPS, env: Record<string, string>): Promise<WorkerProcess> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', WORKER_APPS[app]], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signal = async (name: NodeJS.Signals): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
    await exited;
  };
  return {
    pid: child.pid ?? -1,
    ready: async (timeoutMs = 30_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (child.exitCode !== null) throw new Error(`${app} worker exited with ${child.exitCode}: ${stderr}`);
        const status = await fetch(`http://127.0.0.1:${port}/readyz`).then(
          (response) => response.status,
          () => 0,
        );
        if (status === 200) return;
        if (Date.now() > deadline) throw new Error(`${app} worker not ready after ${timeoutMs} ms: ${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    kill9: () => signal('SIGKILL'),
    stop: () => signal('SIGTERM'),
    stderr: () => stderr,
  };
}
