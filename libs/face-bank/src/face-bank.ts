/**
 * A built face bank, opened for selection and transplant: the manifest is checked, every donor file's size
 * and sha256 verified, the representations decoded (selection reads them), and the crops decoded on first use
 * (a transplant reads one) and kept.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { decodeRepresentation, FacexError, type FaceRepresentation } from '@facex/contracts';
import { sha256Hex } from '@facex/model-pack';
import type { RgbImage } from '@facex/imaging';
import { faceFeatures } from './donor-features';
import { FACE_BANK_MANIFEST, faceBankManifestSchema, type BankDonorEntry, type FaceBankManifest } from './manifest';
import type { DonorCandidate } from './select-donor';

export interface BankDonor extends DonorCandidate {
  /** `<photo label>#<face index>`, for people. */
  label: string;
  representation: FaceRepresentation;
}

export interface FaceBankOpenOptions {
  /** The FORD pack version the edits are analysed with: a bank built on another pack is refused. */
  packVersion?: string;
}

function invalid(message: string, file: string): FacexError {
  return new FacexError('model_pack_invalid', message, { file });
}

async function readVerified(dir: string, entry: { file: string; sha256: string; bytes: number }): Promise<Buffer> {
  const path = join(dir, entry.file);
  const bytes = await readFile(path).catch(() => {
    throw invalid(`face bank file ${path} is missing (run \`npm run setup\`)`, path);
  });
  if (bytes.length !== entry.bytes)
    throw invalid(`face bank file ${path} has ${bytes.length} bytes, the manifest says ${entry.bytes} (truncated or replaced)`, path);
  const actual = sha256Hex(bytes);
  if (actual !== entry.sha256) throw invalid(`face bank file ${path} has sha256 ${actual}, the manifest says ${entry.sha256} (altered)`, path);
  return bytes;
}

async function readManifest(dir: string): Promise<FaceBankManifest> {
  const path = join(dir, FACE_BANK_MANIFEST);
  const text = await readFile(path, 'utf8').catch(() => {
    throw invalid(`face bank manifest ${path} is missing (run \`npm run setup\`)`, path);
  });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw invalid(`face bank manifest ${path} is not valid JSON`, path);
  }
  const parsed = faceBankManifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalid(`face bank manifest ${path}: ${issue ? issue.path.join('.') : '(root)'}: ${issue?.message}`, path);
  }
  return parsed.data;
}

export class FaceBank {
  private readonly byId: Map<string, BankDonor>;
  private readonly entries: Map<string, BankDonorEntry>;
  private readonly crops = new Map<string, Promise<RgbImage>>();

  private constructor(
    private readonly dir: string,
    readonly manifest: FaceBankManifest,
    readonly donors: readonly BankDonor[],
  ) {
    this.byId = new Map(donors.map((donor) => [donor.id, donor]));
    this.entries = new Map(manifest.donors.map((entry) => [entry.id, entry]));
  }

  get version(): string {
    return this.manifest.version;
  }

  /** Opens and verifies the bank in `dir`; throws `model_pack_invalid` naming the first bad file. */
  static async open(dir: string, options: FaceBankOpenOptions = {}): Promise<FaceBank> {
    const manifest = await readManifest(dir);
    if (options.packVersion !== undefined && manifest.modelPack.version !== options.packVersion) {
      throw invalid(`face bank ${dir} was built with model pack ${manifest.modelPack.version}, not ${options.packVersion} (run \`npm run setup\`)`, dir);
    }
    const donors = await Promise.all(
      manifest.donors.map(async (entry) => {
        const photo = manifest.photos[entry.photo];
        if (!photo) throw invalid(`face bank manifest: donor ${entry.id} names photo ${entry.photo}, which is not listed`, join(dir, FACE_BANK_MANIFEST));
        const [repBytes] = await Promise.all([readVerified(dir, entry.representation), readVerified(dir, entry.crop)]);
        // A copy as a plain Uint8Array: the codec slices its input, and a Buffer's slice is a view of a shared pool.
        const representation = decodeRepresentation(new Uint8Array(repBytes));
        return {
          id: entry.id,
          label: `${photo.label}#${entry.faceIndex}`,
          representation,
          features: faceFeatures(representation, entry.skinLab, entry.skinDetail),
        };
      }),
    );
    return new FaceBank(dir, manifest, donors);
  }

  donor(id: string): BankDonor {
    const donor = this.byId.get(id);
    if (!donor) throw new FacexError('invalid_recipe', `face bank ${this.version} has no donor ${id}`, { field: 'donor' });
    return donor;
  }

  /** The donor's 512 px aligned crop (decoded once, then kept). */
  crop(id: string): Promise<RgbImage> {
    let crop = this.crops.get(id);
    if (!crop) {
      const entry = this.entries.get(this.donor(id).id) as BankDonorEntry;
      crop = readVerified(this.dir, entry.crop)
        .then((bytes) => sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true }))
        .then(({ data, info }) => ({ data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height }));
      crop.catch(() => this.crops.delete(id));
      this.crops.set(id, crop);
    }
    return crop;
  }
}
