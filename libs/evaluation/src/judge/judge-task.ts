/**
 * The judge's pool worker: the three sessions are created once; each task runs face-api's whole pipeline on
 * one image (detect, landmarks on each detection's crop, descriptor on each dlib-aligned crop), with every
 * pixel loop in this thread.
 */
import * as ort from 'onnxruntime-node';
import type { TaskHandler } from '@facex/runtime';
import type { RgbImage } from '@facex/imaging';
import { clipAtImageBorders, dlibAlignedRect, landmarkPoints, squareNetInput, ssdDetections, type Point, type Rect } from './face-api-geometry';
import type { JudgeModelId } from './judge-pack';

export interface JudgeTaskOptions {
  /** ONNX file and input size per model, from a manifest the main thread has verified. */
  models: Record<JudgeModelId, { file: string; size: number }>;
  threads: number;
}

/** One face as face-api sees it. */
export interface JudgedFace {
  score: number;
  /** The detection box, image pixels. */
  box: Rect;
  /** 68 points, image pixels. */
  landmarks: Point[];
  /** The recognition crop (face-api's dlib alignment, clipped to the image). */
  alignedRect: Rect;
  /** 128 values, as FaceRecognitionNet returns them (not normalised). */
  descriptor: Float32Array;
}

type Sessions = Record<JudgeModelId, ort.InferenceSession>;

async function run(session: ort.InferenceSession, inputs: Float32Array[], size: number): Promise<Record<string, Float32Array>> {
  const batch = new Float32Array(inputs.length * size * size * 3);
  inputs.forEach((input, i) => batch.set(input, i * input.length));
  const results = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', batch, [inputs.length, size, size, 3]) });
  return Object.fromEntries(session.outputNames.map((name) => [name, results[name].data as Float32Array]));
}

export async function judgeImage(image: RgbImage, sessions: Sessions, sizes: Record<JudgeModelId, number>): Promise<JudgedFace[]> {
  const whole = { x: 0, y: 0, width: image.width, height: image.height };
  const { boxes, scores } = await run(sessions.detector, [squareNetInput(image, whole, sizes.detector, false)], sizes.detector);
  const detections = ssdDetections(boxes, scores, image.width, image.height, sizes.detector)
    .map((detection) => ({ ...detection, crop: clipAtImageBorders(detection.box, image.width, image.height) }))
    .filter(({ crop }) => crop.width > 0 && crop.height > 0);
  if (detections.length === 0) return [];
  const { landmarks } = await run(
    sessions.landmarks,
    detections.map(({ crop }) => squareNetInput(image, crop, sizes.landmarks, true)),
    sizes.landmarks,
  );
  const located = detections.map((detection, i) => {
    const points = landmarkPoints(landmarks.subarray(136 * i, 136 * (i + 1)), sizes.landmarks, detection.crop, detection.box);
    const alignedRect = clipAtImageBorders(dlibAlignedRect(points, detection.crop.width, detection.crop.height), image.width, image.height);
    return { ...detection, points, alignedRect };
  });
  const described = located.filter(({ alignedRect }) => alignedRect.width > 0 && alignedRect.height > 0);
  const { descriptor } =
    described.length > 0
      ? await run(
          sessions.recognition,
          described.map(({ alignedRect }) => squareNetInput(image, alignedRect, sizes.recognition, true)),
          sizes.recognition,
        )
      : { descriptor: new Float32Array(0) };
  return located.map(({ score, box, points, alignedRect }) => {
    const index = described.findIndex((face) => face.alignedRect === alignedRect);
    // face-api describes an empty crop as 128 zeros.
    return { score, box, landmarks: points, alignedRect, descriptor: index < 0 ? new Float32Array(128) : descriptor.slice(128 * index, 128 * (index + 1)) };
  });
}

export async function createTaskHandler(options: JudgeTaskOptions): Promise<TaskHandler<RgbImage, JudgedFace[]>> {
  const sessionOptions: ort.InferenceSession.SessionOptions = {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    intraOpNumThreads: options.threads,
    interOpNumThreads: 1,
  };
  const ids = Object.keys(options.models) as JudgeModelId[];
  const sessions = Object.fromEntries(
    await Promise.all(ids.map(async (id) => [id, await ort.InferenceSession.create(options.models[id].file, sessionOptions)] as const)),
  ) as Sessions;
  const sizes = Object.fromEntries(ids.map((id) => [id, options.models[id].size])) as Record<JudgeModelId, number>;
  return (image) => judgeImage(image, sessions, sizes);
}
