/**
 * The piecewise-affine warp as a map: for every pixel of the output crop, the point of the source crop it
 * samples. Each triangle of the destination mesh is rasterised and its pixels get the barycentric
 * combination of the source triangle's corners (inverse mapping, so every output pixel is written once per
 * covering triangle and no holes appear). Triangles are drawn far to near (painter's order on the mesh
 * depth), so where a turned head folds the mesh over itself the nearer surface wins.
 */
import { FacexError, type Affine2D } from '@facex/contracts';

export interface SourceMap {
  width: number;
  height: number;
  /** Source x, y per output pixel, interleaved. */
  coords: Float32Array;
  /** 1 where a triangle or the outside transform defines the pixel's source point. */
  defined: Uint8Array;
}

export interface MeshWarp {
  /** Destination points (x, y per point) in the output crop. */
  destination: Float32Array;
  /** The same points in the source crop. */
  source: Float32Array;
  /** Depth per point (larger = farther from the camera); orders the triangles. */
  depth: Float32Array;
  triangles: Uint16Array;
  /**
   * Per triangle, the source points its corners read (default: `triangles`). A triangle hidden in the source
   * reads its mirror image there; the corners stay matched, so the affine map flips it.
   */
  sourceTriangles?: Uint16Array;
  /** Output → source affine for pixels no triangle covers; none leaves them undefined. */
  outside?: Affine2D;
}

/** Destination triangle (a, b, c) reading the source triangle (sa, sb, sc). */
function drawTriangle(map: SourceMap, d: Float32Array, s: Float32Array, a: number, b: number, c: number, sa: number, sb: number, sc: number): void {
  const ax = d[2 * a],
    ay = d[2 * a + 1],
    bx = d[2 * b],
    by = d[2 * b + 1],
    cx = d[2 * c],
    cy = d[2 * c + 1];
  const area = (bx - ax) * (cy - ay) - (cx - ax) * (by - ay);
  if (Math.abs(area) < 1e-9) return;
  const { width, height, coords, defined } = map;
  const x0 = Math.max(0, Math.ceil(Math.min(ax, bx, cx))),
    x1 = Math.min(width - 1, Math.floor(Math.max(ax, bx, cx)));
  const y0 = Math.max(0, Math.ceil(Math.min(ay, by, cy))),
    y1 = Math.min(height - 1, Math.floor(Math.max(ay, by, cy)));
  if (x0 > x1 || y0 > y1) return;
  const inv = 1 / area;
  const sax = s[2 * sa],
    say = s[2 * sa + 1],
    sbx = s[2 * sb],
    sby = s[2 * sb + 1],
    scx = s[2 * sc],
    scy = s[2 * sc + 1];
  // Barycentric weights of b and c are affine in (x, y): walk them with one add per pixel.
  const dubx = (cy - ay) * inv; // ∂u/∂x, u = the weight of b
  const dvbx = -(by - ay) * inv; // ∂v/∂x, v = the weight of c
  const eps = -1e-6;
  for (let y = y0; y <= y1; y++) {
    let u = ((x0 - ax) * (cy - ay) - (cx - ax) * (y - ay)) * inv;
    let v = ((bx - ax) * (y - ay) - (x0 - ax) * (by - ay)) * inv;
    for (let x = x0, o = y * width + x0; x <= x1; x++, o++, u += dubx, v += dvbx) {
      if (u < eps || v < eps || u + v > 1 - eps) continue;
      const w = 1 - u - v;
      coords[2 * o] = w * sax + u * sbx + v * scx;
      coords[2 * o + 1] = w * say + u * sby + v * scy;
      defined[o] = 1;
    }
  }
}

/** The map of a mesh warp onto a width × height output crop. */
export function buildSourceMap(warp: MeshWarp, width: number, height: number): SourceMap {
  const map: SourceMap = { width, height, coords: new Float32Array(width * height * 2), defined: new Uint8Array(width * height) };
  const { triangles, depth, destination, source, outside } = warp;
  const sourceTriangles = warp.sourceTriangles ?? triangles;
  if (sourceTriangles.length !== triangles.length)
    throw new FacexError('invalid_representation', `sourceTriangles: ${sourceTriangles.length} corners for ${triangles.length}`, { field: 'sourceTriangles' });
  if (outside) {
    const [a, b, c, d, e, f] = outside;
    for (let y = 0, o = 0; y < height; y++) {
      for (let x = 0; x < width; x++, o++) {
        map.coords[2 * o] = a * x + b * y + c;
        map.coords[2 * o + 1] = d * x + e * y + f;
      }
    }
    map.defined.fill(1);
  }
  const count = triangles.length / 3;
  const order = Array.from({ length: count }, (_, t) => t);
  const meanDepth = Float64Array.from(order, (t) => depth[triangles[3 * t]] + depth[triangles[3 * t + 1]] + depth[triangles[3 * t + 2]]);
  order.sort((p, q) => meanDepth[q] - meanDepth[p]);
  for (const t of order) {
    const k = 3 * t;
    drawTriangle(
      map,
      destination,
      source,
      triangles[k],
      triangles[k + 1],
      triangles[k + 2],
      sourceTriangles[k],
      sourceTriangles[k + 1],
      sourceTriangles[k + 2],
    );
  }
  return map;
}
