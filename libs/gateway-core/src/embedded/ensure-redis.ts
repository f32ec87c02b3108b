/**
 * Embedded mode's Redis: use the one at REDIS_URL; when none answers and the URL is local and `redis-server`
 * is on PATH, start one (no persistence, `noeviction` so BullMQ keys are never evicted) and stop it on close.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import IORedis from 'ioredis';

export interface LocalRedis {
  /** True when this process started the server. */
  started: boolean;
  close(): Promise<void>;
}

async function answers(url: string): Promise<boolean> {
  const probe = new IORedis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1_000 });
  // The probe's failure is its answer (false below); its error events carry nothing more.
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

function onPath(command: string, path = process.env['PATH'] ?? ''): string | null {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return join(dir, command);
    } catch {
      // not in this directory
    }
  }
  return null;
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export async function ensureRedis(url: string, log: (line: string) => void = () => undefined): Promise<LocalRedis> {
  if (await answers(url)) return { started: false, close: async () => undefined };
  const parsed = new URL(url);
  const binary = onPath('redis-server');
  if (!LOCAL_HOSTS.has(parsed.hostname) || !binary) {
    throw new Error(`no Redis answers at ${url}; start one (with maxmemory-policy noeviction) or set REDIS_URL`);
  }
  const port = parsed.port || '6379';
  const child: ChildProcess = spawn(binary, ['--port', port, '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction'], {
    stdio: 'ignore',
  });
  log(`started redis-server on port ${port} (pid ${child.pid})`);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (let waited = 0; !(await answers(url)); waited += 100) {
    if (waited > 5_000 || child.exitCode !== null) {
      child.kill('SIGTERM');
      throw new Error(`redis-server did not come up on port ${port}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    started: true,
    close: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
