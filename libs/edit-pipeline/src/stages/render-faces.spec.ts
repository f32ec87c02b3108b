import type { GeneratorContext } from '@facex/generators';
import { renderFaces } from './render-faces';

/** A face that renders `steps` steps, a tick apart, reporting each to its context. */
const stepping = (steps: number) => async (_: string, context: GeneratorContext) => {
  for (let step = 1; step <= steps; step++) {
    await new Promise((resolve) => setImmediate(resolve));
    await context.onStep(step, steps);
  }
  return steps;
};

describe('renderFaces', () => {
  it('renders every face and reports only the first face’s steps', async () => {
    const reported: number[] = [];
    const results = await renderFaces(['a', 'b'], { onStep: async (step) => void reported.push(step) }, stepping(3));
    expect(results).toEqual([3, 3]);
    expect(reported).toEqual([1, 2, 3]);
  });

  it('stops the other faces at their next step when one face fails, with that failure', async () => {
    const failure = new Error('face b failed');
    const stepsDone = { a: 0, c: 0 };
    const render = async (face: string, context: GeneratorContext) => {
      if (face === 'b') throw failure;
      for (let step = 1; step <= 50; step++) {
        await new Promise((resolve) => setImmediate(resolve));
        await context.onStep(step, 50);
        stepsDone[face as 'a' | 'c'] = step;
      }
    };
    await expect(renderFaces(['a', 'b', 'c'], { onStep: async () => undefined }, render)).rejects.toBe(failure);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(stepsDone).toEqual({ a: 0, c: 0 });
  });

  it('aborts the other faces’ signal when the edit is canceled during the first face’s steps', async () => {
    const canceled = new Error('edit canceled');
    let otherSignal: AbortSignal | undefined;
    const render = async (face: string, context: GeneratorContext) => {
      if (face === 'b') {
        otherSignal = context.signal;
        // A generator that only looks at its signal (one long pass, no steps) ends when it aborts.
        return new Promise<never>((_, reject) => context.signal?.addEventListener('abort', () => reject(context.signal?.reason)));
      }
      return stepping(3)(face, context);
    };
    const onStep = async (step: number) => {
      if (step === 2) throw canceled;
    };
    await expect(renderFaces(['a', 'b'], { onStep }, render)).rejects.toBe(canceled);
    expect(otherSignal?.aborted).toBe(true);
  });

  it('aborts every face when the caller’s own signal aborts', async () => {
    const caller = new AbortController();
    const reason = new Error('worker closing');
    const render = (_: string, context: GeneratorContext) =>
      new Promise<never>((_, reject) => context.signal?.addEventListener('abort', () => reject(context.signal?.reason)));
    const all = renderFaces(['a', 'b'], { onStep: async () => undefined, signal: caller.signal }, render);
    caller.abort(reason);
    await expect(all).rejects.toBe(reason);
  });
});
