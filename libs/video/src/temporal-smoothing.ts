/**
 * A face track's representation smoothed over time before rendering. Smoothing landmarks where they are (in
 * the image) would trade jitter for lag whenever the head or the camera moves, so the motion is split first:
 *
 * - rigid motion: the similarity (centre, scale, rotation) taking the track's first face onto this frame's
 *   mesh, fitted on all 468 points (fitting averages the per-point noise away), filtered by a fast One-Euro
 *   filter so it follows the camera closely;
 * - shape: the mesh and irises brought back into the first face's frame by that similarity (what is left is
 *   expression and FORD's noise), filtered by a slow One-Euro filter;
 * - the output mesh is the smoothed shape put back by the smoothed similarity, and the alignment that cuts the
 *   aligned crop is the first face's alignment moved by the same similarity (a crop that does not shake).
 *
 * Pose, gaze, expression and the pose-free mesh go through their own One-Euro filter, the region masks
 * (aligned-crop space) through a slow one, and the lighting is held per shot (the running mean over the track:
 * a still shot's lighting does not change, its per-frame estimate only flickers).
 */
import type { Affine2D, FaceRepresentation } from '@facex/contracts';
import { applyAffine, composeAffine, fitSimilarity, invertAffine } from '@facex/imaging';
import { OneEuroFilter, ONE_EURO_MASKS, ONE_EURO_POSE, ONE_EURO_RIGID, ONE_EURO_SHAPE } from './one-euro';

interface Reference {
  landmarks: Float32Array;
  alignment: Affine2D;
  centre: [number, number];
  /** Mean distance of the points from their centre: turns scale and angle into pixels for the filter. */
  radius: number;
}

function referenceOf(face: FaceRepresentation): Reference {
  const count = face.landmarks.length / 3;
  let [cx, cy] = [0, 0];
  for (let i = 0; i < count; i++) [cx, cy] = [cx + face.landmarks[i * 3] / count, cy + face.landmarks[i * 3 + 1] / count];
  let radius = 0;
  for (let i = 0; i < count; i++) radius += Math.hypot(face.landmarks[i * 3] - cx, face.landmarks[i * 3 + 1] - cy) / count;
  return { landmarks: face.landmarks.slice(), alignment: face.alignment.matrix, centre: [cx, cy], radius: Math.max(radius, 1) };
}

/** Rounded to 0…255 (a plain loop: typed-array `from` with a map function is ten times slower on 0.5 M values). */
function toBytes(values: Float64Array): Uint8Array {
  const bytes = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) bytes[i] = Math.round(values[i]);
  return bytes;
}

export class RepresentationSmoother {
  private readonly rigid = new OneEuroFilter(ONE_EURO_RIGID);
  private readonly shape = new OneEuroFilter(ONE_EURO_SHAPE);
  private readonly motion = new OneEuroFilter(ONE_EURO_POSE);
  private readonly masks = new OneEuroFilter(ONE_EURO_MASKS);
  private reference: Reference | null = null;
  private lightingSum: Float64Array | null = null;
  private lightingFrames = 0;

  /** Call on a cut or a new track: the next frame starts the filters afresh. */
  reset(): void {
    this.reference = null;
    this.lightingSum = null;
    this.lightingFrames = 0;
    for (const filter of [this.rigid, this.shape, this.motion, this.masks]) filter.reset();
  }

  smooth(face: FaceRepresentation, seconds: number): FaceRepresentation {
    const reference = (this.reference ??= referenceOf(face));
    const count = face.landmarks.length / 3;

    // Rigid motion reference → frame, as centre, scale and angle (in pixels at the face's size).
    const toFrame = fitSimilarity(reference.landmarks, face.landmarks, count, 3);
    const [a, b] = [toFrame[0], toFrame[3]];
    const centre = applyAffine(toFrame, ...reference.centre);
    const r = reference.radius;
    const [cx, cy, scaleR, angleR] = this.rigid.filter([centre[0], centre[1], Math.hypot(a, b) * r, Math.atan2(b, a) * r], seconds);
    const [scale, angle] = [scaleR / r, angleR / r];
    const [sa, sb] = [scale * Math.cos(angle), scale * Math.sin(angle)];
    const [rx, ry] = reference.centre;
    const smoothedToFrame: Affine2D = [sa, -sb, cx - (sa * rx - sb * ry), sb, sa, cy - (sb * rx + sa * ry)];

    // Shape in the reference frame: mesh points (x, y, z / scale) and the irises (x, y, radius / scale).
    const toReference = invertAffine(toFrame);
    const frameScale = Math.hypot(a, b);
    const shapeValues = new Float64Array(face.landmarks.length + face.irises.length);
    for (let i = 0; i < count; i++) {
      const [x, y] = applyAffine(toReference, face.landmarks[i * 3], face.landmarks[i * 3 + 1]);
      shapeValues.set([x, y, face.landmarks[i * 3 + 2] / frameScale], i * 3);
    }
    for (let k = 0; k < face.irises.length / 3; k++) {
      const [x, y] = applyAffine(toReference, face.irises[k * 3], face.irises[k * 3 + 1]);
      shapeValues.set([x, y, face.irises[k * 3 + 2] / frameScale], face.landmarks.length + k * 3);
    }
    const shape = this.shape.filter(shapeValues, seconds);
    const placed = Float32Array.from(shape, (value, i) => {
      const point = Math.floor(i / 3) * 3;
      if (i % 3 === 2) return value * scale;
      const [x, y] = applyAffine(smoothedToFrame, shape[point], shape[point + 1]);
      return i % 3 === 0 ? x : y;
    });

    const { left, right } = face.motion.gaze;
    const { pose, expression, canonicalMesh } = face.motion;
    const gazeValues = [left.offsetX, left.offsetY, left.yaw, left.pitch, right.offsetX, right.offsetY, right.yaw, right.pitch];
    const motion = this.motion.filter([pose.yaw, pose.pitch, pose.roll, ...gazeValues, ...expression, ...canonicalMesh], seconds);
    const [yaw, pitch, roll, ...rest] = motion;
    const eye = (k: number) => ({ offsetX: rest[k], offsetY: rest[k + 1], yaw: rest[k + 2], pitch: rest[k + 3] });
    const masks = this.masks.filter(face.masks, seconds);

    const lighting = face.environment.lighting;
    if (!this.lightingSum || this.lightingSum.length !== lighting.length) this.lightingSum = new Float64Array(lighting.length);
    const sum = this.lightingSum;
    lighting.forEach((value, i) => (sum[i] += value));
    this.lightingFrames += 1;

    return {
      ...face,
      // image → crop: back to the reference frame by the smoothed motion, then the reference's alignment.
      alignment: { matrix: composeAffine(reference.alignment, invertAffine(smoothedToFrame)) },
      landmarks: placed.subarray(0, face.landmarks.length).slice(),
      irises: placed.subarray(face.landmarks.length).slice(),
      motion: {
        ...face.motion,
        pose: { yaw, pitch, roll },
        gaze: { left: eye(0), right: eye(4) },
        expression: Float32Array.from(rest.slice(8, 8 + expression.length)),
        canonicalMesh: Float32Array.from(rest.slice(8 + expression.length)),
      },
      environment: { ...face.environment, lighting: Float32Array.from(sum, (total) => total / this.lightingFrames) },
      masks: toBytes(masks),
    };
  }
}
