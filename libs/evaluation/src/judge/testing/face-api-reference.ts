/**
 * face-api itself on TensorFlow.js's CPU backend: the reference the converted judge is checked against. The
 * package's browser bundle (TF.js included) is evaluated with no `process` in scope, so it neither asks for
 * tfjs-node nor takes TF.js's Node platform (whose text codec the bundle stubs out); the few platform
 * services weight decoding needs are supplied here, and a canvas-free environment (inputs are tensors).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RgbImage } from '@facex/imaging';
import { JUDGE_MODELS, type JudgeModelId } from '../judge-pack';

interface Tensor {
  shape: number[];
  dataSync(): Float32Array;
  dispose(): void;
}

interface Tf {
  env(): { setPlatform(name: string, platform: object): void };
  setBackend(name: string): Promise<boolean>;
  ready(): Promise<void>;
  tensor3d(data: Uint8Array, shape: number[], dtype: 'int32'): Tensor;
  tensor4d(data: Float32Array, shape: number[], dtype: 'float32'): Tensor;
  io: { decodeWeights(buffer: ArrayBuffer, specs: unknown[]): Record<string, Tensor> };
}

interface Net {
  loadFromWeightMap(map: Record<string, Tensor>): void;
  forward(input: Tensor | Tensor[]): Promise<unknown>;
}

export interface ReferenceFace {
  detection: { score: number; box: { x: number; y: number; width: number; height: number } };
  landmarks: { positions: { x: number; y: number }[] };
  descriptor: Float32Array;
}

export interface FaceApiReference {
  tf: Tf;
  nets: Record<JudgeModelId, Net>;
  /** detectAllFaces(SSD, default options).withFaceLandmarks().withFaceDescriptors() on the RGB image. */
  detectAll(image: RgbImage): Promise<ReferenceFace[]>;
}

const NODE_MODULES = join(__dirname, '../../../../../node_modules');

export async function loadFaceApiReference(): Promise<FaceApiReference> {
  const code = readFileSync(join(NODE_MODULES, '@vladmandic/face-api/dist/face-api.js'), 'utf8');
  const faceapi = new Function('require', 'process', `${code}\nreturn faceapi;`)(require, { env: {} });
  const tf = faceapi.tf as Tf;
  tf.env().setPlatform('reference', {
    fetch,
    now: () => performance.now(),
    encode: (text: string) => new TextEncoder().encode(text),
    decode: (bytes: Uint8Array, encoding: string) => new TextDecoder(encoding).decode(bytes),
    isTypedArray: (value: unknown) => ArrayBuffer.isView(value) && !(value instanceof DataView),
    setTimeoutCustom: setTimeout,
  });
  const unavailable = (what: string) => () => {
    throw new Error(`${what} is not available to the reference (pass tensors)`);
  };
  class NoCanvas {}
  faceapi.env.setEnv({
    Canvas: NoCanvas,
    CanvasRenderingContext2D: NoCanvas,
    Image: NoCanvas,
    ImageData: NoCanvas,
    Video: NoCanvas,
    createCanvasElement: unavailable('a canvas'),
    createImageElement: unavailable('an image'),
    createVideoElement: unavailable('a video'),
    fetch,
    readFile: unavailable('the file system'),
  });
  await tf.setBackend('cpu');
  await tf.ready();
  const nets: Record<JudgeModelId, Net> = {
    detector: faceapi.nets.ssdMobilenetv1,
    landmarks: faceapi.nets.faceLandmark68Net,
    recognition: faceapi.nets.faceRecognitionNet,
  };
  for (const id of Object.keys(nets) as JudgeModelId[]) {
    const manifest = JSON.parse(readFileSync(join(NODE_MODULES, JUDGE_MODELS[id].manifest.path), 'utf8')) as { weights: unknown[] }[];
    const bytes = readFileSync(join(NODE_MODULES, JUDGE_MODELS[id].weights.path));
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    nets[id].loadFromWeightMap(
      tf.io.decodeWeights(
        buffer,
        manifest.flatMap((group) => group.weights),
      ),
    );
  }
  return {
    tf,
    nets,
    detectAll: async (image) => {
      const input = tf.tensor3d(image.data, [image.height, image.width, 3], 'int32');
      try {
        return await faceapi.detectAllFaces(input, new faceapi.SsdMobilenetv1Options()).withFaceLandmarks().withFaceDescriptors();
      } finally {
        input.dispose();
      }
    },
  };
}
