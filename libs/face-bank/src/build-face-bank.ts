/**
 * Builds the face bank: every face FORD finds in the bank's photos (see bank-photos.ts) that is large enough to
 * lend detail to a 512 px crop becomes a donor: its representation (contracts' safetensors codec) and its 512 px
 * aligned crop (PNG), listed with their hashes in the manifest. The bank is written to a folder beside the
 * target and swapped in whole, so a failed build leaves the previous bank as it was.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import sharp from 'sharp';
import { encodeRepresentation } from '@facex/contracts';
import { FaceAnalyzer } from '@facex/analysis';
import { loadModelPack, sha256Hex } from '@facex/model-pack';
import { downsampleRgb2x, type RgbImage } from '@facex/imaging';
import { bankPhotos, type PhotoSource } from './bank-photos';
import { skinDetail, skinLab } from './donor-features';
import { FACE_BANK_FORMAT, FACE_BANK_MANIFEST, FACE_BANK_NAME, type BankDonorEntry, type FaceBankManifest } from './manifest';
import { FaceBank } from './face-bank';
import { donorId } from './select-donor';

/** A face whose crop is enlarged more than this (crop pixels per image pixel) is too small to donate. */
export const MAX_CROP_SCALE = 2.5;
/** Beyond this yaw a face's far side is guessed by the mesh; such a face does not donate. */
export const MAX_DONOR_YAW = 60;

export interface FaceBankSources {
  /** The FORD model pack the donors are analysed with. */
  packDir: string;
  /** The operator's folder of photos, added to the package's. */
  operatorFolder?: string;
  /** Whether the package's photos are in the bank (default true). */
  packagePhotos?: boolean;
}

/** Bank version: format, pack version and every photo's hash, so a change of any gives a new bank. */
export function expectedBankVersion(pack: { name: string; version: string }, photos: ReadonlyArray<{ sha256: string }>): string {
  const digest = sha256Hex([`format ${FACE_BANK_FORMAT}`, `${pack.name}@${pack.version}`, ...photos.map((photo) => photo.sha256)].join('\n'));
  return `${FACE_BANK_FORMAT}+${digest.slice(0, 16)}`;
}

function cropScale(matrix: readonly number[]): number {
  return Math.hypot(matrix[0], matrix[1]);
}

async function writeFileEntry(dir: string, file: string, bytes: Uint8Array): Promise<{ file: string; sha256: string; bytes: number }> {
  await writeFile(join(dir, file), bytes);
  return { file, sha256: sha256Hex(bytes), bytes: bytes.length };
}

const encodePng = (image: RgbImage): Promise<Buffer> =>
  sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .png({ compressionLevel: 9 })
    .toBuffer();

async function donorsOf(analyzer: FaceAnalyzer, photo: PhotoSource, photoIndex: number, dir: string): Promise<BankDonorEntry[]> {
  const donors: BankDonorEntry[] = [];
  for (const { representation, alignedCrop } of await analyzer.analyzeAllWithCrops(photo.bytes)) {
    const { faceIndex } = representation;
    if (cropScale(representation.alignment.matrix) > MAX_CROP_SCALE || Math.abs(representation.motion.pose.yaw) > MAX_DONOR_YAW) continue;
    const stem = `${photo.sha256.slice(0, 16)}-${faceIndex}`;
    donors.push({
      id: donorId(photo.sha256, faceIndex),
      photo: photoIndex,
      faceIndex,
      representation: await writeFileEntry(dir, `${stem}.safetensors`, encodeRepresentation(representation)),
      crop: await writeFileEntry(dir, `${stem}.png`, await encodePng(alignedCrop)),
      skinLab: skinLab(representation, downsampleRgb2x(alignedCrop)),
      skinDetail: skinDetail(representation, alignedCrop),
    });
  }
  return donors;
}

/** Builds the bank into `outDir` from the given sources (replacing what is there once complete). */
export async function buildFaceBank(outDir: string, sources: FaceBankSources): Promise<FaceBankManifest> {
  const pack = await loadModelPack(sources.packDir);
  const photos = await bankPhotos(sources);
  const staging = join(dirname(outDir), `.${basename(outDir)}.building-${process.pid}`);
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  const analyzer = await FaceAnalyzer.open({ packDir: sources.packDir });
  try {
    const donors: BankDonorEntry[] = [];
    for (const [index, photo] of photos.entries()) donors.push(...(await donorsOf(analyzer, photo, index, staging)));
    const manifest: FaceBankManifest = {
      name: FACE_BANK_NAME,
      format: FACE_BANK_FORMAT,
      version: expectedBankVersion(pack, photos),
      modelPack: { name: pack.name, version: pack.version },
      photos: photos.map(({ label, sha256, origin, licence }) => ({ label, sha256, origin, licence })),
      donors,
    };
    await writeFile(join(staging, FACE_BANK_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    await rm(outDir, { recursive: true, force: true });
    await rename(staging, outDir);
    return manifest;
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  } finally {
    await analyzer.close();
  }
}

/**
 * Idempotent set-up: keeps a bank whose files verify and whose version matches the pack and the photos,
 * otherwise rebuilds it.
 */
export async function ensureFaceBank(outDir: string, sources: FaceBankSources): Promise<{ manifest: FaceBankManifest; rebuilt: boolean }> {
  const pack = await loadModelPack(sources.packDir);
  const expected = expectedBankVersion(pack, await bankPhotos(sources));
  const existing = await FaceBank.open(outDir).catch(() => undefined);
  if (existing && existing.version === expected) return { manifest: existing.manifest, rebuilt: false };
  return { manifest: await buildFaceBank(outDir, sources), rebuilt: true };
}
