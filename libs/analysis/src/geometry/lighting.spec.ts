import { MESH_POINTS } from '@facex/contracts';
import { LANDMARK, MESH_ANNOTATIONS } from '../topology/mesh-landmarks';
import { fitLighting, shBasis, SKIN_VERTICES, vertexNormals } from './lighting';
import { posedFace } from './test-support';

const SIZE = 1000;

/** A large frontal face with vertices on whole pixels, so sampling a vertex reads exactly its own pixel. */
function faceOnPixelGrid(): Float32Array {
  const mesh = posedFace({ yaw: 0, pitch: 0, roll: 0 }, { scale: 300, x: 500, y: 420 });
  for (let i = 0; i < MESH_POINTS; i++) {
    mesh[3 * i] = Math.round(mesh[3 * i]);
    mesh[3 * i + 1] = Math.round(mesh[3 * i + 1]);
  }
  return mesh;
}

/** Image whose pixel under every skin vertex holds `shade(normal)` per channel (0…1). */
function render(mesh: Float32Array, shade: (nx: number, ny: number, nz: number, channel: number) => number) {
  const data = new Uint8Array(SIZE * SIZE * 3);
  const normals = vertexNormals(mesh);
  for (const i of SKIN_VERTICES) {
    const o = (mesh[3 * i + 1] * SIZE + mesh[3 * i]) * 3;
    for (let c = 0; c < 3; c++) data[o + c] = Math.round(255 * Math.min(1, Math.max(0, shade(normals[3 * i], normals[3 * i + 1], normals[3 * i + 2], c))));
  }
  return { data, width: SIZE, height: SIZE };
}

describe('fitLighting', () => {
  const mesh = faceOnPixelGrid();

  it('recovers the coefficients of a synthetic shading made from known SH lighting', () => {
    const truth = Float32Array.from(
      [
        [1.5, 0.1, -0.2, 0.3, 0.05, -0.04, 0.1, 0.06, -0.05],
        [1.2, -0.05, -0.3, -0.2, 0.02, 0.03, -0.05, 0.04, 0.03],
        [1.0, 0.2, -0.1, 0.05, -0.03, 0.02, 0.04, -0.05, 0.06],
      ].flat(),
    );
    const basis = new Float64Array(9);
    const image = render(mesh, (x, y, z, c) => {
      shBasis(x, y, z, basis);
      return basis.reduce((s, b, k) => s + b * truth[c * 9 + k], 0);
    });
    const fitted = fitLighting(mesh, image);
    expect(fitted.length).toBe(27);
    fitted.forEach((v, k) => expect(Math.abs(v - truth[k])).toBeLessThan(0.03));
  });

  it('flips the sign of the first-order x coefficient between light from the left and from the right', () => {
    // Lambertian light from direction (lx, 0, −0.7): beside and in front of the face (−z is toward the camera).
    const lambert = (lx: number) => (x: number, _y: number, z: number) => 0.1 + 0.8 * Math.max(0, (x * lx - 0.7 * z) / Math.hypot(lx, 0.7));
    const fromLeft = fitLighting(mesh, render(mesh, lambert(-0.7)));
    const fromRight = fitLighting(mesh, render(mesh, lambert(0.7)));
    for (let c = 0; c < 3; c++) {
      expect(fromLeft[c * 9 + 3]).toBeLessThan(-0.05);
      expect(fromRight[c * 9 + 3]).toBeGreaterThan(0.05);
    }
  });

  it('samples only skin: no eye, brow or lip vertex is a skin vertex', () => {
    const excluded = new Set<number>([
      ...MESH_ANNOTATIONS.rightEyeUpper0,
      ...MESH_ANNOTATIONS.leftEyeLower0,
      ...MESH_ANNOTATIONS.rightEyebrowUpper,
      ...MESH_ANNOTATIONS.lipsLowerInner,
      LANDMARK.upperLipTop,
      LANDMARK.lowerLipBottom,
    ]);
    expect(SKIN_VERTICES.length).toBeGreaterThan(200);
    for (const i of SKIN_VERTICES) expect(excluded.has(i)).toBe(false);
  });

  it('orients normals out of the face: toward the camera at the nose tip, sideways at the cheeks', () => {
    const normals = vertexNormals(mesh);
    expect(normals[3 * LANDMARK.noseTip + 2]).toBeLessThan(-0.8);
    expect(normals[3 * 234]).toBeLessThan(-0.3);
    expect(normals[3 * 454]).toBeGreaterThan(0.3);
  });

  it('rejects an image buffer of the wrong size', () => {
    expect(() => fitLighting(mesh, { data: new Uint8Array(10), width: SIZE, height: SIZE })).toThrow(expect.objectContaining({ details: { field: 'image' } }));
  });
});
