/**
 * @jest-environment ./libs/model-pack/src/testing/onnxruntime-jest-environment.ts
 */
/**
 * The converted ONNX graphs compute what the TF.js models compute: real photos through tfjs-cpu and
 * onnxruntime (CPU EP), compared output by output.
 */
import { readFile } from 'fs/promises';
import { join } from 'path';
import * as ort from 'onnxruntime-node';
import type { GraphModel } from '@tensorflow/tfjs-converter';
import { convertGraphModel } from './convert-graph-model';
import { MODEL_CATALOG } from '../model-catalog';
import type { ModelId } from '../manifest';
import { batchOf, sampleInput, WHOLE_IMAGE, type CropSpec } from '../testing/sample-images';
import { loadReferenceModel, runReference } from '../testing/tfjs-reference';

const NODE_MODULES = join(__dirname, '../../../../node_modules');

/**
 * Tolerance: max |onnx - tfjs| <= 1e-4 * max(1, max |tfjs|). tfjs-cpu and ORT use different convolution
 * algorithms (direct vs im2col/GEMM with different summation order), so float32 rounding differs by ~1e-6
 * relative per layer; 1e-4 of the output range leaves room for depth without hiding real layout bugs
 * (those give errors of the order of the outputs themselves).
 */
const RELATIVE_TOLERANCE = 1e-4;

const FACE_CROP: CropSpec = { cx: 0.5, cy: 0.4, side: 0.45 };
const EYE_CROP: CropSpec = { cx: 0.45, cy: 0.35, side: 0.12 };

interface Case {
  id: ModelId;
  crop: CropSpec;
  /** Sample photo indices per run; more than one index means one batched run. */
  batches: { samples: number[] }[];
}

const CASES: Case[] = [
  { id: 'blazeface', crop: WHOLE_IMAGE, batches: [{ samples: [1] }, { samples: [4] }] },
  { id: 'facemesh', crop: FACE_CROP, batches: [{ samples: [2] }, { samples: [1, 3, 5] }] },
  { id: 'iris', crop: EYE_CROP, batches: [{ samples: [1, 2] }] },
  { id: 'mobileface', crop: FACE_CROP, batches: [{ samples: [6] }, { samples: [2, 4, 6] }] },
  { id: 'selfie', crop: WHOLE_IMAGE, batches: [{ samples: [3] }] },
];

function maxAbs(data: Float32Array): number {
  let max = 0;
  for (const value of data) max = Math.max(max, Math.abs(value));
  return max;
}

function maxAbsDifference(a: Float32Array, b: Float32Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)));
  return max;
}

describe.each(CASES)('converted $id', ({ id, crop, batches }) => {
  const definition = MODEL_CATALOG[id];
  let reference: GraphModel;
  let session: ort.InferenceSession;

  beforeAll(async () => {
    const modelJson: unknown = JSON.parse(await readFile(join(NODE_MODULES, definition.modelJson.path), 'utf8'));
    const weights = Buffer.concat(await Promise.all(definition.weights.map((w) => readFile(join(NODE_MODULES, w.path)))));
    reference = await loadReferenceModel(modelJson, weights);
    session = await ort.InferenceSession.create(convertGraphModel(modelJson, weights), { executionProviders: ['cpu'] });
  });

  afterAll(async () => {
    reference.dispose();
    await session.release();
  });

  it.each(batches)(`matches TF.js on sample photos $samples (NHWC in and out, within ${RELATIVE_TOLERANCE} of the output range)`, async ({ samples }) => {
    const [height, width] = definition.preprocessing.inputSize;
    const images = await Promise.all(samples.map((index) => sampleInput(index, height, definition.preprocessing.valueRange, crop)));
    const shape = [samples.length, height, width, 3];
    const input = batchOf(images);
    const expected = runReference(reference, input, shape, session.outputNames);
    const actual = await session.run({ [session.inputNames[0] as string]: new ort.Tensor('float32', input, shape) });
    session.outputNames.forEach((name, index) => {
      const want = expected[index] as { data: Float32Array; shape: number[] };
      const got = actual[name] as ort.Tensor;
      expect([...got.dims]).toEqual(want.shape);
      const difference = maxAbsDifference(got.data as Float32Array, want.data);
      const bound = RELATIVE_TOLERANCE * Math.max(1, maxAbs(want.data));
      if (process.env['FACEX_REPORT_DIFFS'])
        console.log(`${id} ${name} [${want.shape}] max|ref|=${maxAbs(want.data).toExponential(2)} max|diff|=${difference.toExponential(2)}`);
      expect(difference).toBeLessThanOrEqual(bound);
    });
  });
});
