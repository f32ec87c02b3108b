/**
 * Where every mesh point lands in the output crop. Each face is fitted with the canonical face (FORD's pose
 * fit: canonical → image similarity and the canonical mesh, i.e. the face with pose and scale removed, in
 * units of the inter-ocular distance). The output's canonical mesh takes, per point:
 *   - the rigid points (forehead, eye corners, nose: what the pose fit uses) from the identity input: the
 *     identity's face shape;
 *   - the expression-driven points (brows, lids, mouth, jaw) from the expression input, or the neutral
 *     canonical face when the expression is dropped;
 * The face oval above the jaw is rigid, so it follows the identity: a face swap brings the source's face
 * shape, and the frame's own face is squeezed or stretched into that oval by the base warp.
 * Approximation: a person's neutral face is not observed, so the expression-driven points carry the
 * expression input's own shape there (its identity and expression together) rather than the expression
 * alone added to the identity's neutral shape; the rigid points, which carry most of the identity's shape,
 * are untouched by expression. The result is posed by the pose input's rotation at the frame face's scale and
 * position (the frame keeps its framing), then mapped into the frame's aligned crop.
 */
import { MESH_POINTS, type Affine2D, type FaceRepresentation, type HeadPose } from '@facex/contracts';
import { CANONICAL_FACE, EXPRESSION_DRIVEN, fitHead } from './topology';

type Rotation = [number, number, number, number, number, number, number, number, number];

export interface FaceFit {
  pose: HeadPose;
  rotation: Rotation;
  scale: number;
  translation: [number, number, number];
  /** Pose and scale removed: MESH_POINTS × (x, y, z). */
  canonical: Float32Array;
  /** The mesh in this face's own 512 px aligned crop: MESH_POINTS × (x, y). */
  crop: Float32Array;
}

function toCrop(matrix: Affine2D, x: number, y: number): [number, number] {
  return [matrix[0] * x + matrix[1] * y + matrix[2], matrix[3] * x + matrix[4] * y + matrix[5]];
}

export function fitFace(rep: FaceRepresentation): FaceFit {
  const { pose, transform, canonicalMesh } = fitHead(rep.landmarks);
  const crop = new Float32Array(MESH_POINTS * 2);
  for (let i = 0; i < MESH_POINTS; i++) {
    const [x, y] = toCrop(rep.alignment.matrix, rep.landmarks[3 * i], rep.landmarks[3 * i + 1]);
    crop[2 * i] = x;
    crop[2 * i + 1] = y;
  }
  return { pose, rotation: transform.rotation, scale: transform.scale, translation: transform.translation, canonical: canonicalMesh, crop };
}

export interface OutputMeshSources {
  identity: FaceFit;
  /** null: the expression is dropped; the neutral canonical face is used. */
  expression: FaceFit | null;
  pose: FaceFit;
  frame: FaceFit;
  frameAlignment: Affine2D;
}

export interface OutputMesh {
  /** MESH_POINTS × (x, y) in the frame's 512 px crop. */
  points: Float32Array;
  /** MESH_POINTS depths (larger = farther), in the frame image's pixels. */
  depth: Float32Array;
}

/** The output's canonical mesh (see the module comment). */
export function outputCanonicalMesh(identity: FaceFit, expression: FaceFit | null): Float32Array {
  const out = new Float32Array(MESH_POINTS * 3);
  const expressive = expression ? expression.canonical : CANONICAL_FACE;
  for (let i = 0; i < MESH_POINTS; i++) {
    const from = EXPRESSION_DRIVEN[i] ? expressive : identity.canonical;
    out[3 * i] = from[3 * i];
    out[3 * i + 1] = from[3 * i + 1];
    out[3 * i + 2] = from[3 * i + 2];
  }
  return out;
}

/** The output mesh posed on the frame; `canonical` replaces the combined one (a motion edit's, motion-mesh.ts). */
export function outputMesh(sources: OutputMeshSources, canonical = outputCanonicalMesh(sources.identity, sources.expression)): OutputMesh {
  const r = sources.pose.rotation,
    { scale, translation: t } = sources.frame;
  const points = new Float32Array(MESH_POINTS * 2),
    depth = new Float32Array(MESH_POINTS);
  for (let i = 0; i < MESH_POINTS; i++) {
    const x = canonical[3 * i],
      y = canonical[3 * i + 1],
      z = canonical[3 * i + 2];
    const ix = scale * (r[0] * x + r[1] * y + r[2] * z) + t[0];
    const iy = scale * (r[3] * x + r[4] * y + r[5] * z) + t[1];
    const [cx, cy] = toCrop(sources.frameAlignment, ix, iy);
    points[2 * i] = cx;
    points[2 * i + 1] = cy;
    depth[i] = scale * (r[6] * x + r[7] * y + r[8] * z) + t[2];
  }
  return { points, depth };
}

/** Largest absolute difference between two poses over yaw, pitch and roll, in degrees. */
export function poseGap(a: HeadPose, b: HeadPose): number {
  return Math.max(Math.abs(a.yaw - b.yaw), Math.abs(a.pitch - b.pitch), Math.abs(a.roll - b.roll));
}
