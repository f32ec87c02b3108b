import { MIRROR_INDEX } from '../topology/mesh-data';
import { convexHullRing, FACE_POLYGONS, insideRing } from './face-polygons';

describe('convexHullRing', () => {
  it('keeps the hull corners in order and drops interior points', () => {
    const points = [0, 0, 0, 4, 0, 0, 4, 4, 0, 0, 4, 0, 2, 2, 0, 2, 0, 0];
    const ring = Array.from(convexHullRing(points, [0, 1, 2, 3, 4, 5]));
    expect(ring.sort()).toEqual([0, 1, 2, 3]);
  });
});

describe('insideRing', () => {
  it('tells inside from outside of a concave ring', () => {
    // An L shape.
    const points = [0, 0, 0, 4, 0, 0, 4, 1, 0, 1, 1, 0, 1, 4, 0, 0, 4, 0];
    const ring = [0, 1, 2, 3, 4, 5];
    expect(insideRing(points, ring, 0.5, 3)).toBe(true);
    expect(insideRing(points, ring, 3, 0.5)).toBe(true);
    expect(insideRing(points, ring, 3, 3)).toBe(false);
  });
});

describe('FACE_POLYGONS', () => {
  it('has mirror-image outlines for the two eyes and the two brows', () => {
    const mirrored = (ring: Uint16Array) => new Set(Array.from(ring, (i) => MIRROR_INDEX[i]));
    expect(mirrored(FACE_POLYGONS.rightEye)).toEqual(new Set(FACE_POLYGONS.leftEye));
    expect(mirrored(FACE_POLYGONS.rightBrow)).toEqual(new Set(FACE_POLYGONS.leftBrow));
    expect(mirrored(FACE_POLYGONS.nose)).toEqual(new Set(FACE_POLYGONS.nose));
  });
});
