import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { isFacexError } from '@facex/contracts';
import { loadModelPack, sha256Hex } from '@facex/model-pack';
import { defaultPackDir } from '@facex/analysis';
import { samplePhoto } from '@facex/analysis/testing';
import { packagePhotos } from './bank-photos';
import { buildFaceBank, ensureFaceBank, expectedBankVersion } from './build-face-bank';
import { defaultBankDir } from './bank-dir';
import { FaceBank } from './face-bank';
import { FACE_BANK_MANIFEST } from './manifest';

/** A single-face photo cut from a sample (small, so FORD analyses it quickly). */
async function portrait(photo: string, left: number, top: number, side: number): Promise<Buffer> {
  return sharp(samplePhoto(photo)).extract({ left, top, width: side, height: side }).jpeg({ quality: 92 }).toBuffer();
}

describe('the face bank built by set-up', () => {
  it('holds the 22 faces of the package photos, verified, at the version of the pack and the photos', async () => {
    const bank = await FaceBank.open(defaultBankDir());
    const pack = await loadModelPack(defaultPackDir());
    expect(bank.version).toBe(expectedBankVersion(pack, await packagePhotos()));
    expect(bank.manifest.modelPack).toEqual({ name: pack.name, version: pack.version });
    expect(bank.donors).toHaveLength(22);
    expect(new Set(bank.donors.map((donor) => donor.id)).size).toBe(22);
    const first = bank.donors[0];
    expect(first.id).toBe(`${first.representation.asset.sha256}#${first.representation.faceIndex}`);
    expect(first.label).toBe('@vladmandic/face-api/demo/sample1.jpg#0');
    const crop = await bank.crop(first.id);
    expect([crop.width, crop.height, crop.data.length]).toEqual([512, 512, 512 * 512 * 3]);
  });

  it('refuses to open for another FORD pack than the one it was built with', async () => {
    await expect(FaceBank.open(defaultBankDir(), { packVersion: '0.0.0+other' })).rejects.toThrow(/built with model pack/);
  });
});

describe('buildFaceBank from an operator folder', () => {
  let root: string;
  let photos: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'facex-face-bank-'));
    photos = join(root, 'photos');
    await mkdir(photos);
    await writeFile(join(photos, 'one.jpg'), await portrait('sample3.jpg', 935, 130, 500));
    await writeFile(join(photos, 'notes.txt'), 'not a photo');
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('turns the folder into donors with hashed files, verifies them on open, and rebuilds only on change', async () => {
    const dir = join(root, 'bank');
    const sources = { packDir: defaultPackDir(), operatorFolder: photos, packagePhotos: false };
    const manifest = await buildFaceBank(dir, sources);
    const bytes = await readFile(join(photos, 'one.jpg'));
    expect(manifest.photos).toEqual([{ label: 'operator/one.jpg', sha256: sha256Hex(bytes), origin: 'operator', licence: 'provided by the operator' }]);
    expect(manifest.donors).toHaveLength(1);
    expect(manifest.donors[0].id).toBe(`${sha256Hex(bytes)}#0`);
    // No staging folder is left beside the bank.
    expect((await readdir(root)).sort()).toEqual(['bank', 'photos']);

    const bank = await FaceBank.open(dir);
    expect(bank.donors[0].label).toBe('operator/one.jpg#0');
    expect(await ensureFaceBank(dir, sources)).toMatchObject({ rebuilt: false });

    // A tampered crop is refused, naming the file.
    const cropFile = join(dir, manifest.donors[0].crop.file);
    const crop = await readFile(cropFile);
    crop[crop.length - 20] ^= 0xff;
    await writeFile(cropFile, crop);
    const refusal = await FaceBank.open(dir).catch((error: unknown) => error);
    expect(isFacexError(refusal, 'model_pack_invalid')).toBe(true);
    expect(String((refusal as Error).message)).toContain(manifest.donors[0].crop.file);

    // A new photo in the folder gives a new version, and set-up rebuilds (mending the tampered file too).
    await writeFile(join(photos, 'two.jpg'), await portrait('sample6.jpg', 525, 250, 500));
    const again = await ensureFaceBank(dir, sources);
    expect(again.rebuilt).toBe(true);
    expect(again.manifest.version).not.toBe(manifest.version);
    expect(again.manifest.photos.map((photo) => photo.label)).toEqual(['operator/one.jpg', 'operator/two.jpg']);
    await expect(FaceBank.open(dir)).resolves.toBeInstanceOf(FaceBank);
  });

  it('refuses a bank whose manifest is missing or malformed', async () => {
    const dir = join(root, 'broken');
    await mkdir(dir);
    await expect(FaceBank.open(dir)).rejects.toThrow(/manifest .* is missing/);
    await writeFile(join(dir, FACE_BANK_MANIFEST), '{"name": "facex-face-bank"}');
    await expect(FaceBank.open(dir)).rejects.toThrow(/format/);
  });
});
