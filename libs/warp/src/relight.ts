/**
 * Relighting a supplied face by a ratio image on the mesh normals. FORD's lighting γ is second-order
 * spherical harmonics fitted to the skin under a constant albedo (analysis geometry/lighting.ts), so a face's
 * shading at a mesh vertex is S(n) = Σ_k γ_k Y_k(n). The supplied pixels carry the source's shading at the
 * source's normals; dividing it out and multiplying the frame's shading in at the output mesh's normals gives
 * the face the frame's light direction: r(v) = S_frame(n_out(v)) / S_source(n_source(v)) per RGB channel.
 * The ratio is normalised to 1 on average over the skin vertices, so it moves the shading only: the skin
 * tone is matched separately (CIELAB low band). Per-vertex ratios are spread over the crop on a coarse grid
 * (push-pull between vertices) and applied smoothly; the light changes slowly, so detail is untouched.
 */
import { MESH_POINTS } from '@facex/contracts';
import { fillHoles, lowPass, type MaskPlane, type RgbImage } from '@facex/imaging';
import { SH_COEFFICIENTS, shBasis, SKIN_VERTICES, vertexNormals } from './topology';

/** The ratio is bounded: a γ fitted on a few lit pixels must not blacken or blow out a cheek. */
const MIN_RATIO = 0.6,
  MAX_RATIO = 1.6;
/** Crop pixels per cell of the grid the ratio is spread on. */
const CELL = 8;
/** The spread ratio keeps only what is coarser than 2^2 cells (32 crop pixels): light, not the mesh's facets. */
const SMOOTH_OCTAVES = 2;
/** The grid stores ratios as 8-bit values: ratio × RATIO_SCALE (MAX_RATIO × RATIO_SCALE ≤ 255). */
const RATIO_SCALE = 128;

/** Shading per vertex and RGB channel (MESH_POINTS × 3) of `lighting` on unit normals. */
function shading(lighting: Float32Array, normals: Float32Array): Float32Array {
  const out = new Float32Array(MESH_POINTS * 3);
  const basis = new Float32Array(SH_COEFFICIENTS);
  for (let v = 0; v < MESH_POINTS; v++) {
    shBasis(normals[3 * v], normals[3 * v + 1], normals[3 * v + 2], basis);
    for (let c = 0; c < 3; c++) {
      let s = 0;
      for (let k = 0; k < SH_COEFFICIENTS; k++) s += lighting[c * SH_COEFFICIENTS + k] * basis[k];
      out[3 * v + c] = s;
    }
  }
  return out;
}

export interface RelightFaces {
  /** The supplying face's mesh in 3D (MESH_POINTS × 3, x right, y down, z away) and its lighting γ. */
  sourceMesh: Float32Array;
  sourceLighting: Float32Array;
  /** The output face in 3D, posed as the output shows it, and the frame's lighting γ. */
  outputMesh: Float32Array;
  frameLighting: Float32Array;
  /** Where the output mesh's points lie on the crop (MESH_POINTS × 2). */
  outputPoints: Float32Array;
}

/** Per vertex and channel S_frame(n_out) / S_source(n_source), normalised to 1 on the skin; null when undefined. */
export function shadingRatios(faces: RelightFaces): Float32Array | null {
  const from = shading(faces.sourceLighting, vertexNormals(faces.sourceMesh));
  const to = shading(faces.frameLighting, vertexNormals(faces.outputMesh));
  const ratio = new Float32Array(MESH_POINTS * 3);
  const mean = [0, 0, 0];
  for (let v = 0; v < MESH_POINTS; v++) {
    for (let c = 0; c < 3; c++) {
      // Unlit (or wrongly fitted) in either face: no information there, no change.
      ratio[3 * v + c] = from[3 * v + c] > 1e-3 && to[3 * v + c] > 1e-3 ? to[3 * v + c] / from[3 * v + c] : NaN;
    }
  }
  for (let c = 0; c < 3; c++) {
    let sum = 0,
      n = 0;
    for (const v of SKIN_VERTICES)
      if (Number.isFinite(ratio[3 * v + c])) {
        sum += ratio[3 * v + c];
        n++;
      }
    if (n === 0) return null;
    mean[c] = sum / n;
  }
  for (let v = 0; v < MESH_POINTS; v++) {
    for (let c = 0; c < 3; c++) {
      const r = ratio[3 * v + c] / mean[c];
      ratio[3 * v + c] = Number.isFinite(r) ? Math.min(MAX_RATIO, Math.max(MIN_RATIO, r)) : 1;
    }
  }
  return ratio;
}

/** `image` with its pixels multiplied by the shading ratio, blended by `weight` (0…255); unchanged without a ratio. */
export function relight(image: RgbImage, faces: RelightFaces, weight: MaskPlane): RgbImage {
  const ratio = shadingRatios(faces);
  if (!ratio) return image;
  const { width, height, data } = image;
  const gw = Math.ceil(width / CELL),
    gh = Math.ceil(height / CELL);
  // Mean ratio of the vertices in each cell; cells without a vertex are filled push-pull.
  const sum = new Float32Array(gw * gh * 3),
    count = new Uint32Array(gw * gh);
  for (let v = 0; v < MESH_POINTS; v++) {
    const gx = Math.floor(faces.outputPoints[2 * v] / CELL),
      gy = Math.floor(faces.outputPoints[2 * v + 1] / CELL);
    if (gx < 0 || gy < 0 || gx >= gw || gy >= gh) continue;
    const cell = gy * gw + gx;
    count[cell]++;
    for (let c = 0; c < 3; c++) sum[3 * cell + c] += ratio[3 * v + c];
  }
  const grid = new Uint8Array(gw * gh * 3),
    known = new Uint8Array(gw * gh);
  for (let cell = 0; cell < gw * gh; cell++) {
    if (count[cell] === 0) continue;
    known[cell] = 255;
    for (let c = 0; c < 3; c++) grid[3 * cell + c] = Math.round((sum[3 * cell + c] / count[cell]) * RATIO_SCALE);
  }
  if (!known.some((k) => k !== 0)) return image;
  const filled = fillHoles({ data: grid, width: gw, height: gh }, { data: known, width: gw, height: gh }).data;
  const field = lowPass({ data: Float32Array.from(filled), width: gw, height: gh, channels: 3 }, SMOOTH_OCTAVES).data;
  const out = data.slice();
  for (let y = 0; y < height; y++) {
    // Bilinear over cell centres.
    const fy = Math.min(gh - 1, Math.max(0, (y + 0.5) / CELL - 0.5));
    const y0 = Math.floor(fy),
      y1 = Math.min(gh - 1, y0 + 1),
      ty = fy - y0;
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const w = weight.data[i];
      if (w === 0) continue;
      const fx = Math.min(gw - 1, Math.max(0, (x + 0.5) / CELL - 0.5));
      const x0 = Math.floor(fx),
        x1 = Math.min(gw - 1, x0 + 1),
        tx = fx - x0;
      for (let c = 0; c < 3; c++) {
        const top = field[3 * (y0 * gw + x0) + c] * (1 - tx) + field[3 * (y0 * gw + x1) + c] * tx;
        const bottom = field[3 * (y1 * gw + x0) + c] * (1 - tx) + field[3 * (y1 * gw + x1) + c] * tx;
        const r = (top * (1 - ty) + bottom * ty) / RATIO_SCALE;
        const v = data[3 * i + c] * (1 + ((r - 1) * w) / 255);
        out[3 * i + c] = v >= 255 ? 255 : v + 0.5;
      }
    }
  }
  return { data: out, width, height };
}
