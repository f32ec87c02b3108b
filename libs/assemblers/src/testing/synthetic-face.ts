/**
 * Synthetic FaceRepresentations for tests and the benchmark: a cartoon face of flat-coloured regions drawn
 * into an RGB image, with masks, landmarks and alignment that agree with the drawing exactly, so the
 * assemblers' outputs can be checked pixel by pixel.
 */
import { MASK_SIZE, MESH_POINTS, REGION_NAMES, REPRESENTATION_VERSION, type Affine2D, type FaceRepresentation, type RegionName } from '@facex/contracts';
import { applyAffine, invertAffine, type RgbImage } from '@facex/imaging';

export type Rgb = [number, number, number];

export interface SyntheticFaceOptions {
  imageWidth?: number;
  imageHeight?: number;
  /** Where the centre of the 512 px crop lands in the image, and the crop's scale (image px per crop px) and rotation. */
  centre?: [number, number];
  scale?: number;
  angle?: number;
  /** Horizontal stretch of the face shape in the crop (faces differ in shape, so their crops do not coincide). */
  faceWidth?: number;
  /** Region colours; unspecified ones take DEFAULT_PALETTE. */
  palette?: Partial<Record<RegionName, Rgb>>;
  /** Seeds the identity, expression and lighting vectors. */
  seed?: number;
  yaw?: number;
  identityWidth?: number;
  expressionWidth?: number;
}

export const DEFAULT_PALETTE: Record<RegionName, Rgb> = {
  eyebrows: [60, 40, 30],
  eyes: [240, 240, 250],
  nose: [210, 150, 130],
  lips: [190, 60, 70],
  skin: [225, 180, 150],
  ears: [215, 165, 140],
  hair: [90, 60, 40],
  background: [40, 120, 200],
};

/** Points well inside each feature, in 512 px crop coordinates of a face with faceWidth 1 (for probes). */
export const PROBES = {
  eyeOnImageLeft: [200, 250],
  eyeOnImageRight: [312, 250],
  brow: [200, 221],
  nose: [256, 300],
  lips: [256, 372],
  cheek: [256, 420],
  ear: [118, 290],
  hairTop: [256, 60],
  backgroundCorner: [20, 500],
} as const satisfies Record<string, readonly [number, number]>;

const inEllipse = (x: number, y: number, cx: number, cy: number, rx: number, ry: number) => ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1;

/** The region under a point of the 512 px crop, by precedence (features over skin over hair over background). */
export function regionAt(x: number, y: number, faceWidth = 1): RegionName {
  const u = 256 + (x - 256) / faceWidth; // undo the stretch: shapes are defined on the canonical face
  if (inEllipse(u, y, 200, 250, 28, 13) || inEllipse(u, y, 312, 250, 28, 13)) return 'eyes';
  if (y >= 215 && y <= 228 && ((u >= 170 && u <= 230) || (u >= 282 && u <= 342))) return 'eyebrows';
  if (u >= 240 && u <= 272 && y >= 262 && y <= 330) return 'nose';
  if (inEllipse(u, y, 256, 372, 45, 16)) return 'lips';
  if (inEllipse(u, y, 256, 290, 130, 165)) return 'skin';
  if (inEllipse(u, y, 118, 290, 22, 45) || inEllipse(u, y, 394, 290, 22, 45)) return 'ears';
  if (inEllipse(u, y, 256, 220, 180, 190) && y < 300) return 'hair';
  return 'background';
}

function seeded(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 0x100000000 - 0.5;
  };
}

function vector(width: number, random: () => number, normalise: boolean): Float32Array {
  const values = Float32Array.from({ length: width }, random);
  if (normalise) {
    const norm = Math.hypot(...values);
    values.forEach((v, i) => (values[i] = v / norm));
  }
  return values;
}

export interface SyntheticFace {
  representation: FaceRepresentation;
  image: RgbImage;
  /** Crop (512 px) → image. */
  cropToImage: Affine2D;
  palette: Record<RegionName, Rgb>;
}

