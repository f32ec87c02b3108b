import sharp from 'sharp';
import { MASK_SIZE, REGION_NAMES, isFacexError, type FaceRepresentation, type RegionName } from '@facex/contracts';
import { composeAffine, scaleAffine } from '@facex/imaging';
import { FaceAnalyzer } from './face-analyzer';
import { transformPoints } from './geometry/alignment';
import { convexHullRing, insideRing } from './geometry/face-polygons';
import { pngDeclaring } from './testing/png-header';
import { samplePhoto, SAMPLE_PHOTOS } from './testing/sample-photos';
import { MESH_ANNOTATIONS } from './topology/mesh-landmarks';

const cosine = (a: Float32Array, b: Float32Array) => a.reduce((sum, v, i) => sum + v * b[i], 0);
const meanGazeYaw = (rep: FaceRepresentation) => (rep.motion.gaze.left.yaw + rep.motion.gaze.right.yaw) / 2;
const PLANE = MASK_SIZE * MASK_SIZE;

function plane(rep: FaceRepresentation, region: RegionName): Uint8Array {
  const r = REGION_NAMES.indexOf(region);
  return rep.masks.subarray(r * PLANE, (r + 1) * PLANE);
}

/**
 * Share of a region's mask mass inside the face outline: the convex hull of the silhouette landmarks (a
 * turned head folds the far side of the silhouette inward, so the raw contour can cut across an eye).
 */
function shareInsideFace(rep: FaceRepresentation, region: RegionName): number {
  const toMask = composeAffine(scaleAffine(MASK_SIZE / 512), rep.alignment.matrix);
  const points = transformPoints(toMask, rep.landmarks, 3);
  const outline = convexHullRing(points, MESH_ANNOTATIONS.silhouette);
  const mask = plane(rep, region);
  let inside = 0;
  let total = 0;
  for (let i = 0; i < PLANE; i++) {
    if (!mask[i]) continue;
    total += mask[i];
    if (insideRing(points, outline, i % MASK_SIZE, Math.floor(i / MASK_SIZE))) inside += mask[i];
  }
  return inside / total;
}

/** The row above which `share` of a region's mask mass lies, on the 256 px aligned crop. */
function massQuantileRow(rep: FaceRepresentation, region: RegionName, share: number): number {
  const mask = plane(rep, region);
  let total = 0;
  for (const v of mask) total += v;
  let seen = 0;
  for (let i = 0; i < PLANE; i++) {
    seen += mask[i];
    if (seen >= share * total) return Math.floor(i / MASK_SIZE);
  }
  return MASK_SIZE;
}

/** The face in `faces` whose box centre is nearest to (x, y). */
function nearestFace(faces: FaceRepresentation[], x: number, y: number): FaceRepresentation {
  const distance = (f: FaceRepresentation) => Math.hypot(f.detection.box.x + f.detection.box.width / 2 - x, f.detection.box.y + f.detection.box.height / 2 - y);
  return faces.reduce((best, f) => (distance(f) < distance(best) ? f : best));
}

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error) => error,
  );
}

