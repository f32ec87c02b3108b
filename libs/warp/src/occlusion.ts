/**
 * Which face triangles another part of the same face hides in a photo: a turned head's far eye and cheek
 * lie behind its nose even where they face the camera. The fitted 3D mesh is drawn into a coarse depth
 * buffer (nearest surface per cell); a triangle whose centre lies clearly behind that surface is hidden.
 */
import type { FaceFit } from './output-mesh';
import { FACE_TRIANGLE_COUNT, FACE_TRIANGLES } from './topology';

/** Depth-buffer cells per crop pixel: 128 cells across the 512 px crop resolve a nose against a cheek. */
const CELLS_PER_PIXEL = 1 / 4;
const GRID = 128;
/** How far behind the nearest surface (inter-ocular distances) a triangle's centre must lie to count as hidden. */
const DEPTH_TOLERANCE = 0.08;

/** Each point's depth toward the camera's axis in canonical units (larger = farther), as the pose fit sees it. */
function pointDepths(fit: FaceFit): Float32Array {
  const m = fit.canonical,
    r = fit.rotation,
    count = m.length / 3;
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = r[6] * m[3 * i] + r[7] * m[3 * i + 1] + r[8] * m[3 * i + 2];
  return out;
}

/** The nearest depth per cell over every face triangle (Infinity where none lies). */
function depthBuffer(points: Float32Array, depth: Float32Array): Float32Array {
  const buffer = new Float32Array(GRID * GRID).fill(Infinity);
  for (let t = 0; t < FACE_TRIANGLE_COUNT; t++) {
    const a = FACE_TRIANGLES[3 * t],
      b = FACE_TRIANGLES[3 * t + 1],
      c = FACE_TRIANGLES[3 * t + 2];
    const ax = points[2 * a] * CELLS_PER_PIXEL,
      ay = points[2 * a + 1] * CELLS_PER_PIXEL;
    const bx = points[2 * b] * CELLS_PER_PIXEL,
      by = points[2 * b + 1] * CELLS_PER_PIXEL;
    const cx = points[2 * c] * CELLS_PER_PIXEL,
      cy = points[2 * c + 1] * CELLS_PER_PIXEL;
    const area = (bx - ax) * (cy - ay) - (cx - ax) * (by - ay);
    if (Math.abs(area) < 1e-9) continue;
    const x0 = Math.max(0, Math.ceil(Math.min(ax, bx, cx))),
      x1 = Math.min(GRID - 1, Math.floor(Math.max(ax, bx, cx)));
    const y0 = Math.max(0, Math.ceil(Math.min(ay, by, cy))),
      y1 = Math.min(GRID - 1, Math.floor(Math.max(ay, by, cy)));
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const u = ((x - ax) * (cy - ay) - (cx - ax) * (y - ay)) / area;
        const v = ((bx - ax) * (y - ay) - (x - ax) * (by - ay)) / area;
        if (u < 0 || v < 0 || u + v > 1) continue;
        const z = (1 - u - v) * depth[a] + u * depth[b] + v * depth[c];
        const o = y * GRID + x;
        if (z < buffer[o]) buffer[o] = z;
      }
    }
  }
  return buffer;
}

/** Whether the fitted face hides the centre of its triangle (a, b, c) behind a nearer part of itself in its photo. */
export type HiddenTest = (a: number, b: number, c: number) => boolean;

export function hiddenTest(fit: FaceFit): HiddenTest {
  const depth = pointDepths(fit);
  const buffer = depthBuffer(fit.crop, depth);
  const p = fit.crop;
  return (a, b, c) => {
    const x = Math.round(((p[2 * a] + p[2 * b] + p[2 * c]) / 3) * CELLS_PER_PIXEL);
    const y = Math.round(((p[2 * a + 1] + p[2 * b + 1] + p[2 * c + 1]) / 3) * CELLS_PER_PIXEL);
    if (x < 0 || y < 0 || x >= GRID || y >= GRID) return false;
    return (depth[a] + depth[b] + depth[c]) / 3 > buffer[y * GRID + x] + DEPTH_TOLERANCE;
  };
}
