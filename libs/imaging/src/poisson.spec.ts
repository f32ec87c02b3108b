import { FacexError } from '@facex/contracts';
import { poissonBlend, solveMembrane } from './poisson';
import { createMask, createRgbImage, type MaskPlane, type RgbImage } from './types';

const W = 64,
  H = 48;

function image(value: (x: number, y: number, c: number) => number): RgbImage {
  const out = createRgbImage(W, H);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) for (let c = 0; c < 3; c++) out.data[3 * (y * W + x) + c] = Math.max(0, Math.min(255, Math.round(value(x, y, c))));
  return out;
}

function disc(cx: number, cy: number, r: number): MaskPlane {
  const mask = createMask(W, H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) if (Math.hypot(x - cx, y - cy) <= r) mask.data[y * W + x] = 255;
  return mask;
}

const at = (img: RgbImage, x: number, y: number, c = 0) => img.data[3 * (y * W + x) + c];
/** Detail that fades out before the region's edge (radius 14 around 32, 24), so the boundary sees none of it. */
const texture = (x: number, y: number) => (Math.hypot(x - 32, y - 24) < 10 ? 20 * Math.sin(x / 2) * Math.cos(y / 3) : 0);

describe('poissonBlend', () => {
  const region = disc(32, 24, 14);

  it('removes a colour cast: an overlay that is the base plus an offset comes out as the base', () => {
    const base = image((x, y, c) => 90 + 40 * c + x / 2 + y / 4);
    const overlay = image((x, y, c) => 90 + 40 * c + x / 2 + y / 4 + [35, -20, 10][c]);
    const out = poissonBlend(base, overlay, region);
    for (const [x, y] of [
      [32, 24],
      [25, 20],
      [40, 30],
    ])
      for (let c = 0; c < 3; c++) expect(Math.abs(at(out, x, y, c) - at(base, x, y, c))).toBeLessThanOrEqual(1);
  });

  it("keeps the overlay's detail (its gradients) inside the region", () => {
    const base = image(() => 120);
    const overlay = image((x, y) => 60 + texture(x, y));
    const out = poissonBlend(base, overlay, region);
    // out − overlay is (nearly) constant inside: the texture is carried over, the level is the base's.
    const offsets: number[] = [];
    for (let y = 14; y <= 34; y++) for (let x = 22; x <= 42; x++) if (region.data[y * W + x]) offsets.push(at(out, x, y) - at(overlay, x, y));
    expect(Math.max(...offsets) - Math.min(...offsets)).toBeLessThanOrEqual(2);
    expect(offsets.reduce((a, b) => a + b, 0) / offsets.length).toBeGreaterThan(55);
  });

  it('reproduces a linear ramp of the base inside the region (a harmonic correction is exact on it)', () => {
    const base = image((x, y) => 40 + 2 * x + y);
    const overlay = image(() => 128);
    const out = poissonBlend(base, overlay, region);
    for (const [x, y] of [
      [32, 24],
      [22, 24],
      [32, 14],
      [41, 30],
    ])
      expect(Math.abs(at(out, x, y) - at(base, x, y))).toBeLessThanOrEqual(2);
  });

  it('is the base outside the region, to the byte', () => {
    const base = image((x, y, c) => x + y + c);
    const overlay = image(() => 200);
    const out = poissonBlend(base, overlay, region);
    for (let i = 0; i < W * H; i++) if (!region.data[i]) for (let c = 0; c < 3; c++) expect(out.data[3 * i + c]).toBe(base.data[3 * i + c]);
  });

  it('ignores untrusted boundary pixels: a base that differs there for its own reason does not bleed in', () => {
    const base = image((x) => (x < 32 ? 100 : 250));
    const overlay = image(() => 50);
    const trusted = createMask(W, H);
    for (let y = 0; y < H; y++) trusted.data.fill(255, y * W, y * W + 32);
    const out = poissonBlend(base, overlay, region, { trusted });
    for (const [x, y] of [
      [20, 24],
      [32, 24],
      [44, 24],
    ])
      expect(Math.abs(at(out, x, y) - 100)).toBeLessThanOrEqual(2);
  });

  it('refuses planes of another size', () => {
    expect(() =>
      poissonBlend(
        image(() => 0),
        createRgbImage(10, 10),
        disc(5, 5, 3),
      ),
    ).toThrow(FacexError);
  });
});

describe('solveMembrane', () => {
  /** The same problem solved by conjugate gradients to machine precision: the reference solution. */
  function reference(width: number, height: number, weight: Float32Array, data: Float32Array): Float64Array {
    const n = width * height;
    const apply = (v: Float64Array, out: Float64Array) => {
      for (let y = 0, i = 0; y < height; y++)
        for (let x = 0; x < width; x++, i++) {
          let s = weight[i] * v[i];
          if (x > 0) s += v[i] - v[i - 1];
          if (x + 1 < width) s += v[i] - v[i + 1];
          if (y > 0) s += v[i] - v[i - width];
          if (y + 1 < height) s += v[i] - v[i + width];
          out[i] = s;
        }
    };
    const solution = new Float64Array(n),
      r = Float64Array.from(weight, (w, i) => w * data[i]),
      p = r.slice(),
      ap = new Float64Array(n);
    const dot = (a: Float64Array, b: Float64Array) => a.reduce((sum, v, i) => sum + v * b[i], 0);
    let rr = dot(r, r);
    for (let iteration = 0; iteration < 5000 && rr > 1e-18; iteration++) {
      apply(p, ap);
      const step = rr / dot(p, ap);
      for (let i = 0; i < n; i++) {
        solution[i] += step * p[i];
        r[i] -= step * ap[i];
      }
      const next = dot(r, r);
      for (let i = 0; i < n; i++) p[i] = r[i] + (next / rr) * p[i];
      rr = next;
    }
    return solution;
  }

  it('matches the fully converged solution within half a grey level on a 96 × 80 grid', () => {
    const width = 96,
      height = 80;
    const weight = new Float32Array(width * height),
      data = new Float32Array(width * height);
    // Sparse soft data: a ring of values around a centre and a few pinned points.
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const r = Math.hypot(x - 48, y - 40);
        if (Math.abs(r - 30) < 1.5) {
          weight[y * width + x] = 0.5;
          data[y * width + x] = 100 + 60 * Math.cos(Math.atan2(y - 40, x - 48) * 2);
        }
      }
    weight[5 * width + 5] = 1000;
    data[5 * width + 5] = 10;
    const solution = solveMembrane({ width, height, channels: 1, weight, data });
    const exact = reference(width, height, weight, data);
    let worst = 0;
    for (let i = 0; i < exact.length; i++) worst = Math.max(worst, Math.abs(solution[i] - exact[i]));
    expect(worst).toBeLessThan(0.5);
  });

  it('is 0 everywhere when no pixel has data', () => {
    const solution = solveMembrane({ width: 20, height: 10, channels: 2, weight: new Float32Array(200), data: new Float32Array(400).fill(7) });
    expect(solution.every((v) => v === 0)).toBe(true);
  });

  it('refuses a negative weight and mismatched lengths', () => {
    expect(() => solveMembrane({ width: 2, height: 2, channels: 1, weight: Float32Array.of(1, -1, 0, 0), data: new Float32Array(4) })).toThrow(FacexError);
    expect(() => solveMembrane({ width: 2, height: 2, channels: 1, weight: new Float32Array(3), data: new Float32Array(4) })).toThrow(FacexError);
  });
});
