/**
 * The FaceRepresentation: one face decomposed by FORD into identity (α), intra-personal variation (β:
 * motion and appearance regions) and environment (γ). It crosses process boundaries (extractor → cache →
 * assembler), so its layout is versioned; bump REPRESENTATION_VERSION on any change a reader would notice.
 */
export const REPRESENTATION_VERSION = 1 as const;

/** Appearance regions and the background, in the order every mask stack uses. */
export const REGION_NAMES = ['eyebrows', 'eyes', 'nose', 'lips', 'skin', 'ears', 'hair', 'background'] as const;
export type RegionName = (typeof REGION_NAMES)[number];

/** Number of points in the face mesh (MediaPipe topology). */
export const MESH_POINTS = 468;

/** Side of the canonical aligned crops, in pixels. 512 is the generator's crop; 256 holds the masks. */
export const ALIGNED_SIZES = [256, 512] as const;
export type AlignedSize = (typeof ALIGNED_SIZES)[number];
export const MASK_SIZE = 256;

/** Axis-aligned box in pixels of the (EXIF-oriented) input image. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * 2D similarity (rotation, uniform scale, translation) as the row-major 2×3 matrix [a, b, tx, c, d, ty]:
 * x' = a·x + b·y + tx, y' = c·x + d·y + ty.
 */
export type Affine2D = [number, number, number, number, number, number];

/** Head pose in degrees, right-handed, camera looking along +z: yaw left/right, pitch up/down, roll in-plane. */
export interface HeadPose {
  yaw: number;
  pitch: number;
  roll: number;
}

/** Gaze of one eye: the iris offset in the eye opening (−1…1) and the angles it implies, in degrees. */
export interface EyeGaze {
  offsetX: number;
  offsetY: number;
  yaw: number;
  pitch: number;
}

export interface FaceMotion {
  pose: HeadPose;
  /** Expression descriptor with pose and scale removed; component order is EXPRESSION_COMPONENTS. */
  expression: Float32Array;
  /** Gaze per eye; "left" is the subject's left eye. */
  gaze: { left: EyeGaze; right: EyeGaze };
  /**
   * The mesh in the canonical head frame (pose and scale removed): MESH_POINTS × 3, interleaved x, y, z,
   * in units of the inter-ocular distance. Lets generators transfer expression deformations.
   */
  canonicalMesh: Float32Array;
}

export interface FaceEnvironment {
  /** Second-order spherical-harmonics lighting: 9 coefficients per RGB channel, channel-major (27 floats). */
  lighting: Float32Array;
}

export interface FaceRepresentation {
  version: typeof REPRESENTATION_VERSION;
  /** The input image: content hash and oriented size. */
  asset: { sha256: string; width: number; height: number };
  /** The model pack that produced this representation; part of the cache key. */
  modelPack: { name: string; version: string };
  /** Which face of the image (faces are ordered by decreasing box area), and how many were found. */
  faceIndex: number;
  faceCount: number;
  detection: { box: Box; score: number };
  /** Image → 512 px aligned crop. The 256 px crop is this scaled by ½. */
  alignment: { matrix: Affine2D };
  /** MESH_POINTS × 3 mesh points in image pixels (z on the same scale as x, relative to the face centre). */
  landmarks: Float32Array;
  /** Iris centres and radii in image pixels: [lx, ly, lr, rx, ry, rr] ("l" = the subject's left eye). */
  irises: Float32Array;
  /** Identity α: L2-normalised face-recognition embedding. */
  identity: Float32Array;
  motion: FaceMotion;
  environment: FaceEnvironment;
  /**
   * Soft region masks (0…255) on the 256 px aligned crop, one plane per REGION_NAMES entry, plane-major:
   * REGION_NAMES.length × MASK_SIZE × MASK_SIZE.
   */
  masks: Uint8Array;
}

/** Cache key of a representation: (asset, face, model-pack version). */
export function representationKey(assetSha256: string, faceIndex: number, packVersion: string): string {
  return `rep:v${REPRESENTATION_VERSION}:${packVersion}:${assetSha256}:${faceIndex}`;
}

/**
 * Names of the expression descriptor's components (FaceMotion.expression), in order. Each is measured on the
 * canonical mesh (pose and scale removed, units = inter-ocular distance) relative to the canonical neutral
 * face, so a neutral average face reads 0 everywhere except the two eye-openness ratios, which read 1:
 * mouthOpen (inner lip gap), mouthWidth (corner to corner), lipCornerLiftRight/Left (corner above the lip
 * centre line), upperLipRaise (upper lip toward the nose), lowerLipDepress (lower lip toward the chin),
 * lipPucker (lip centre forward of the corners), jawDrop (nose to chin), jawShift and mouthShift (sideways,
 * toward the subject's left), eyeOpenRight/Left (lid gap ÷ neutral lid gap), browRaiseRight/Left (brow above
 * the eye corners), browFurrow (inner brow ends closer together), noseWrinkle (nose bottom toward the eyes).
 */
export const EXPRESSION_COMPONENTS = [
  'mouthOpen',
  'mouthWidth',
  'lipCornerLiftRight',
  'lipCornerLiftLeft',
  'upperLipRaise',
  'lowerLipDepress',
  'lipPucker',
  'jawDrop',
  'jawShift',
  'mouthShift',
  'eyeOpenRight',
  'eyeOpenLeft',
  'browRaiseRight',
  'browRaiseLeft',
  'browFurrow',
  'noseWrinkle',
] as const;
