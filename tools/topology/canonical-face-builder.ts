/**
 * A symmetric frontal mean face from a handful of meshes (tool-time only):
 * 1. mirror pairs from the (left/right symmetric) UV map;
 * 2. GPA of the meshes together with their mirror images (x negated, indices swapped by the pairs);
 * 3. symmetry plane of the mean: normal = principal direction of the pair differences, through the mean of
 *    the pair midpoints;
 * 4. frontal frame: x = symmetry-plane normal, y = eye-centre midpoint → mouth-corner midpoint within the
 *    plane, z = x × y; origin at the eye-centre midpoint; unit = inter-ocular distance; finally averaged with
 *    its own mirror image so the result is exactly symmetric.
 */
import { MESH_POINTS } from '../../libs/contracts/src/representation';
import { eyeCentre, mirrorMesh } from '../../libs/analysis/src/geometry/mesh-points';
import { applySimilarity3D, fitSimilarity3D } from '../../libs/analysis/src/geometry/similarity3d';
import { LANDMARK } from '../../libs/analysis/src/topology/mesh-landmarks';

type Vec3 = [number, number, number];

export interface CanonicalFace {
  points: Float64Array;
  mirror: Int32Array;
  method: string;
  stats: { meshes: number; selfPairedPoints: number; worstUvPairDistance: number; gpaRmsResidual: number; asymmetryRms: number };
}

