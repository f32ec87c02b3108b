import { FacexError } from '@facex/contracts';
import type { TaskHandler } from '../task-messages';

/** A task module for the pool's own tests: doubles numbers, fails on demand, can crash its thread. */
export interface EchoRequest {
  values: Float32Array;
  fail?: 'typed' | 'plain' | 'exit';
  delayMs?: number;
}

export async function createTaskHandler(options: { offset: number }): Promise<TaskHandler<EchoRequest, Float32Array>> {
  return async ({ values, fail, delayMs }) => {
    if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
    if (fail === 'typed') throw new FacexError('no_face', 'no face in this test');
    if (fail === 'plain') throw new Error('plain failure');
    if (fail === 'exit') process.exit(1);
    return values.map((v) => v * 2 + options.offset);
  };
}
