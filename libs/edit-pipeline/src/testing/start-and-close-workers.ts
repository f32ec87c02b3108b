/**
 * Starts and closes the gpu-tier workers `cycles` times (argv[2]), closing each after 0–8 ms so that some close
 * lands in the middle of a worker's start-up; prints `closed N`. An uncaught error ends the process non-zero.
 * Run by start-workers.integration.spec.ts in a child process, where such an error is not caught by jest.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { FsBlobStore } from '@facex/storage';
import { startWorkers } from '../start-workers';

async function main(cycles: number, redisUrl: string, prefix: string): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'facex-start-close-'));
  try {
    for (let cycle = 0; cycle < cycles; cycle++) {
      const running = await startWorkers({ redisUrl, prefix, blobs: new FsBlobStore(dir), tiers: ['gpu'] });
      await delay(cycle % 9);
      await running.close();
    }
    process.stdout.write(`closed ${cycles}\n`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

void main(Number(process.argv[2]), process.argv[3] ?? 'redis://127.0.0.1:6379', process.argv[4] ?? 'facex-start-close');
