/**
 * Checks IRIS_MODEL_CONTOUR_RANGES against the iris model itself (tool-time only): runs Human's bundled iris
 * model (tfjs, cpu backend) on an axis-aligned eye crop of every sample face (the left eye mirrored, as the
 * model expects a right eye), maps its 71 contour points back to the image and measures their distance to the
 * mesh points the ranges name, against the same measure with the mapping shifted by 5 places.
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { loadGraphModel } from '@tensorflow/tfjs-converter';
import { EyeSide, IRIS_MODEL_CONTOUR_POINTS, irisContourToMesh, LANDMARK } from '../../libs/analysis/src/topology/mesh-landmarks';
import { HumanFace } from './run-human';

const MODEL_DIR = path.resolve(__dirname, '../../node_modules/@vladmandic/human/models');
const INPUT = 64;
/** Crop side ÷ eye width, as Human crops eyes for this model. */
const ENLARGE = 2.3;

export interface IrisContourCheck {
  eyes: number;
  /** Mean distance between model contour points and their mesh points, ÷ eye width, averaged over eyes. */
  meanErrorPerEyeWidth: number;
  /** The same with the mapping shifted by 5 points: what a wrong convention would give. */
  shiftedMappingErrorPerEyeWidth: number;
}

export async function checkIrisContour(faces: HumanFace[], photoDir: string): Promise<IrisContourCheck> {
  await tf.setBackend('cpu');
  const json = JSON.parse(fs.readFileSync(path.join(MODEL_DIR, 'iris.json'), 'utf8'));
  const weights = fs.readFileSync(path.join(MODEL_DIR, 'iris.bin'));
  const model = await loadGraphModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest[0].weights,
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
    }),
  );
  let error = 0;
  let shifted = 0;
  let eyes = 0;
  for (const face of faces) {
    const { data, info } = await sharp(path.join(photoDir, face.photo)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    for (const eye of ['right', 'left'] as EyeSide[]) {
      const [outer, inner] =
        eye === 'right' ? [LANDMARK.rightEyeOuterCorner, LANDMARK.rightEyeInnerCorner] : [LANDMARK.leftEyeOuterCorner, LANDMARK.leftEyeInnerCorner];
      const m = face.mesh;
      const width = Math.hypot(m[outer][0] - m[inner][0], m[outer][1] - m[inner][1]);
      const side = ENLARGE * width;
      const x0 = (m[outer][0] + m[inner][0]) / 2 - side / 2;
      const y0 = (m[outer][1] + m[inner][1]) / 2 - side / 2;
      const flip = eye === 'left';
      const input = new Float32Array(INPUT * INPUT * 3);
      for (let v = 0; v < INPUT; v++) {
        for (let u = 0; u < INPUT; u++) {
          const su = flip ? INPUT - 1 - u : u;
          const ix = Math.min(info.width - 1, Math.max(0, Math.round(x0 + ((su + 0.5) * side) / INPUT - 0.5)));
          const iy = Math.min(info.height - 1, Math.max(0, Math.round(y0 + ((v + 0.5) * side) / INPUT - 0.5)));
          for (let c = 0; c < 3; c++) input[(v * INPUT + u) * 3 + c] = data[(iy * info.width + ix) * 3 + c] / 255;
        }
      }
      const output = tf.tidy(() => (model.execute(tf.tensor4d(input, [1, INPUT, INPUT, 3])) as tf.Tensor).dataSync());
      const map = irisContourToMesh(eye);
      const distance = (k: number, meshIndex: number): number => {
        const x = x0 + ((flip ? INPUT - output[3 * k] : output[3 * k]) * side) / INPUT;
        const y = y0 + (output[3 * k + 1] * side) / INPUT;
        return Math.hypot(x - m[meshIndex][0], y - m[meshIndex][1]);
      };
      let e = 0;
      let s = 0;
      for (let k = 0; k < IRIS_MODEL_CONTOUR_POINTS; k++) {
        e += distance(k, map[k]);
        s += distance(k, map[(k + 5) % IRIS_MODEL_CONTOUR_POINTS]);
      }
      error += e / IRIS_MODEL_CONTOUR_POINTS / width;
      shifted += s / IRIS_MODEL_CONTOUR_POINTS / width;
      eyes++;
    }
  }
  return { eyes, meanErrorPerEyeWidth: error / eyes, shiftedMappingErrorPerEyeWidth: shifted / eyes };
}
