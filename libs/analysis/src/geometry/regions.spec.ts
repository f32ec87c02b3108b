import { MASK_SIZE, REGION_NAMES } from '@facex/contracts';
import { applyAffine, composeAffine, invertAffine, rasterizePolygon, scaleAffine } from '@facex/imaging';
import { LANDMARK } from '../topology/mesh-landmarks';
import { alignmentFromMesh, transformPoints } from './alignment';
import { FACE_POLYGONS } from './face-polygons';
import { regionMasks } from './regions';
import { posedFace } from './test-support';

const PLANE = MASK_SIZE * MASK_SIZE;
const IMAGE = 640;
const COLOURS = { background: [90, 110, 140], skin: [224, 172, 140], hair: [60, 40, 30], shirt: [40, 60, 160] } as const;
type Label = keyof typeof COLOURS | 'neck' | 'strand' | 'cap';

interface LayoutOptions {
  yaw?: number;
  /** Paint the hair over the ear zone too (hair hiding the ears). */
  hairOverEars?: boolean;
  /** Paint no hair at all (a bald, skin-coloured head). */
  bald?: boolean;
}

/**
 * Synthetic layout: a face and a half-resolution person mask made of a head ellipse reaching well above the
 * forehead, a body below the jaw and hair strands beside it. The image paints a dark hair cap above the eyes,
 * hair beside the face below the ears, strands hanging beside the skin-coloured neck down past the chin, and
 * a blue shirt; beside the face at ear height the head stays skin-coloured (the ears).
 */
function layout({ yaw = 0, hairOverEars = false, bald = false }: LayoutOptions = {}) {
  const mesh = posedFace({ yaw, pitch: 0, roll: 0 }, { scale: 120, x: 320, y: 300 });
  const y = (i: number) => mesh[3 * i + 1];
  const [eyeY, noseBottomY, chinY] = [y(LANDMARK.rightEyeOuterCorner), y(LANDMARK.noseBottom), y(LANDMARK.chin)];
  // The crop ends ≈ 30 px below the chin: the shirt starts just above that.
  const SHIRT_Y = chinY + 12;
  const ovalRing = Float64Array.from(Array.from(FACE_POLYGONS.faceOval).flatMap((i) => [mesh[3 * i], mesh[3 * i + 1]]));
  const imageOval = rasterizePolygon([ovalRing], IMAGE, IMAGE);
  const inHead = (x: number, yy: number) => ((x - 320) / 190) ** 2 + ((yy - 280) / 210) ** 2 <= 1;
  const inStrand = (x: number, yy: number) => Math.abs(x - 320) >= 110 && Math.abs(x - 320) <= 175 && yy >= noseBottomY + 60 && yy < SHIRT_Y;
  const inBody = (x: number, yy: number) => yy > 470 && Math.abs(x - 320) < 170;
  const label = (x: number, yy: number): Label => {
    if (!inHead(x, yy) && !inBody(x, yy) && !inStrand(x, yy)) return 'background';
    const xi = Math.min(IMAGE - 1, Math.max(0, Math.round(x)));
    const yi = Math.min(IMAGE - 1, Math.max(0, Math.round(yy)));
    if (imageOval[yi * IMAGE + xi] > 0) return 'skin';
    if (yy >= SHIRT_Y) return 'shirt';
    if (bald) return 'skin';
    if (inStrand(x, yy)) return 'strand';
    if (yy < eyeY - 20) return 'cap';
    // Below the jaw (outside the oval, between the hair curtains): the neck.
    if (yy > noseBottomY + 20 && Math.abs(x - 320) < 110) return 'neck';
    const earZone = yy < noseBottomY + 20 && Math.abs(x - 320) < 185;
    return earZone && !hairOverEars ? 'skin' : 'hair';
  };
  const paint = {
    background: COLOURS.background,
    skin: COLOURS.skin,
    neck: COLOURS.skin,
    hair: COLOURS.hair,
    strand: COLOURS.hair,
    cap: COLOURS.hair,
    shirt: COLOURS.shirt,
  };
  const image = { data: new Uint8Array(IMAGE * IMAGE * 3), width: IMAGE, height: IMAGE };
  for (let p = 0; p < IMAGE * IMAGE; p++) image.data.set(paint[label(p % IMAGE, Math.floor(p / IMAGE))], 3 * p);
  const maskSize = IMAGE / 2;
  const data = new Float32Array(maskSize * maskSize);
  for (let my = 0; my < maskSize; my++) {
    for (let mx = 0; mx < maskSize; mx++) {
      const [x, yy] = [2 * mx + 0.5, 2 * my + 0.5];
      data[my * maskSize + mx] = inHead(x, yy) || inBody(x, yy) || inStrand(x, yy) ? 1 : 0;
    }
  }
  const alignment = alignmentFromMesh(mesh);
  const masks = regionMasks({ mesh, alignment, personMask: { data, width: maskSize, height: maskSize }, image, yaw });
  const toCrop = composeAffine(scaleAffine(0.5), alignment);
  const cropPoints = transformPoints(toCrop, mesh, 3);
  const cropOvalRing = Float64Array.from(Array.from(FACE_POLYGONS.faceOval).flatMap((i) => [cropPoints[3 * i], cropPoints[3 * i + 1]]));
  const oval = rasterizePolygon([cropOvalRing], MASK_SIZE, MASK_SIZE);
  const plane = (name: (typeof REGION_NAMES)[number]) => masks.subarray(REGION_NAMES.indexOf(name) * PLANE, (REGION_NAMES.indexOf(name) + 1) * PLANE);
  // What the image shows at each crop pixel.
  const fromCrop = invertAffine(toCrop);
  const labels: Label[] = Array.from({ length: PLANE }, (_, p) => label(...applyAffine(fromCrop, p % MASK_SIZE, Math.floor(p / MASK_SIZE))));
  return { masks, oval, plane, cropPoints, labels };
}

