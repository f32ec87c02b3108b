/**
 * @jest-environment ./libs/model-pack/src/testing/onnxruntime-jest-environment.ts
 */
import { tokenLayout } from '@facex/assemblers';
import { RandomWeightSource, WeightScope } from '../weights/weight-source';
import { buildForsGraph, FORS_INPUTS, FORS_OUTPUT, forsTokenCount, TINY_FORS } from './fors';
import { DEFAULT_GRAPH_OPTIONS } from './graph-options';
import { maxAbsDiff, patternTensor, runOnnx, type FloatTensor } from './testing/run-onnx';

describe('FORS adapter graph', () => {
  const layout = tokenLayout(192, 16);
  const model = buildForsGraph(TINY_FORS, layout, new WeightScope(new RandomWeightSource(5), 'fors.'), DEFAULT_GRAPH_OPTIONS).model;
  const slots = layout.slots.length;
  const identity = layout.slots.findIndex((slot) => slot.component === 'identity');
  const run = async (tokens: FloatTensor, present: Float32Array): Promise<FloatTensor> =>
    (
      await runOnnx(model, {
        [FORS_INPUTS.tokens]: tokens,
        [FORS_INPUTS.slotPresent]: { data: present, dims: [1, slots] },
        [FORS_INPUTS.referenceLatents]: patternTensor([1, 4, 8, 12], 2),
      })
    )[FORS_OUTPUT]!;

  it('emits f_SD [B, slots + reference tokens, context width]', async () => {
    const out = await run(patternTensor([1, layout.totalWidth]), new Float32Array(slots).fill(1));
    expect(out.dims).toEqual([1, forsTokenCount(TINY_FORS, layout), TINY_FORS.contextWidth]);
    expect(forsTokenCount(TINY_FORS, layout)).toBe(slots + TINY_FORS.referenceTokens);
  });

  it('reads a slot only when it is present', async () => {
    const tokens = patternTensor([1, layout.totalWidth]);
    const changed = { data: tokens.data.slice(), dims: tokens.dims };
    changed.data[layout.slots[identity]!.offset] = 5;
    const absent = new Float32Array(slots).fill(1);
    absent[identity] = 0;
    expect(maxAbsDiff((await run(tokens, absent)).data, (await run(changed, absent)).data)).toBe(0);
    const present = new Float32Array(slots).fill(1);
    expect(maxAbsDiff((await run(tokens, present)).data, (await run(changed, present)).data)).toBeGreaterThan(1e-4);
  });
});
