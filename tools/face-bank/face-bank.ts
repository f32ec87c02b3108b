/**
 * `npm run face-bank -- <command>`: the face bank the `warp` generator regenerates from.
 *   build [--photos DIR]   (re)build it from the package photos plus DIR (default: $FACEX_FACE_BANK_PHOTOS),
 *                          analysed with the FORD pack in $FACEX_MODELS_DIR; kept as it is when up to date
 *   list                   verify it and list its donors (id, photo, pose, skin colour)
 */
import { join, resolve } from 'node:path';
import { isFacexError } from '@facex/contracts';
import { PACK_NAME } from '@facex/model-pack';
import { defaultBankDir, ensureFaceBank, FaceBank, operatorPhotoFolder } from '@facex/face-bank';

const USAGE = 'usage: npm run face-bank -- build [--photos DIR] | list';

async function build(args: string[]): Promise<void> {
  const at = args.indexOf('--photos');
  if (at >= 0 && !args[at + 1]) throw new Error(`--photos needs a folder\n${USAGE}`);
  const operatorFolder = at >= 0 ? resolve(args[at + 1]) : operatorPhotoFolder();
  const packDir = join(resolve(process.env['FACEX_MODELS_DIR'] ?? join(__dirname, '..', '..', 'models')), PACK_NAME);
  const bankDir = defaultBankDir();
  const started = performance.now();
  const { manifest, rebuilt } = await ensureFaceBank(bankDir, { packDir, operatorFolder });
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  console.log(
    `face bank ${manifest.version} at ${bankDir}: ${manifest.donors.length} donors from ${manifest.photos.length} photos, ${rebuilt ? `built in ${seconds}s` : 'already up to date'}`,
  );
}

async function list(): Promise<void> {
  const bank = await FaceBank.open(defaultBankDir());
  console.log(`face bank ${bank.version} (model pack ${bank.manifest.modelPack.version}): ${bank.donors.length} donors`);
  for (const donor of bank.donors) {
    const { pose, skinLab } = donor.features;
    console.log(
      `${donor.id}  ${donor.label}  yaw ${pose.yaw.toFixed(0)}° pitch ${pose.pitch.toFixed(0)}°  skin L*a*b* ${skinLab.map((v) => v.toFixed(0)).join('/')}`,
    );
  }
}

async function main(): Promise<void> {
  const [command, ...args] = process.argv.slice(2);
  if (command === 'build') return build(args);
  if (command === 'list') return list();
  throw new Error(USAGE);
}

main().catch((error: unknown) => {
  console.error(isFacexError(error) ? `face-bank: ${error.message}` : error instanceof Error ? error.message : error);
  process.exit(1);
});
