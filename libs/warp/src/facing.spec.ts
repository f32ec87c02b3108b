import { MESH_POINTS } from '@facex/contracts';
import { MIN_FACING, triangleFacing, visibleSourceTriangles } from './facing';
import { hiddenTest } from './occlusion';
import type { FaceFit } from './output-mesh';
import { CANONICAL_FACE, EXTENDED_TRIANGLES, FACE_TRIANGLE_COUNT, FACE_TRIANGLES, MIRROR_INDEX } from './topology';

/** The canonical face turned by `yaw` degrees about the vertical axis, 100 px per canonical unit in a 512 px crop. */
function turnedFit(yaw: number): FaceFit {
  const c = Math.cos((yaw * Math.PI) / 180),
    s = Math.sin((yaw * Math.PI) / 180);
  const rotation: FaceFit['rotation'] = [c, 0, s, 0, 1, 0, -s, 0, c];
  const crop = new Float32Array(MESH_POINTS * 2);
  for (let i = 0; i < MESH_POINTS; i++) {
    const [x, y, z] = [CANONICAL_FACE[3 * i], CANONICAL_FACE[3 * i + 1], CANONICAL_FACE[3 * i + 2]];
    crop[2 * i] = 256 + 100 * (c * x + s * z);
    crop[2 * i + 1] = 200 + 100 * y;
  }
  return { pose: { yaw, pitch: 0, roll: 0 }, rotation, scale: 100, translation: [256, 200, 0], canonical: CANONICAL_FACE, crop };
}

/** Mean canonical x of a face triangle's corners: < 0 on one side of the face, > 0 on the other. */
const sideOf = (t: number) =>
  (CANONICAL_FACE[3 * FACE_TRIANGLES[3 * t]] + CANONICAL_FACE[3 * FACE_TRIANGLES[3 * t + 1]] + CANONICAL_FACE[3 * FACE_TRIANGLES[3 * t + 2]]) / 3;

describe('triangleFacing', () => {
  it('shows a frontal face squarely and a turned face’s far side obliquely', () => {
    const frontal = triangleFacing(turnedFit(0));
    expect(frontal.filter((v) => v > 0).length).toBeGreaterThan(0.9 * FACE_TRIANGLE_COUNT);
    const turned = triangleFacing(turnedFit(50));
    // Turning by a positive yaw brings the +x side toward the camera.
    const near = Array.from(turned).filter((_, t) => sideOf(t) > 0.5),
      far = Array.from(turned).filter((_, t) => sideOf(t) < -0.5);
    const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
    expect(mean(near)).toBeGreaterThan(mean(far) + 0.5);
  });
});

describe('hiddenTest', () => {
  it('hides almost nothing of a frontal face and only far-side triangles of a face turned 70°', () => {
    const countHidden = (yaw: number) => {
      const hidden = hiddenTest(turnedFit(yaw));
      const found: number[] = [];
      for (let t = 0; t < FACE_TRIANGLE_COUNT; t++) if (hidden(FACE_TRIANGLES[3 * t], FACE_TRIANGLES[3 * t + 1], FACE_TRIANGLES[3 * t + 2])) found.push(t);
      return found;
    };
    const frontal = countHidden(0);
    // Frontal: only a few triangles folded behind the face's edge (by the ears) are hidden.
    expect(frontal.length).toBeLessThan(0.01 * FACE_TRIANGLE_COUNT);
    expect(frontal.every((t) => Math.abs(sideOf(t)) > 1)).toBe(true);
    const turned = countHidden(70);
    expect(turned.length).toBeGreaterThan(5 * frontal.length);
    expect(turned.every((t) => sideOf(t) < 0)).toBe(true);
  });
});

describe('visibleSourceTriangles', () => {
  it('reads every triangle of a frontal face from itself', () => {
    expect(Array.from(visibleSourceTriangles(turnedFit(0)))).toEqual(Array.from(EXTENDED_TRIANGLES));
  });

  it('reads the far side of a turned face from its mirror triangle on the near side', () => {
    const fit = turnedFit(60);
    const corners = visibleSourceTriangles(fit);
    const facing = triangleFacing(fit);
    const replaced: number[] = [];
    for (let t = 0; t < FACE_TRIANGLE_COUNT; t++) {
      if (corners[3 * t] === FACE_TRIANGLES[3 * t] && corners[3 * t + 1] === FACE_TRIANGLES[3 * t + 1] && corners[3 * t + 2] === FACE_TRIANGLES[3 * t + 2])
        continue;
      replaced.push(t);
      for (let k = 0; k < 3; k++) expect(corners[3 * t + k]).toBe(MIRROR_INDEX[FACE_TRIANGLES[3 * t + k]]);
    }
    expect(replaced.length).toBeGreaterThan(20);
    expect(replaced.every((t) => sideOf(t) < 0)).toBe(true);
    expect(replaced.some((t) => facing[t] < MIN_FACING)).toBe(true);
    // The rings around the face are never replaced.
    expect(Array.from(corners.subarray(3 * FACE_TRIANGLE_COUNT))).toEqual(Array.from(EXTENDED_TRIANGLES.subarray(3 * FACE_TRIANGLE_COUNT)));
  });
});
