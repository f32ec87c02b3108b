/**
 * Typed views of the committed mesh data (see each JSON's `provenance`; regenerate with
 * `npx tsx tools/topology/build-topology.ts`):
 * - the triangulation and UV map of the 468-point mesh, as shipped by @vladmandic/human;
 * - the canonical face: a symmetric frontal mean of the sample meshes, units = inter-ocular distance, origin at
 *   the eye-centre midpoint, x toward the subject's left (image right), y down, z away from the camera;
 * - the mirror pair of every point (itself for the 28 midline points).
 */
import canonicalFace from './canonical-face.json';
import meshTopology from './mesh-topology.json';

/** 880 triangles × 3 mesh indices. */
export const FACE_TRIANGLES: Uint16Array = Uint16Array.from(meshTopology.triangles);
/** 468 × (u, v) texture coordinates in [0, 1]. */
export const FACE_UV: Float32Array = Float32Array.from(meshTopology.uv);
/** 468 × (x, y, z) canonical frontal face. */
export const CANONICAL_FACE: Float32Array = Float32Array.from(canonicalFace.points);
/** Index of each point's left/right mirror counterpart. */
export const MIRROR_INDEX: Uint16Array = Uint16Array.from(canonicalFace.mirror);
