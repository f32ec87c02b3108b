/**
 * Donor selection: the bank face nearest the edited face by FORD's own representation. Each criterion is a
 * distance divided by the spread at which it starts to show in a transplant, and the cost is the sum of their
 * squares:
 *   pose     yaw/pitch difference (roll does not matter: aligned crops are upright), /POSE_SCALE degrees: a
 *            donor seen from another side shows the sides of its features the target does not;
 *   shape    RMS distance of the canonical meshes (pose and scale removed) over the mesh points inside the
 *            regenerated area, each set centred, /SHAPE_SCALE inter-ocular distances: the warp bends less;
 *   colour   CIELAB distance of the skin means (ΔE*ab), /COLOUR_SCALE: less for relighting to move;
 *   light    distance of the light directions (first-order SH over ambient), /LIGHT_SCALE: a donor lit from
 *            another side brings its shading and highlights in the wrong places;
 *   detail   |log2| of the ratio of the skins' high-frequency energies, /DETAIL_SCALE: a donor much sharper
 *            or softer than the photo looks pasted in (the transplant scales its finest band, within bounds);
 *   openness for the lips, mouth openness (an open mouth's teeth squeezed onto a closed one show as a line),
 *            for the eyes, eye openness, /OPENNESS_SCALE;
 *   hair     for the hair, 1 − the overlap (IoU) of the two hair masks on the aligned crops, /HAIR_SCALE: the
 *            donor's hair is transplanted where the target's was, and what it does not cover is only filled.
 * Leave-one-out: a face never donates to itself. The edit's own inputs (photo sha256 + face index) are left
 * out, and so is any bank face whose identity embedding says it is the target's person (the same photo saved
 * again has another hash). Ties go to the smaller id, so the choice is deterministic.
 */
import { identitySimilarity, MESH_POINTS, type RegionName } from '@facex/contracts';
import type { FaceFeatures } from './donor-features';

export interface DonorCandidate {
  /** `<photo sha256>#<face index>`. */
  id: string;
  features: FaceFeatures;
}

export interface DonorQuery {
  target: FaceFeatures;
  /** Faces that must not donate: the edit's own inputs. */
  exclude: ReadonlyArray<{ sha256: string; faceIndex: number }>;
  /** Mesh points inside the regenerated area, where shape is compared; every point when empty. */
  points: readonly number[];
  /** The regenerated regions (lips and eyes add their openness). */
  regions: readonly RegionName[];
}

export interface DonorScore {
  id: string;
  cost: number;
  /** Each criterion's scaled distance (before squaring). */
  terms: { pose: number; shape: number; colour: number; light: number; detail: number; openness: number; hair: number };
}

export const POSE_SCALE = 8;
export const SHAPE_SCALE = 0.06;
export const COLOUR_SCALE = 12;
export const DETAIL_SCALE = 1;
export const LIGHT_SCALE = 0.35;
export const MOUTH_OPENNESS_SCALE = 0.08;
export const EYE_OPENNESS_SCALE = 0.25;
export const HAIR_SCALE = 0.25;
/** Cosine at and above which two identity embeddings are one person (same person ≥ 0.87, others < 0.5). */
export const SAME_PERSON_SIMILARITY = 0.7;

export const donorId = (sha256: string, faceIndex: number): string => `${sha256}#${faceIndex}`;

/** Intersection over union of two soft masks, each read as set where ≥ 128; 1 when both are empty. */
export function maskOverlap(a: Uint8Array, b: Uint8Array): number {
  let both = 0,
    either = 0;
  for (let i = 0; i < a.length; i++) {
    const inA = a[i] >= 128,
      inB = b[i] >= 128;
    if (inA && inB) both++;
    if (inA || inB) either++;
  }
  return either === 0 ? 1 : both / either;
}

/** RMS distance of two meshes over `points`, each point set centred on its own mean. */
export function shapeDistance(a: Float32Array, b: Float32Array, points: readonly number[]): number {
  const ids = points.length > 0 ? points : Array.from({ length: MESH_POINTS }, (_, i) => i);
  const mean = (mesh: Float32Array, axis: number) => ids.reduce((sum, i) => sum + mesh[3 * i + axis], 0) / ids.length;
  const ca = [0, 1, 2].map((axis) => mean(a, axis)),
    cb = [0, 1, 2].map((axis) => mean(b, axis));
  let sum = 0;
  for (const i of ids) for (let axis = 0; axis < 3; axis++) sum += (a[3 * i + axis] - ca[axis] - (b[3 * i + axis] - cb[axis])) ** 2;
  return Math.sqrt(sum / ids.length);
}

function score(candidate: DonorCandidate, query: DonorQuery): DonorScore {
  const t = query.target,
    d = candidate.features;
  const pose = Math.hypot(t.pose.yaw - d.pose.yaw, t.pose.pitch - d.pose.pitch) / POSE_SCALE;
  const shape = shapeDistance(t.canonicalMesh, d.canonicalMesh, query.points) / SHAPE_SCALE;
  const colour = Math.hypot(t.skinLab[0] - d.skinLab[0], t.skinLab[1] - d.skinLab[1], t.skinLab[2] - d.skinLab[2]) / COLOUR_SCALE;
  const light = Math.hypot(t.light[0] - d.light[0], t.light[1] - d.light[1], t.light[2] - d.light[2]) / LIGHT_SCALE;
  // A face without a detail measure (no skin left outside the hole) matches any.
  const detail = t.skinDetail > 0 && d.skinDetail > 0 ? Math.abs(Math.log2(d.skinDetail / t.skinDetail)) / DETAIL_SCALE : 0;
  const mouth = query.regions.includes('lips') ? Math.abs(t.mouthOpen - d.mouthOpen) / MOUTH_OPENNESS_SCALE : 0;
  const eyes = query.regions.includes('eyes') ? Math.abs(t.eyeOpen - d.eyeOpen) / EYE_OPENNESS_SCALE : 0;
  const openness = Math.hypot(mouth, eyes);
  const hair = query.regions.includes('hair') ? (1 - maskOverlap(t.hair, d.hair)) / HAIR_SCALE : 0;
  const cost = pose ** 2 + shape ** 2 + colour ** 2 + light ** 2 + detail ** 2 + openness ** 2 + hair ** 2;
  return { id: candidate.id, cost, terms: { pose, shape, colour, light, detail, openness, hair } };
}

/** Whether `candidate` may donate to the query's face (leave-one-out): only the exclusions and the identity are read. */
export function mayDonate(candidate: DonorCandidate, query: Pick<DonorQuery, 'exclude'> & { target: Pick<FaceFeatures, 'identity'> }): boolean {
  if (query.exclude.some((face) => candidate.id === donorId(face.sha256, face.faceIndex))) return false;
  return identitySimilarity(candidate.features.identity, query.target.identity) < SAME_PERSON_SIMILARITY;
}

/** Every candidate that may donate, cheapest first (ties by id). */
export function rankDonors(candidates: readonly DonorCandidate[], query: DonorQuery): DonorScore[] {
  return candidates
    .filter((candidate) => mayDonate(candidate, query))
    .map((candidate) => score(candidate, query))
    .sort((a, b) => a.cost - b.cost || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The cheapest donor, or undefined when every candidate is left out. */
export function selectDonor(candidates: readonly DonorCandidate[], query: DonorQuery): DonorScore | undefined {
  return rankDonors(candidates, query)[0];
}
