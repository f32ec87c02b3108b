/**
 * A face track's representation smoothed over time before rendering: landmarks, irises, the alignment that
 * cuts the aligned crop, the detection box, pose, expression, gaze and the pose-free mesh through One-Euro filters, the region
 * masks through their own (slower) One-Euro filter, and the lighting held per shot (the running mean over the
 * track: a still shot's lighting does not change, its per-frame estimate only flickers).
 */
import type { FaceRepresentation } from '@facex/contracts';
import { OneEuroFilter, ONE_EURO_LANDMARKS, ONE_EURO_MASKS, ONE_EURO_POSE } from './one-euro';

export class RepresentationSmoother {
  private readonly geometry = new OneEuroFilter(ONE_EURO_LANDMARKS);
  private readonly motion = new OneEuroFilter(ONE_EURO_POSE);
  private readonly masks = new OneEuroFilter(ONE_EURO_MASKS);
  private lightingSum: Float64Array | null = null;
  private lightingFrames = 0;

  /** Call on a cut or a new track: the next frame starts the filters afresh. */
  reset(): void {
    this.lightingSum = null;
    this.lightingFrames = 0;
    for (const filter of [this.geometry, this.motion, this.masks]) filter.reset();
  }

  smooth(face: FaceRepresentation, seconds: number): FaceRepresentation {
    const { box } = face.detection;
    const matrix = face.alignment.matrix;
    const geometry = this.geometry.filter([...face.landmarks, ...face.irises, ...matrix, box.x, box.y, box.width, box.height], seconds);
    const { left, right } = face.motion.gaze;
    const { pose, expression } = face.motion;
    const gazeValues = [left.offsetX, left.offsetY, left.yaw, left.pitch, right.offsetX, right.offsetY, right.yaw, right.pitch];
    const motion = this.motion.filter([pose.yaw, pose.pitch, pose.roll, ...gazeValues, ...expression, ...face.motion.canonicalMesh], seconds);
    const masks = this.masks.filter(face.masks, seconds);

    const lighting = face.environment.lighting;
    this.lightingSum ??= new Float64Array(lighting.length);
    if (this.lightingSum.length !== lighting.length) this.lightingSum = new Float64Array(lighting.length);
    lighting.forEach((value, i) => ((this.lightingSum as Float64Array)[i] += value));
    this.lightingFrames += 1;

    let at = 0;
    const take = (count: number) => geometry.subarray(at, (at += count));
    const landmarks = Float32Array.from(take(face.landmarks.length));
    const irises = Float32Array.from(take(face.irises.length));
    const [m0, m1, m2, m3, m4, m5] = take(6);
    const [x, y, width, height] = take(4);
    const [yaw, pitch, roll, ...rest] = motion;
    const eye = (k: number) => ({ offsetX: rest[k], offsetY: rest[k + 1], yaw: rest[k + 2], pitch: rest[k + 3] });
    return {
      ...face,
      detection: { ...face.detection, box: { x, y, width, height } },
      alignment: { matrix: [m0, m1, m2, m3, m4, m5] },
      landmarks,
      irises,
      motion: {
        ...face.motion,
        pose: { yaw, pitch, roll },
        gaze: { left: eye(0), right: eye(4) },
        expression: Float32Array.from(rest.slice(8, 8 + expression.length)),
        canonicalMesh: Float32Array.from(rest.slice(8 + expression.length)),
      },
      environment: { ...face.environment, lighting: Float32Array.from(this.lightingSum, (sum) => sum / this.lightingFrames) },
      masks: Uint8Array.from(masks, (value) => Math.round(value)),
    };
  }
}
