/**
 * The converted judge computes what face-api computes: its three networks against face-api's own on
 * TensorFlow.js's CPU backend on crops of the sample photos, and the whole pipeline (detection, landmarks on
 * the detection crop, descriptor on the dlib-aligned crop) on one sample photo. The reference runs in
 * pure JavaScript and is slow (a detector pass is ~20 s), so the detector is checked once, end to end.
 */
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { decodeImage } from '@facex/analysis';
import type { RgbImage } from '@facex/imaging';
import { samplePhoto } from '../../../analysis/src/testing/sample-photos';
import { squareNetInput, type Rect } from './face-api-geometry';
import { ensureJudgePack, defaultJudgePackDir, JUDGE_MODEL_IDS, type JudgeModelId } from './judge-pack';
import { judgeImage } from './judge-task';
import { loadFaceApiReference, type FaceApiReference } from './testing/face-api-reference';

/**
 * Network outputs: max |onnx − tfjs| ≤ 1e-4 · max(1, max |tfjs|), the converter's tolerance (float32
 * summation order differs between the two runtimes; a layout or weight error is of the order of the output).
 */
const RELATIVE_TOLERANCE = 1e-4;
/** End to end: box and landmark coordinates within 0.01 px, scores and descriptor values within 1e-4. */
const PIXEL_TOLERANCE = 0.01;
const VALUE_TOLERANCE = 1e-4;

let reference: FaceApiReference;
let sessions: Record<JudgeModelId, ort.InferenceSession>;
let photo: RgbImage;

beforeAll(async () => {
  const dir = defaultJudgePackDir();
  const { manifest } = await ensureJudgePack(dir);
  sessions = Object.fromEntries(
    await Promise.all(JUDGE_MODEL_IDS.map(async (id) => [id, await ort.InferenceSession.create(join(dir, manifest.models[id].file))] as const)),
  ) as Record<JudgeModelId, ort.InferenceSession>;
  reference = await loadFaceApiReference();
  ({ image: photo } = await decodeImage(samplePhoto('sample1.jpg')));
}, 120_000);

afterAll(async () => {
  await Promise.all(Object.values(sessions ?? {}).map((session) => session.release()));
});

function maxAbs(data: Float32Array): number {
  return data.reduce((max, value) => Math.max(max, Math.abs(value)), 0);
}

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

/** Face crops of sample1.jpg (its three faces, boxes by eye, one not square) as one batch. */
const CROPS: Rect[] = [
  { x: 400, y: 330, width: 210, height: 280 },
  { x: 830, y: 410, width: 200, height: 240 },
  { x: 1460, y: 190, width: 230, height: 230 },
];

describe.each([
  { id: 'recognition' as const, size: 150, output: 'descriptor' },
  { id: 'landmarks' as const, size: 112, output: 'landmarks' },
])('converted $id net', ({ id, size, output }) => {
  it(`matches face-api's net on face crops of a sample photo (within ${RELATIVE_TOLERANCE} of the output range)`, async () => {
    const batch = new Float32Array(CROPS.length * size * size * 3);
    CROPS.forEach((crop, i) => batch.set(squareNetInput(photo, crop, size, true), i * size * size * 3));
    const shape = [CROPS.length, size, size, 3];
    // face-api batches a list of single images (it refuses a 4-D batch of more than one).
    const images = CROPS.map((_, i) => reference.tf.tensor4d(batch.subarray(i * size * size * 3, (i + 1) * size * size * 3), [1, size, size, 3], 'float32'));
    const expected = (await reference.nets[id].forward(images)) as { dataSync(): Float32Array; dispose(): void };
    const actual = (await sessions[id].run({ [sessions[id].inputNames[0]]: new ort.Tensor('float32', batch, shape) }))[output].data as Float32Array;
    const expectedData = expected.dataSync();
    for (const tensor of [...images, expected]) tensor.dispose();
    expect(actual.length).toBe(expectedData.length);
    expect(maxDifference(actual, expectedData)).toBeLessThanOrEqual(RELATIVE_TOLERANCE * Math.max(1, maxAbs(expectedData)));
  });
});

describe('the judge pipeline', () => {
  it('finds the faces face-api finds in a sample photo, with its boxes, landmarks and descriptors', async () => {
    const expected = await reference.detectAll(photo);
    const actual = await judgeImage(photo, sessions, { detector: 512, landmarks: 112, recognition: 150 });
    expect(expected.length).toBe(3);
    expect(actual.length).toBe(expected.length);
    expected.forEach((face, i) => {
      const judged = actual[i];
      expect(Math.abs(judged.score - face.detection.score)).toBeLessThanOrEqual(VALUE_TOLERANCE);
      const { x, y, width, height } = face.detection.box;
      expect(maxDifference([judged.box.x, judged.box.y, judged.box.width, judged.box.height], [x, y, width, height])).toBeLessThanOrEqual(PIXEL_TOLERANCE);
      expect(
        maxDifference(
          judged.landmarks.flatMap((p) => [p.x, p.y]),
          face.landmarks.positions.flatMap((p) => [p.x, p.y]),
        ),
      ).toBeLessThanOrEqual(PIXEL_TOLERANCE);
      expect(maxDifference(judged.descriptor, face.descriptor)).toBeLessThanOrEqual(VALUE_TOLERANCE);
    });
  }, 300_000);
});
