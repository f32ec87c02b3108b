/**
 * Anti-aliased scanline rasteriser for closed polygons. Coordinates follow the imaging library: pixel (x, y)
 * is centred on the point (x, y) and covers [x − ½, x + ½) × [y − ½, y + ½). Each pixel row is sampled on `subsamples` sub-scanlines; along a sub-scanline
 * the covered spans are integrated exactly, so coverage is exact horizontally and 1/subsamples-quantised
 * vertically. Several rings in one call form one shape under the fill rule (so a ring inside another is a
 * hole with 'evenodd', or with 'nonzero' when wound the other way). O(rows · subsamples · edges + covered
 * pixels); no allocation per pixel.
 */
import { FacexError } from '@facex/contracts';

export type FillRule = 'nonzero' | 'evenodd';

export interface RasterOptions {
  fillRule?: FillRule;
  /** Sub-scanlines per pixel row (1…16). */
  subsamples?: number;
}

interface EdgeTable {
  count: number;
  yTop: Float64Array;
  yBottom: Float64Array;
  xAtTop: Float64Array;
  slope: Float64Array;
  winding: Int8Array;
}

/**
 * Coverage (0…1) of the polygon formed by `rings` (each interleaved x, y; closed implicitly) on a
 * width × height grid. Composited by maximum into `into` when given (so successive calls form a union),
 * otherwise into a new zeroed plane, which is returned.
 */
export function rasterizePolygon(
  rings: readonly ArrayLike<number>[],
  width: number,
  height: number,
  options: RasterOptions = {},
  into?: Float32Array,
): Float32Array {
  const { fillRule = 'nonzero', subsamples = 4 } = options;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new FacexError('invalid_representation', `raster size must be positive integers, got ${width}×${height}`, { field: 'size' });
  }
  if (!Number.isInteger(subsamples) || subsamples < 1 || subsamples > 16) {
    throw new FacexError('invalid_representation', `subsamples must be an integer in 1…16, got ${subsamples}`, { field: 'subsamples' });
  }
  const out = into ?? new Float32Array(width * height);
  if (out.length !== width * height) {
    throw new FacexError('invalid_representation', `target plane must hold ${width * height} values, got ${out.length}`, { field: 'into' });
  }
  const edges = buildEdgeTable(rings);
  if (edges.count === 0) return out;
  let minY = Infinity;
  let maxY = -Infinity;
  for (let e = 0; e < edges.count; e++) {
    minY = Math.min(minY, edges.yTop[e]);
    maxY = Math.max(maxY, edges.yBottom[e]);
  }
  const rowStart = Math.max(0, Math.floor(minY + 0.5));
  const rowEnd = Math.min(height, Math.ceil(maxY + 0.5));
  const crossX = new Float64Array(edges.count);
  const crossWinding = new Int8Array(edges.count);
  const row = new Float32Array(width);
  const weight = 1 / subsamples;
  for (let y = rowStart; y < rowEnd; y++) {
    row.fill(0);
    let touched = false;
    for (let s = 0; s < subsamples; s++) {
      const sampleY = y - 0.5 + (s + 0.5) * weight;
      let n = 0;
      for (let e = 0; e < edges.count; e++) {
        // Half-open in y so a vertex shared by two edges is counted once.
        if (sampleY < edges.yTop[e] || sampleY >= edges.yBottom[e]) continue;
        const x = edges.xAtTop[e] + (sampleY - edges.yTop[e]) * edges.slope[e];
        // Insertion sort: a scanline crosses only a handful of edges.
        let k = n++;
        while (k > 0 && crossX[k - 1] > x) {
          crossX[k] = crossX[k - 1];
          crossWinding[k] = crossWinding[k - 1];
          k--;
        }
        crossX[k] = x;
        crossWinding[k] = edges.winding[e];
      }
      let winding = 0;
      for (let k = 0; k + 1 < n; k++) {
        winding = fillRule === 'evenodd' ? winding ^ 1 : winding + crossWinding[k];
        if (winding !== 0) {
          addSpan(row, crossX[k] + 0.5, crossX[k + 1] + 0.5, weight);
          touched = true;
        }
      }
    }
    if (!touched) continue;
    const base = y * width;
    for (let x = 0; x < width; x++) {
      const coverage = row[x] > 1 ? 1 : row[x];
      if (coverage > out[base + x]) out[base + x] = coverage;
    }
  }
  return out;
}

/** Adds `weight` × (length of [x0, x1] inside each pixel) to the row; here pixel i spans [i, i + 1). */
function addSpan(row: Float32Array, x0: number, x1: number, weight: number): void {
  const width = row.length;
  const a = Math.max(0, x0);
  const b = Math.min(width, x1);
  if (b <= a) return;
  const i0 = Math.floor(a);
  const i1 = Math.floor(b);
  if (i0 === i1) {
    row[i0] += (b - a) * weight;
    return;
  }
  row[i0] += (i0 + 1 - a) * weight;
  for (let i = i0 + 1; i < i1; i++) row[i] += weight;
  if (i1 < width) row[i1] += (b - i1) * weight;
}

function buildEdgeTable(rings: readonly ArrayLike<number>[]): EdgeTable {
  let total = 0;
  for (const ring of rings) {
    if (ring.length % 2 !== 0) {
      throw new FacexError('invalid_representation', `polygon ring must hold x, y pairs, got ${ring.length} numbers`, { field: 'rings' });
    }
    total += ring.length / 2;
  }
  const table: EdgeTable = {
    count: 0,
    yTop: new Float64Array(total),
    yBottom: new Float64Array(total),
    xAtTop: new Float64Array(total),
    slope: new Float64Array(total),
    winding: new Int8Array(total),
  };
  for (const ring of rings) {
    const n = ring.length / 2;
    if (n < 3) continue;
    for (let k = 0; k < n; k++) {
      const j = (k + 1) % n;
      const x0 = ring[2 * k];
      const y0 = ring[2 * k + 1];
      const x1 = ring[2 * j];
      const y1 = ring[2 * j + 1];
      if (!Number.isFinite(x0 + y0 + x1 + y1)) {
        throw new FacexError('invalid_representation', 'polygon coordinates must be finite', { field: 'rings' });
      }
      if (y0 === y1) continue;
      const down = y1 > y0;
      const e = table.count++;
      table.yTop[e] = down ? y0 : y1;
      table.yBottom[e] = down ? y1 : y0;
      table.xAtTop[e] = down ? x0 : x1;
      table.slope[e] = (x1 - x0) / (y1 - y0);
      table.winding[e] = down ? 1 : -1;
    }
  }
  return table;
}
