import { MESH_POINTS } from '@facex/contracts';
import { EXTENDED_MIRROR, EXTENDED_POINTS, EXTENDED_TRIANGLES, FACE_TRIANGLE_COUNT, RING_SCALES, SILHOUETTE, withRings } from './topology';

describe('extended warp topology', () => {
  it('adds two triangles per oval edge for each ring, all within the extended points', () => {
    expect(EXTENDED_TRIANGLES.length / 3).toBe(FACE_TRIANGLE_COUNT + 2 * SILHOUETTE.length * RING_SCALES.length);
    expect(Math.max(...EXTENDED_TRIANGLES)).toBe(EXTENDED_POINTS - 1);
  });

  it('mirrors every extended point onto a point that mirrors back', () => {
    for (let i = 0; i < EXTENDED_POINTS; i++) expect(EXTENDED_MIRROR[EXTENDED_MIRROR[i]]).toBe(i);
  });

  it('places the rings at their multiples of the oval around its centroid', () => {
    const mesh = new Float32Array(MESH_POINTS * 2);
    SILHOUETTE.forEach((i, k) => {
      mesh[2 * i] = 100 + 10 * Math.cos((2 * Math.PI * k) / SILHOUETTE.length);
      mesh[2 * i + 1] = 50 + 10 * Math.sin((2 * Math.PI * k) / SILHOUETTE.length);
    });
    const extended = withRings(mesh);
    const first = 2 * (MESH_POINTS + SILHOUETTE.length); // ring 1, oval point 0
    expect(extended[first]).toBeCloseTo(100 + 10 * RING_SCALES[1], 3);
    expect(extended[first + 1]).toBeCloseTo(50, 3);
  });
});
