/**
 * The faces stage on real photos (real FaceAnalyzer with one thread, real Redis, filesystem blob store): every
 * face listed and cached, a face-less photo listed as empty, and the reference-face choice of a multi-face edit
 * on a photo where one person appears beside others. No photo of the sample set shows one person twice, so
 * that photo is composed: sample2.jpg's three people, and sample1.jpg's third face pasted in twice, once as it
 * is and once mirrored and enlarged 1.2× (sharp, JPEG quality 92).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { FaceAnalyzer } from '@facex/analysis';
import { samplePhoto } from '@facex/analysis/testing';
import { FaceSelectionSchema, selectFaces, type FaceList } from '@facex/contracts';
import { createRedis } from '@facex/queue';
import { TEST_REDIS_URL, deleteNamespace, testPrefix } from '@facex/queue/testing';
import { FsBlobStore, assetKey } from '@facex/storage';
import type { FaceAnalyzerPort } from '../ports';
import { createRepositories } from '../start-workers';
import { listFaces } from './faces';

const prefix = testPrefix('faces-stage');
const redis = createRedis(TEST_REDIS_URL);
let dir: string;
let analyzer: FaceAnalyzer;
let analyses = 0;
/** Where the person is pasted into the composed photo (x, y, width, height). */
const PASTED = [
  { x: 300, y: 800, width: 330, height: 320 },
  { x: 1200, y: 850, width: 396, height: 384 },
];

async function composedPhoto(): Promise<Buffer> {
  const person = await sharp(samplePhoto('sample1.jpg')).extract({ left: 1400, top: 180, width: 330, height: 320 }).toBuffer();
  const mirrored = await sharp(person).flop().resize(PASTED[1].width, PASTED[1].height).toBuffer();
  return sharp(samplePhoto('sample2.jpg'))
    .composite([
      { input: person, left: PASTED[0].x, top: PASTED[0].y },
      { input: mirrored, left: PASTED[1].x, top: PASTED[1].y },
    ])
    .jpeg({ quality: 92 })
    .toBuffer();
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'facex-faces-'));
  analyzer = await FaceAnalyzer.open({ workers: 1 });
});

afterAll(async () => {
  await analyzer?.close();
  await deleteNamespace(redis, prefix);
  await redis.quit();
  await rm(dir, { recursive: true, force: true });
});

function stage() {
  const blobs = new FsBlobStore(dir);
  const { representations } = createRepositories(redis, prefix, blobs);
  const port: FaceAnalyzerPort = {
    packVersion: analyzer.manifest.version,
    analyzeWithCrop: (bytes, face) => analyzer.analyzeWithCrop(bytes, face),
    analyzeAllWithCrops: (bytes) => {
      analyses++;
      return analyzer.analyzeAllWithCrops(bytes);
    },
  };
  const list = async (bytes: Uint8Array): Promise<FaceList> => {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    await blobs.put(assetKey(sha256), bytes, { contentType: 'image/jpeg' });
    const { facesKey } = await listFaces({ blobs, representations, analyzer: port }, { assetKey: assetKey(sha256), assetSha256: sha256 });
    const stored = await representations.loadFaceList(facesKey);
    if (!stored) throw new Error('no face list stored');
    return stored;
  };
  return { list, representations };
}

it('lists every face of a photo with its box, score and pose, caches each face, and analyses once', async () => {
  const { list, representations } = stage();
  const before = analyses;
  const faces = await list(samplePhoto('sample4.jpg'));
  expect(faces.faces.map((f) => f.index)).toEqual([0, 1, 2, 3]);
  for (const face of faces.faces) {
    expect(face.box.width).toBeGreaterThan(50);
    expect(face.score).toBeGreaterThan(0.5);
    expect(Number.isFinite(face.pose.yaw)).toBe(true);
    expect(await representations.find(faces.assetSha256, face.index, faces.packVersion)).not.toBeNull();
  }
  expect(await list(samplePhoto('sample4.jpg'))).toEqual(faces);
  expect(analyses - before).toBe(1);
});

it('lists a photo without a face as empty', async () => {
  const { list } = stage();
  const gradient = new Uint8Array(96 * 96 * 3).map((_, i) => i % 251);
  expect(
    (
      await list(
        await sharp(gradient, { raw: { width: 96, height: 96, channels: 3 } })
          .png()
          .toBuffer(),
      )
    ).faces,
  ).toEqual([]);
});

it('chooses exactly the faces of the reference person on a photo where they appear beside others', async () => {
  const { list } = stage();
  const [group, reference] = [await list(await composedPhoto()), await list(samplePhoto('sample1.jpg'))];
  expect(group.faces).toHaveLength(5);
  const selection = FaceSelectionSchema.parse({ mode: 'reference', reference: { assetId: reference.assetSha256, faceIndex: 2 } });
  const chosen = selectFaces(
    group.faces,
    selection,
    0,
    reference.faces.find((f) => f.index === 2),
  );
  const centreIn = (index: number) => {
    const { box } = group.faces.find((f) => f.index === index)!;
    const [cx, cy] = [box.x + box.width / 2, box.y + box.height / 2];
    return PASTED.findIndex((r) => cx > r.x && cx < r.x + r.width && cy > r.y && cy < r.y + r.height);
  };
  expect(chosen).toHaveLength(2);
  expect(chosen.map(centreIn).sort()).toEqual([0, 1]);
  // Another person of the reference photo matches nobody in the group.
  expect(() =>
    selectFaces(
      group.faces,
      selection,
      0,
      reference.faces.find((f) => f.index === 0),
    ),
  ).toThrow(/no face of the target matches/);
});
