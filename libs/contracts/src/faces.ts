/**
 * The faces of a photo: what FORD found in an asset (cached once per asset and model pack by the `faces` job),
 * what `GET /v1/assets/{id}/faces` lists, and the choice of the faces a multi-face edit touches.
 */
import { z } from 'zod';
import { FacexError } from './errors';
import type { FaceSelection, FaceSortOrder } from './edits';
import type { Box, HeadPose } from './representation';

/** One detected face as the face list stores it. `index` is FORD's (faces by decreasing box area). */
export interface FaceSummary {
  index: number;
  box: Box;
  score: number;
  pose: HeadPose;
  /** The L2-normalised identity embedding (for reference-face selection; never sent to clients). */
  identity: number[];
}

export interface FaceList {
  assetSha256: string;
  packVersion: string;
  faces: FaceSummary[];
}

export const FaceViewSchema = z
  .strictObject({
    index: z.int().min(0).meta({ description: 'The face index edits name (`inputs[].faceIndex`, `faces.index` with the default sort).' }),
    box: z
      .strictObject({ x: z.number(), y: z.number(), width: z.number(), height: z.number() })
      .meta({ description: 'Detection box in pixels of the EXIF-oriented image.' }),
    score: z.number().meta({ description: 'Detector confidence, 0…1.' }),
    pose: z
      .strictObject({ yaw: z.number(), pitch: z.number(), roll: z.number() })
      .meta({ description: 'Head pose in degrees (see the motion controls for the signs).' }),
    thumbnailUrl: z.string().meta({ description: "The face's aligned crop as a PNG (same API key)." }),
  })
  .meta({ description: 'One face FORD found in the asset.' });
export type FaceView = z.infer<typeof FaceViewSchema>;

export const FaceListResponseSchema = z
  .strictObject({ assetId: z.string(), faces: z.array(FaceViewSchema) })
  .meta({ description: 'Every face of the asset, largest first.' });
export type FaceListResponse = z.infer<typeof FaceListResponseSchema>;

/** The faces in a sort order: largest box first (FORD's own order), or by the box's centre from left to right. */
export function sortFaces(faces: readonly FaceSummary[], order: FaceSortOrder): FaceSummary[] {
  const sorted = [...faces];
  if (order === 'largest-first') sorted.sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height || a.index - b.index);
  else sorted.sort((a, b) => a.box.x + a.box.width / 2 - (b.box.x + b.box.width / 2) || a.index - b.index);
  return sorted;
}

/** Cosine similarity of two embeddings (FORD's are L2-normalised, but a stored one may have lost precision). */
export function identitySimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0,
    na = 0,
    nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

function invalid(field: string, message: string): FacexError {
  return new FacexError('invalid_recipe', `${field}: ${message}`, { field });
}

/**
 * FORD's indices of the faces a selection chooses on the frame image, in the selection's sort order.
 * `ownIndex` is the frame input's faceIndex (the default of `mode: index`); `reference` is the reference face
 * (null: the reference asset has no face at that index). Nothing chosen raises a 422 naming the field.
 */
export function selectFaces(faces: readonly FaceSummary[], selection: FaceSelection, ownIndex: number, reference?: FaceSummary | null): number[] {
  if (faces.length === 0) throw new FacexError('no_face', 'faces: the target image has no face', { field: 'faces' });
  const sorted = sortFaces(faces, selection.sort);
  switch (selection.mode) {
    case 'index': {
      const at = selection.index ?? ownIndex;
      if (at >= sorted.length) throw invalid('faces.index', `face ${at} does not exist (the image has ${sorted.length})`);
      return [sorted[at].index];
    }
    case 'all':
      return sorted.map((face) => face.index);
    case 'reference': {
      if (!reference) throw new FacexError('no_face', 'faces.reference: the reference image has no face at that index', { field: 'faces.reference' });
      const chosen = sorted.filter((face) => identitySimilarity(face.identity, reference.identity) >= selection.threshold);
      if (chosen.length === 0) throw invalid('faces.reference', `no face of the target matches the reference (identity similarity ≥ ${selection.threshold})`);
      return chosen.map((face) => face.index);
    }
  }
}
