import { MASK_SIZE, REGION_NAMES } from '@facex/contracts';
import { composeAffine, rasterizePolygon, scaleAffine } from '@facex/imaging';
import { LANDMARK } from '../topology/mesh-landmarks';
import { alignmentFromMesh, transformPoints } from './alignment';
import { FACE_POLYGONS } from './face-polygons';
import { regionMasks } from './regions';
import { posedFace } from './test-support';

const PLANE = MASK_SIZE * MASK_SIZE;
const IMAGE = 640;

/**
 * Synthetic layout: a frontal face (inter-ocular distance 120 px) and a half-resolution person mask made of a
 * head ellipse reaching well above the forehead (the hair) and a body block below the chin.
 */
function layout() {
  const mesh = posedFace({ yaw: 0, pitch: 0, roll: 0 }, { scale: 120, x: 320, y: 300 });
  const maskSize = IMAGE / 2;
  const data = new Float32Array(maskSize * maskSize);
  for (let my = 0; my < maskSize; my++) {
    for (let mx = 0; mx < maskSize; mx++) {
      const [x, y] = [2 * mx + 0.5, 2 * my + 0.5];
      const inHead = ((x - 320) / 190) ** 2 + ((y - 280) / 210) ** 2 <= 1;
      const inBody = y > 470 && Math.abs(x - 320) < 170;
      data[my * maskSize + mx] = inHead || inBody ? 1 : 0;
    }
  }
  const alignment = alignmentFromMesh(mesh);
  const masks = regionMasks({ mesh, alignment, personMask: { data, width: maskSize, height: maskSize }, imageWidth: IMAGE, imageHeight: IMAGE });
  const cropPoints = transformPoints(composeAffine(scaleAffine(0.5), alignment), mesh, 3);
  const ovalRing = Float64Array.from(Array.from(FACE_POLYGONS.faceOval).flatMap((i) => [cropPoints[3 * i], cropPoints[3 * i + 1]]));
  const oval = rasterizePolygon([ovalRing], MASK_SIZE, MASK_SIZE);
  const plane = (name: (typeof REGION_NAMES)[number]) => masks.subarray(REGION_NAMES.indexOf(name) * PLANE, (REGION_NAMES.indexOf(name) + 1) * PLANE);
  return { masks, oval, plane, cropPoints };
}

const total = (p: ArrayLike<number>) => Array.from(p).reduce((s, v) => s + v, 0);

describe('regionMasks', () => {
  const { masks, oval, plane, cropPoints } = layout();

  it('returns one 256 × 256 plane per region name, plane-major', () => {
    expect(masks.length).toBe(REGION_NAMES.length * MASK_SIZE * MASK_SIZE);
    for (const name of REGION_NAMES) expect(total(plane(name))).toBeGreaterThan(0);
  });

  it('keeps eyes, lips, nose and eyebrows inside the face oval', () => {
    for (const name of ['eyes', 'lips', 'nose', 'eyebrows'] as const) {
      const part = plane(name);
      let outside = 0;
      for (let p = 0; p < PLANE; p++) outside += part[p] * (1 - oval[p]);
      expect(outside / total(part)).toBeLessThan(0.02);
    }
  });

  it('puts the hair above the brows (and none below the jaw line)', () => {
    const hair = plane('hair');
    const browY = cropPoints[3 * 105 + 1];
    const chinY = cropPoints[3 * LANDMARK.chin + 1];
    let above = 0;
    let belowChin = 0;
    for (let p = 0; p < PLANE; p++) {
      const y = Math.floor(p / MASK_SIZE);
      if (y < browY) above += hair[p];
      if (y > chinY + 2) belowChin += hair[p];
    }
    expect(above / total(hair)).toBeGreaterThan(0.7);
    expect(belowChin).toBe(0);
  });

  it('places ears beside the oval at eye-to-nose height, inside the person', () => {
    const ears = plane('ears');
    const top = cropPoints[3 * LANDMARK.rightEyeOuterCorner + 1] - 3;
    const bottom = cropPoints[3 * LANDMARK.noseBottom + 1] + 3;
    let inBand = 0;
    let onFace = 0;
    for (let p = 0; p < PLANE; p++) {
      const y = Math.floor(p / MASK_SIZE);
      if (y >= top && y <= bottom) inBand += ears[p];
      onFace += ears[p] * oval[p];
    }
    expect(total(ears)).toBeGreaterThan(255 * 100);
    expect(inBand / total(ears)).toBeGreaterThan(0.95);
    expect(onFace / total(ears)).toBeLessThan(0.02);
  });

  it('is disjoint up to anti-aliased edges: the planes sum to at most 255 (+2%) on 99.5% of pixels', () => {
    let over = 0;
    for (let p = 0; p < PLANE; p++) {
      let sum = 0;
      for (let r = 0; r < REGION_NAMES.length; r++) sum += masks[r * PLANE + p];
      if (sum > 255 * 1.02) over++;
    }
    expect(over / PLANE).toBeLessThan(0.005);
  });

  it('makes the background the complement of the person mask', () => {
    const background = plane('background');
    expect(background[0]).toBe(255);
    const centre = Math.round(cropPoints[3 * LANDMARK.noseTip + 1]) * MASK_SIZE + Math.round(cropPoints[3 * LANDMARK.noseTip]);
    expect(background[centre]).toBe(0);
    expect(plane('skin')[centre - 20 * MASK_SIZE - 25]).toBeGreaterThan(200);
  });

  it('rejects a person mask whose buffer does not match its size', () => {
    const mesh = posedFace({ yaw: 0, pitch: 0, roll: 0 });
    expect(() =>
      regionMasks({ mesh, alignment: alignmentFromMesh(mesh), personMask: { data: new Float32Array(5), width: 4, height: 4 }, imageWidth: 640, imageHeight: 480 }),
    ).toThrow(expect.objectContaining({ details: { field: 'personMask' } }));
  });
});
