import { existsSync } from 'node:fs';
import { FacexError } from '@facex/contracts';
import type { TaskHandler } from '../task-messages';

/** A task module for the pool's own tests: doubles numbers, fails on demand, can crash its thread. */
export interface EchoRequest {
  values: Float32Array;
  fail?: 'typed' | 'plain' | 'exit';
  delayMs?: number;
}

export interface EchoOptions {
  offset: number;
  /** While this file exists, a new worker fails to start (tests of failed replacements). */
  failStartWhileExists?: string;
}

export async function createTaskHandler(options: EchoOptions): Promise<TaskHandler<EchoRequest, Float32Array>> {
  if (options.failStartWhileExists && existsSync(options.failStartWhileExists)) throw new Error('told to fail at start');
  return async ({ values, fail, delayMs }) => {
    if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
    if (fail === 'typed') throw new FacexError('no_face', 'no face in this test');
    if (fail === 'plain') throw new Error('plain failure');
    if (fail === 'exit') process.exit(1);
    return values.map((v) => v * 2 + options.offset);
  };
}