const total = (p: ArrayLike<number>) => Array.from(p).reduce((s, v) => s + v, 0);

/** Mean value (0…1) of `mask` over the crop pixels labelled `label`. */
function meanOver(mask: Uint8Array, labels: Label[], label: Label): number {
  let sum = 0;
  let count = 0;
  labels.forEach((l, p) => {
    if (l !== label) return;
    sum += mask[p];
    count++;
  });
  expect(count).toBeGreaterThan(100);
  return sum / count / 255;
}

/** Ear mass on each side of the nose tip (crop x): [image left, image right]. */
function earMassBySide(ears: Uint8Array, noseX: number): [number, number] {
  let left = 0;
  let right = 0;
  for (let p = 0; p < PLANE; p++) {
    if (p % MASK_SIZE < noseX) left += ears[p];
    else right += ears[p];
  }
  return [left, right];
}

describe('regionMasks', () => {
  const { masks, oval, plane, cropPoints, labels } = layout();

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

  it('marks the dark hair cap as hair and not the skin-coloured neck below it', () => {
    const hair = plane('hair');
    expect(meanOver(hair, labels, 'cap')).toBeGreaterThan(0.8);
    expect(meanOver(hair, labels, 'neck')).toBeLessThan(0.05);
    expect(meanOver(hair, labels, 'shirt')).toBeLessThan(0.05);
  });

  it('keeps hair-coloured strands hanging beside the neck as hair (no cut at the jaw)', () => {
    expect(meanOver(plane('hair'), labels, 'strand')).toBeGreaterThan(0.5);
  });

  it('puts most of the hair above the brows', () => {
    const hair = plane('hair');
    const browY = cropPoints[3 * 105 + 1];
    let above = 0;
    for (let p = 0; p < PLANE; p++) if (Math.floor(p / MASK_SIZE) < browY) above += hair[p];
    expect(above / total(hair)).toBeGreaterThan(0.6);
  });

  it('places ears beside the oval at eye-to-nose height, inside the person', () => {
    const ears = plane('ears');
    const top = cropPoints[3 * LANDMARK.rightEyeOuterCorner + 1] - 12;
    const bottom = cropPoints[3 * LANDMARK.noseBottom + 1] + 12;
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

  it('gives both ears about the same weight on a frontal face and fades the far ear as the head turns', () => {
    const [frontLeft, frontRight] = earMassBySide(plane('ears'), cropPoints[3 * LANDMARK.noseTip]);
    expect(frontLeft / frontRight).toBeGreaterThan(0.7);
    expect(frontLeft / frontRight).toBeLessThan(1.4);
    // yaw > 0 turns the face toward the image's left: the ear on the image's left goes behind the head.
    const turned = layout({ yaw: 30 });
    const [farSide, nearSide] = earMassBySide(turned.plane('ears'), turned.cropPoints[3 * LANDMARK.noseTip]);
    expect(nearSide).toBeGreaterThan(255 * 100);
    expect(farSide / nearSide).toBeLessThan(0.4);
    expect(
      total(
        layout({ yaw: -45 })
          .plane('ears')
          .filter((_, p) => p % MASK_SIZE > 128),
      ),
    ).toBe(0);
  });

  it('rejects ears where the colour is hair rather than skin', () => {
    const covered = layout({ hairOverEars: true });
    expect(total(covered.plane('ears'))).toBeLessThan(0.2 * total(plane('ears')));
  });

  it('finds no hair on a bald, skin-coloured head', () => {
    const bald = layout({ bald: true });
    let head = 0;
    for (let p = 0; p < PLANE; p++) if (bald.labels[p] === 'skin') head += 255 * (1 - bald.oval[p]);
    expect(total(bald.plane('hair'))).toBeLessThan(0.05 * head);
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

  describe('input checks', () => {
    const mesh = posedFace({ yaw: 0, pitch: 0, roll: 0 });
    const image = { data: new Uint8Array(640 * 480 * 3), width: 640, height: 480 };
    const personMask = { data: new Float32Array(16), width: 4, height: 4 };

    it('rejects a person mask whose buffer does not match its size', () => {
      expect(() =>
        regionMasks({ mesh, alignment: alignmentFromMesh(mesh), personMask: { data: new Float32Array(5), width: 4, height: 4 }, image, yaw: 0 }),
      ).toThrow(expect.objectContaining({ details: { field: 'personMask' } }));
    });

    it('rejects a non-finite yaw and an image whose buffer does not match its size', () => {
      expect(() => regionMasks({ mesh, alignment: alignmentFromMesh(mesh), personMask, image, yaw: Number.NaN })).toThrow(
        expect.objectContaining({ details: { field: 'yaw' } }),
      );
      expect(() => regionMasks({ mesh, alignment: alignmentFromMesh(mesh), personMask, image: { ...image, width: 10 }, yaw: 0 })).toThrow(
        expect.objectContaining({ details: { field: 'image' } }),
      );
    });
  });
});