describe('FaceAnalyzer on the sample photos', () => {
  let analyzer: FaceAnalyzer;
  const faces = new Map<string, FaceRepresentation[]>();

  beforeAll(async () => {
    analyzer = await FaceAnalyzer.open({ workers: 2 });
    for (const { name } of SAMPLE_PHOTOS) faces.set(name, await analyzer.analyzeAll(samplePhoto(name)));
  });
  afterAll(() => analyzer.close());

  it('finds every face in every photo, largest first', () => {
    for (const { name, faces: count } of SAMPLE_PHOTOS) {
      const found = faces.get(name)!;
      expect({ name, count: found.length }).toEqual({ name, count });
      const areas = found.map((f) => f.detection.box.width * f.detection.box.height);
      expect(areas).toEqual([...areas].sort((a, b) => b - a));
      expect(found.every((f, i) => f.faceIndex === i && f.faceCount === count)).toBe(true);
    }
  });

  it('keeps identity through a mirror, a rescale and a recompression, well apart from other people', async () => {
    const all = [...faces.values()].flat();
    let closestStranger = -1;
    for (let i = 0; i < all.length; i++) {
      for (let j = i + 1; j < all.length; j++) closestStranger = Math.max(closestStranger, cosine(all[i].identity, all[j].identity));
    }
    const photo = samplePhoto('sample1.jpg');
    const { width } = await sharp(photo).metadata();
    const variants = [
      { bytes: await sharp(photo).flop().jpeg({ quality: 95 }).toBuffer(), map: (x: number, y: number) => [width! - 1 - x, y] },
      { bytes: await sharp(photo).resize(1100).jpeg({ quality: 95 }).toBuffer(), map: (x: number, y: number) => [(x * 1100) / width!, (y * 1100) / width!] },
      { bytes: await sharp(photo).jpeg({ quality: 40 }).toBuffer(), map: (x: number, y: number) => [x, y] },
    ];
    let weakestSelf = 1;
    for (const { bytes, map } of variants) {
      const copies = await analyzer.analyzeAll(bytes);
      for (const original of faces.get('sample1.jpg')!) {
        const { box } = original.detection;
        const [x, y] = map(box.x + box.width / 2, box.y + box.height / 2);
        weakestSelf = Math.min(weakestSelf, cosine(original.identity, nearestFace(copies, x, y).identity));
      }
    }
    expect(closestStranger).toBeLessThan(0.6);
    expect(weakestSelf).toBeGreaterThan(0.8);
    expect(weakestSelf - closestStranger).toBeGreaterThan(0.25);
  });

  it('flips the sign of yaw and of gaze yaw on a horizontal mirror', async () => {
    const photo = samplePhoto('sample3.jpg');
    const { width } = await sharp(photo).metadata();
    const mirrored = await analyzer.analyzeAll(await sharp(photo).flop().png().toBuffer());
    for (const original of faces.get('sample3.jpg')!) {
      const { box } = original.detection;
      const copy = nearestFace(mirrored, width! - 1 - (box.x + box.width / 2), box.y + box.height / 2);
      expect(Math.abs(original.motion.pose.yaw)).toBeGreaterThan(5);
      expect(Math.sign(copy.motion.pose.yaw)).toBe(-Math.sign(original.motion.pose.yaw));
      expect(Math.abs(copy.motion.pose.yaw + original.motion.pose.yaw)).toBeLessThan(6);
      expect(Math.abs(copy.motion.pose.pitch - original.motion.pose.pitch)).toBeLessThan(4);
    }
    // gaze: the same eyes looking one way, then (mirrored) the other
    const sideways = faces.get('sample3.jpg')!.filter((f) => Math.abs(meanGazeYaw(f)) > 8);
    expect(sideways.length).toBeGreaterThan(0);
    for (const original of sideways) {
      const { box } = original.detection;
      const copy = nearestFace(mirrored, width! - 1 - (box.x + box.width / 2), box.y + box.height / 2);
      expect(Math.sign(meanGazeYaw(copy))).toBe(-Math.sign(meanGazeYaw(original)));
    }
  });

  it('puts eyes and lips inside the face and hair above the brows', () => {
    for (const rep of [...faces.values()].flat()) {
      // past about 25° of yaw the far eye's contour crosses the projected (folded) silhouette
      if (Math.abs(rep.motion.pose.yaw) > 25) continue;
      expect(shareInsideFace(rep, 'eyes')).toBeGreaterThan(0.98);
      expect(shareInsideFace(rep, 'lips')).toBeGreaterThan(0.98);
      // the hair's upper part lies above the brows, whatever hangs down beside the face
      expect(massQuantileRow(rep, 'hair', 0.1)).toBeLessThan(massQuantileRow(rep, 'eyebrows', 0.05));
      expect(massQuantileRow(rep, 'eyebrows', 0.95)).toBeLessThan(massQuantileRow(rep, 'lips', 0.05));
    }
  });

  it('measures a unit identity vector and finite motion and lighting for every face', () => {
    for (const rep of [...faces.values()].flat()) {
      expect(cosine(rep.identity, rep.identity)).toBeCloseTo(1, 5);
      expect([rep.motion.pose.yaw, rep.motion.pose.pitch, rep.motion.pose.roll].every(Number.isFinite)).toBe(true);
      expect(rep.motion.expression.every(Number.isFinite)).toBe(true);
      expect(rep.environment.lighting.every(Number.isFinite)).toBe(true);
    }
  });

  it('chooses one face by index and refuses an index past the last face', async () => {
    const photo = samplePhoto('sample4.jpg');
    const second = await analyzer.analyze(photo, 1);
    expect(second.faceIndex).toBe(1);
    expect(second.detection.box).toEqual(faces.get('sample4.jpg')![1].detection.box);
    const error = await errorOf(analyzer.analyze(photo, 4));
    expect(error).toMatchObject({ code: 'face_index_out_of_range', details: { faceIndex: 4, faceCount: 4 } });
  });

  describe('bad input gets a typed error and the analyzer keeps serving', () => {
    it.each([
      ['bytes that are not an image', () => Promise.resolve(Buffer.from('GIF89a? no, just text')), 'not_an_image'],
      ['a truncated JPEG', async () => samplePhoto('sample2.jpg').subarray(0, 60_000), 'corrupt_image'],
      ['a decompression bomb', async () => pngDeclaring(60_000, 60_000), 'image_too_large'],
      [
        'an image without a face',
        async () => sharp(samplePhoto('sample2.jpg')).extract({ left: 0, top: 900, width: 500, height: 400 }).png().toBuffer(),
        'no_face',
      ],
    ])('%s', async (_label, bytes, code) => {
      const error = await errorOf(analyzer.analyze(await bytes()));
      expect(isFacexError(error)).toBe(true);
      expect(error).toMatchObject({ code });
      const afterwards = await analyzer.analyze(samplePhoto('sample6.jpg'));
      expect(afterwards.faceCount).toBe(4);
    });
  });
});