export function syntheticFace(options: SyntheticFaceOptions = {}): SyntheticFace {
  const width = options.imageWidth ?? 400,
    height = options.imageHeight ?? 360;
  const [cx, cy] = options.centre ?? [width / 2, height / 2];
  const scale = options.scale ?? 0.6,
    angle = options.angle ?? 0,
    faceWidth = options.faceWidth ?? 1;
  const palette = { ...DEFAULT_PALETTE, ...options.palette };
  const cos = scale * Math.cos(angle),
    sin = scale * Math.sin(angle);
  const cropToImage: Affine2D = [cos, -sin, cx - cos * 256 + sin * 256, sin, cos, cy - sin * 256 - cos * 256];
  const matrix = invertAffine(cropToImage);

  const image: RgbImage = { data: new Uint8Array(width * height * 3), width, height };
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const [u, v] = applyAffine(matrix, x, y);
      image.data.set(palette[regionAt(u, v, faceWidth)], (y * width + x) * 3);
    }

  const plane = MASK_SIZE * MASK_SIZE;
  const masks = new Uint8Array(REGION_NAMES.length * plane);
  for (let v = 0; v < MASK_SIZE; v++)
    for (let u = 0; u < MASK_SIZE; u++) {
      masks[REGION_NAMES.indexOf(regionAt(2 * u, 2 * v, faceWidth)) * plane + v * MASK_SIZE + u] = 255;
    }

  // Mesh points spread over the face ellipse (a sunflower pattern), stretched with the face.
  const landmarks = new Float32Array(MESH_POINTS * 3);
  for (let i = 0; i < MESH_POINTS; i++) {
    const r = Math.sqrt((i + 0.5) / MESH_POINTS),
      theta = i * 2.399963;
    const [x, y] = applyAffine(cropToImage, 256 + faceWidth * 120 * r * Math.cos(theta), 290 + 150 * r * Math.sin(theta));
    landmarks.set([x, y, 0], i * 3);
  }
  const iris = (centre: readonly [number, number]) => [...applyAffine(cropToImage, 256 + (centre[0] - 256) * faceWidth, centre[1]), 6 * scale];

  const random = seeded(options.seed ?? 1);
  const eye = { offsetX: 0.1, offsetY: -0.05, yaw: 5, pitch: -2 };
  const representation: FaceRepresentation = {
    version: REPRESENTATION_VERSION,
    asset: { sha256: `synthetic-${options.seed ?? 1}`, width, height },
    modelPack: { name: 'synthetic', version: '0' },
    faceIndex: 0,
    faceCount: 1,
    detection: { box: { x: cx - 150 * scale, y: cy - 170 * scale, width: 300 * scale, height: 340 * scale }, score: 0.99 },
    alignment: { matrix },
    landmarks,
    // The subject's left eye is on the image's right.
    irises: Float32Array.from([...iris(PROBES.eyeOnImageRight), ...iris(PROBES.eyeOnImageLeft)]),
    identity: vector(options.identityWidth ?? 512, random, true),
    motion: {
      pose: { yaw: options.yaw ?? 0, pitch: 3, roll: (angle * 180) / Math.PI },
      expression: vector(options.expressionWidth ?? 16, random, false),
      gaze: { left: eye, right: { ...eye, offsetX: 0.12 } },
      canonicalMesh: new Float32Array(MESH_POINTS * 3),
    },
    environment: { lighting: vector(27, random, false) },
    masks,
  };
  return { representation, image, cropToImage, palette };
}

/** Two different faces in two differently framed images: the source and the target of most tests. */
export function sourceAndTarget(): { source: SyntheticFace; target: SyntheticFace } {
  const source = syntheticFace({
    seed: 7,
    faceWidth: 1.12,
    centre: [210, 190],
    scale: 0.55,
    angle: 0.15,
    yaw: 12,
    palette: { skin: [170, 120, 90], hair: [230, 200, 90], lips: [150, 40, 90], eyes: [200, 230, 200] },
  });
  const target = syntheticFace({ seed: 11, imageWidth: 460, imageHeight: 380, centre: [240, 200], scale: 0.62, angle: -0.1 });
  return { source, target };
}
