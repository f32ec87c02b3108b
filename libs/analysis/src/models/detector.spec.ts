import { applyAffine } from '@facex/imaging';
import { decodeDetections, detectorAnchors, intersectionOverUnion, letterboxMatrix, suppressOverlaps, type Detection } from './detector';

const detection = (x: number, y: number, size: number, score: number): Detection => ({
  box: { x, y, width: size, height: size },
  score,
  keypoints: new Float32Array(12).fill(x),
});

describe('detector decoding', () => {
  it('lays out 896 anchors: 16×16 cells with 2 each, then 8×8 cells with 6 each', () => {
    const anchors = detectorAnchors();
    expect(anchors.length).toBe(896 * 2);
    expect(Array.from(anchors.subarray(0, 6))).toEqual([8, 8, 8, 8, 24, 8]);
    expect(Array.from(anchors.subarray(512 * 2, 512 * 2 + 2))).toEqual([16, 16]);
    expect(Array.from(anchors.subarray(-2))).toEqual([240, 240]);
  });

  it('letterboxes a wide region centred into the square, keeping its aspect', () => {
    const m = letterboxMatrix({ x: 100, y: 50, width: 800, height: 400 }, 256);
    const [left, top] = applyAffine(m, 100 - 0.5, 50 - 0.5);
    const [right, bottom] = applyAffine(m, 900 - 0.5, 450 - 0.5);
    expect(left).toBeCloseTo(-0.5, 6);
    expect(right).toBeCloseTo(255.5, 6);
    expect(top).toBeCloseTo(64 - 0.5, 6);
    expect(bottom).toBeCloseTo(192 - 0.5, 6);
  });

  it('decodes an anchor offset and size back into image pixels through the letterbox', () => {
    const scores = new Float32Array(896).fill(-10);
    const regressors = new Float32Array(896 * 16);
    const anchor = 512 + 8 * 6 * 3 + 6 * 4; // coarse layer, row 3, column 4: centre (144, 112)
    scores[anchor] = 3;
    regressors.set([2, -4, 40, 48, 1, 1], anchor * 16);
    const matrix = letterboxMatrix({ x: 0, y: 0, width: 512, height: 512 }, 256);
    const [found] = decodeDetections(scores, regressors, matrix, 0.5);
    expect(found.score).toBeCloseTo(1 / (1 + Math.exp(-3)), 6);
    expect(found.box.width).toBeCloseTo(80, 4);
    expect(found.box.height).toBeCloseTo(96, 4);
    expect(found.box.x + found.box.width / 2 + 0.5).toBeCloseTo((144 + 2) * 2, 4);
    expect(found.box.y + found.box.height / 2 + 0.5).toBeCloseTo((112 - 4) * 2, 4);
    expect(found.keypoints[0] + 0.5).toBeCloseTo((144 + 1) * 2, 4);
    expect(decodeDetections(scores, regressors, matrix, 0.96)).toHaveLength(0);
  });

  it('merges overlapping candidates into their score-weighted mean and keeps separate faces apart', () => {
    const kept = suppressOverlaps([detection(0, 0, 100, 0.9), detection(10, 0, 100, 0.6), detection(500, 500, 50, 0.8)], 0.3);
    expect(kept).toHaveLength(2);
    expect(kept[0].score).toBe(0.9);
    expect(kept[0].box.x).toBeCloseTo((0 * 0.9 + 10 * 0.6) / 1.5, 6);
    expect(kept[1].box.x).toBe(500);
  });

  it('measures intersection over union', () => {
    expect(intersectionOverUnion({ x: 0, y: 0, width: 10, height: 10 }, { x: 5, y: 0, width: 10, height: 10 })).toBeCloseTo(50 / 150, 9);
    expect(intersectionOverUnion({ x: 0, y: 0, width: 10, height: 10 }, { x: 20, y: 0, width: 10, height: 10 })).toBe(0);
  });
});
