import { MESH_POINTS } from '@facex/contracts';
import { CANONICAL_FACE, FACE_TRIANGLES, FACE_UV, MIRROR_INDEX } from './mesh-data';
import { IRIS_MODEL_CONTOUR_POINTS, irisContourToMesh, LANDMARK, MESH_ANNOTATIONS, NOSE_POINTS } from './mesh-landmarks';
import meshTopology from './mesh-topology.json';

describe('mesh triangulation and UV map', () => {
  it('has 880 triangles whose indices are mesh points and are never degenerate', () => {
    expect(FACE_TRIANGLES.length).toBe(880 * 3);
    for (let t = 0; t < FACE_TRIANGLES.length; t += 3) {
      const [a, b, c] = FACE_TRIANGLES.subarray(t, t + 3);
      expect(Math.max(a, b, c)).toBeLessThan(MESH_POINTS);
      expect(new Set([a, b, c]).size).toBe(3);
    }
  });

  it('uses every mesh point in some triangle, so the triangles cover the whole face oval', () => {
    const used = new Set(FACE_TRIANGLES);
    expect(used.size).toBe(MESH_POINTS);
  });

  it('forms a manifold surface (no edge in more than two triangles) with the silhouette on its open boundary', () => {
    const edgeCount = new Map<string, number>();
    for (let t = 0; t < FACE_TRIANGLES.length; t += 3) {
      for (let k = 0; k < 3; k++) {
        const a = FACE_TRIANGLES[t + k];
        const b = FACE_TRIANGLES[t + ((k + 1) % 3)];
        const key = a < b ? `${a}-${b}` : `${b}-${a}`;
        edgeCount.set(key, (edgeCount.get(key) ?? 0) + 1);
      }
    }
    const boundary = new Set<number>();
    for (const [key, n] of edgeCount) {
      expect(n).toBeLessThanOrEqual(2);
      if (n === 1) key.split('-').forEach((v) => boundary.add(Number(v)));
    }
    // Open holes at the eyes and mouth are boundaries too; the silhouette must be among them.
    for (const i of MESH_ANNOTATIONS.silhouette) expect(boundary.has(i)).toBe(true);
  });

  it('has 468 UV points inside [0, 1]', () => {
    expect(FACE_UV.length).toBe(MESH_POINTS * 2);
    for (const v of FACE_UV) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
  });

  it('records that every named index set matched Human annotations when the data was built', () => {
    const check = meshTopology.provenance.annotationCheck;
    expect(check.faces).toBeGreaterThan(0);
    expect(check.names).toBe(Object.keys(MESH_ANNOTATIONS).length);
    expect(Object.values(check.mismatches).every((n) => n === 0)).toBe(true);
  });

  it("records that the iris model's contour points landed on the mesh points the ranges name", () => {
    const check = meshTopology.provenance.irisContourCheck;
    expect(check.eyes).toBeGreaterThan(0);
    // Within a fraction of an eye width (crude axis-aligned crops), far closer than a wrong (shifted) mapping.
    expect(check.meanErrorPerEyeWidth).toBeLessThan(0.3);
    expect(check.meanErrorPerEyeWidth * 3).toBeLessThan(check.shiftedMappingErrorPerEyeWidth);
  });
});

describe('named index sets', () => {
  it('select valid, distinct mesh points', () => {
    for (const indices of [...Object.values(MESH_ANNOTATIONS), NOSE_POINTS, Object.values(LANDMARK)]) {
      expect(new Set(indices).size).toBe(indices.length);
      for (const i of indices) expect(i).toBeLessThan(MESH_POINTS);
    }
  });

  it('map the 71 iris-model contour points onto the eye contours of the chosen eye', () => {
    const right = irisContourToMesh('right');
    const left = irisContourToMesh('left');
    expect(right.length).toBe(IRIS_MODEL_CONTOUR_POINTS);
    expect(new Set(right).size).toBe(IRIS_MODEL_CONTOUR_POINTS);
    expect(right[0]).toBe(LANDMARK.rightEyeOuterCorner);
    expect(left[0]).toBe(LANDMARK.leftEyeOuterCorner);
    // Every left-eye point is the mirror of the right-eye point with the same iris-model index.
    right.forEach((r, k) => expect(MIRROR_INDEX[r]).toBe(left[k]));
  });
});

describe('canonical face', () => {
  const point = (i: number) => Array.from(CANONICAL_FACE.subarray(3 * i, 3 * i + 3));

  it('is symmetric: every point mirrors onto its pair across x = 0', () => {
    for (let i = 0; i < MESH_POINTS; i++) {
      const j = MIRROR_INDEX[i];
      expect(MIRROR_INDEX[j]).toBe(i);
      expect(CANONICAL_FACE[3 * j]).toBeCloseTo(-CANONICAL_FACE[3 * i], 4);
      expect(CANONICAL_FACE[3 * j + 1]).toBeCloseTo(CANONICAL_FACE[3 * i + 1], 4);
      expect(CANONICAL_FACE[3 * j + 2]).toBeCloseTo(CANONICAL_FACE[3 * i + 2], 4);
    }
  });

  it('is frontal and upright: left eye at +x, mouth below the eyes, nose tip toward the camera', () => {
    expect(point(LANDMARK.leftEyeOuterCorner)[0]).toBeGreaterThan(0);
    expect(point(LANDMARK.rightEyeOuterCorner)[0]).toBeLessThan(0);
    expect(point(LANDMARK.chin)[1]).toBeGreaterThan(point(LANDMARK.noseTip)[1]);
    expect(point(LANDMARK.noseTip)[1]).toBeGreaterThan(point(LANDMARK.foreheadTop)[1]);
    expect(point(LANDMARK.noseTip)[2]).toBeLessThan(point(LANDMARK.rightEyeOuterCorner)[2]);
  });
});