const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const dot = (a: Vec3, b: Vec3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a: Vec3, b: Vec3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const unit = (a: Vec3): Vec3 => {
  const n = Math.hypot(...a);
  return [a[0] / n, a[1] / n, a[2] / n];
};
const point = (m: ArrayLike<number>, i: number): Vec3 => [m[3 * i], m[3 * i + 1], m[3 * i + 2]];

/** Expresses `mesh` in the orthonormal frame (x, y, z) with the given origin, divided by `unitLength`. */
function toFrame(mesh: ArrayLike<number>, origin: Vec3, axes: [Vec3, Vec3, Vec3], unitLength = 1): Float64Array {
  const out = new Float64Array(mesh.length);
  for (let i = 0; i < mesh.length / 3; i++) {
    const d = sub(point(mesh, i), origin);
    for (let a = 0; a < 3; a++) out[3 * i + a] = dot(d, axes[a]) / unitLength;
  }
  return out;
}

function generalizedProcrustes(meshes: Float64Array[]): { mean: Float64Array; rms: number } {
  let mean = Float64Array.from(meshes[0]);
  let aligned = meshes;
  for (let iteration = 0; iteration < 20; iteration++) {
    aligned = meshes.map((m) => Float64Array.from(applySimilarity3D(fitSimilarity3D(m, mean), m)));
    const next = new Float64Array(mean.length);
    for (const m of aligned) for (let k = 0; k < m.length; k++) next[k] += m[k] / aligned.length;
    // Keep the mean's scale fixed to the first mesh's so the iteration cannot shrink it.
    mean = Float64Array.from(applySimilarity3D(fitSimilarity3D(next, mean), next));
  }
  let sq = 0;
  for (const m of aligned) for (let k = 0; k < m.length; k++) sq += (m[k] - mean[k]) ** 2;
  return { mean, rms: Math.sqrt(sq / (aligned.length * MESH_POINTS)) };
}

/** x as given; y = `down` made orthogonal to x; z = x × y. */
function orthonormalFrame(x: Vec3, down: Vec3): [Vec3, Vec3, Vec3] {
  const y = unit(sub(down, x.map((v) => v * dot(down, x)) as Vec3));
  return [x, y, cross(x, y)];
}

/**
 * Mirror pair of every point from the UV map, which is left/right symmetric: the pair of (u, v) is the point
 * nearest (1 − u, v). More reliable than nearest neighbours of a mirrored mean shape, whose residual asymmetry
 * is of the order of the point spacing.
 */
export function mirrorPairsFromUv(uv: ArrayLike<number>): { mirror: Int32Array; nonMutual: number; worstDistance: number } {
  const mirror = new Int32Array(MESH_POINTS);
  let worstDistance = 0;
  for (let i = 0; i < MESH_POINTS; i++) {
    let best = -1;
    let bestDistance = Infinity;
    for (let j = 0; j < MESH_POINTS; j++) {
      const d = Math.hypot(uv[2 * j] - (1 - uv[2 * i]), uv[2 * j + 1] - uv[2 * i + 1]);
      if (d < bestDistance) {
        bestDistance = d;
        best = j;
      }
    }
    mirror[i] = best;
    worstDistance = Math.max(worstDistance, bestDistance);
  }
  let nonMutual = 0;
  for (let i = 0; i < MESH_POINTS; i++) if (mirror[mirror[i]] !== i) nonMutual++;
  return { mirror, nonMutual, worstDistance };
}

/** Normal and a point of the plane that best reflects every point onto its pair. */
function symmetryPlane(mesh: Float64Array, mirror: Int32Array): { normal: Vec3; origin: Vec3 } {
  const cov = new Float64Array(9);
  const mid: Vec3 = [0, 0, 0];
  for (let i = 0; i < MESH_POINTS; i++) {
    const d = sub(point(mesh, i), point(mesh, mirror[i]));
    for (let a = 0; a < 3; a++) {
      mid[a] += (mesh[3 * i + a] + mesh[3 * mirror[i] + a]) / 2 / MESH_POINTS;
      for (let b = 0; b < 3; b++) cov[3 * a + b] += d[a] * d[b];
    }
  }
  let normal: Vec3 = [1, 0, 0];
  for (let iteration = 0; iteration < 100; iteration++) {
    normal = unit([0, 1, 2].map((a) => cov[3 * a] * normal[0] + cov[3 * a + 1] * normal[1] + cov[3 * a + 2] * normal[2]) as Vec3);
  }
  return { normal, origin: mid };
}

export function buildCanonicalFace(rawMeshes: number[][], uv: ArrayLike<number>): CanonicalFace {
  const meshes = rawMeshes.map((m) => Float64Array.from(m));
  const pairs = mirrorPairsFromUv(uv);
  if (pairs.nonMutual > 0) throw new Error(`UV mirror pairs are not mutual for ${pairs.nonMutual} points`);
  const mirror = pairs.mirror;
  const both = generalizedProcrustes([...meshes, ...meshes.map((m) => Float64Array.from(mirrorMesh(m, mirror)))]);
  const plane = symmetryPlane(both.mean, mirror);
  const x = plane.normal[0] >= 0 ? plane.normal : (plane.normal.map((v) => -v) as Vec3);
  const eyes = eyeMidpoint(both.mean);
  const mouth = midpoint(point(both.mean, LANDMARK.rightMouthCorner), point(both.mean, LANDMARK.leftMouthCorner));
  const interOcular = Math.hypot(...sub(eyeCentre(both.mean, 'left'), eyeCentre(both.mean, 'right')));
  // Put the origin on the symmetry plane before measuring from the eye midpoint.
  const eyesOnPlane = sub(eyes, x.map((v) => v * dot(sub(eyes, plane.origin), x)) as Vec3);
  const frontal = toFrame(both.mean, eyesOnPlane, orthonormalFrame(x, sub(mouth, eyes)), interOcular);
  const mirrored = mirrorMesh(frontal, mirror);
  const points = new Float64Array(frontal.length);
  let asymmetry = 0;
  for (let k = 0; k < points.length; k++) {
    points[k] = (frontal[k] + mirrored[k]) / 2;
    asymmetry += (frontal[k] - mirrored[k]) ** 2;
  }
  let selfPaired = 0;
  for (let i = 0; i < MESH_POINTS; i++) if (mirror[i] === i) selfPaired++;
  return {
    points,
    mirror,
    method:
      'GPA (similarity, 20 iterations) of the meshes and their mirror images (x negated, indices swapped); mirror pairs from the symmetric UV map (nearest (1 − u, v)); frame from the symmetry plane and the eyes → mouth direction; averaged with its mirror image',
    stats: {
      meshes: meshes.length,
      selfPairedPoints: selfPaired,
      worstUvPairDistance: pairs.worstDistance,
      gpaRmsResidual: both.rms / interOcular,
      asymmetryRms: Math.sqrt(asymmetry / MESH_POINTS),
    },
  };
}

function eyeMidpoint(mesh: ArrayLike<number>): Vec3 {
  return midpoint(eyeCentre(mesh, 'right'), eyeCentre(mesh, 'left'));
}

function midpoint(a: Vec3, b: Vec3): Vec3 {
  return [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2, (a[2] + b[2]) / 2];
}
