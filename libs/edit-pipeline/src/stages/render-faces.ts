/**
 * The faces of a multi-face edit render at once (the warp's worker pool, the diffusion batcher), each with its
 * own generator context: only the first reports steps to the edit. One face failing, or the edit being
 * canceled (the first face's step report rejects), aborts the others through their signal and at their next
 * step, so no face keeps a worker busy for an edit that has ended.
 */
import type { GeneratorContext } from '@facex/generators';

export async function renderFaces<T, R>(
  faces: readonly T[],
  context: GeneratorContext,
  render: (face: T, context: GeneratorContext) => Promise<R>,
): Promise<R[]> {
  const stop = new AbortController();
  const signal = context.signal ? AbortSignal.any([context.signal, stop.signal]) : stop.signal;
  return Promise.all(
    faces.map(async (face, slot) => {
      const onStep = async (step: number, steps: number) => {
        signal.throwIfAborted();
        if (slot === 0) await context.onStep(step, steps);
      };
      try {
        signal.throwIfAborted();
        return await render(face, { onStep, signal });
      } catch (error) {
        // The first failure is the edit's; the others only echo it.
        if (!stop.signal.aborted) stop.abort(error);
        throw error;
      }
    }),
  );
}
