/**
 * The paper's measures between two faces' FORD descriptors: expression error (L2 of the 16-component
 * expression descriptors), pose error (L2 of yaw, pitch, roll, degrees), gaze error (L2 of both eyes' gaze
 * yaw and pitch, degrees) and identity similarity (cosine of the identity embeddings).
 */
import type { FaceRepresentation, HeadPose } from '@facex/contracts';

function l2(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] - b[i]) ** 2;
  return Math.sqrt(sum);
}

const poseVector = (p: HeadPose): number[] => [p.yaw, p.pitch, p.roll];
const gazeVector = (rep: FaceRepresentation): number[] => {
  const { left, right } = rep.motion.gaze;
  return [left.yaw, left.pitch, right.yaw, right.pitch];
};

export const expressionError = (a: FaceRepresentation, b: FaceRepresentation): number => l2(a.motion.expression, b.motion.expression);
export const poseError = (a: FaceRepresentation, b: FaceRepresentation): number => l2(poseVector(a.motion.pose), poseVector(b.motion.pose));
export const gazeError = (a: FaceRepresentation, b: FaceRepresentation): number => l2(gazeVector(a), gazeVector(b));

/** Cosine of two identity embeddings (FORD's are L2-normalised; normalised again here for safety). */
export function identitySimilarity(a: FaceRepresentation, b: FaceRepresentation): number {
  let dot = 0,
    na = 0,
    nb = 0;
  for (let i = 0; i < a.identity.length; i++) {
    dot += a.identity[i] * b.identity[i];
    na += a.identity[i] ** 2;
    nb += b.identity[i] ** 2;
  }
  return dot / Math.sqrt(na * nb);
}
