/**
 * `npm run setup`: builds (or verifies) the facex-ford model pack in $FACEX_MODELS_DIR (default <repo>/models),
 * then the face bank analysed with it (plus the photos in $FACEX_FACE_BANK_PHOTOS, when set).
 */
import { join, resolve } from 'path';
import { isFacexError } from '@facex/contracts';
import { PACK_NAME, ensureModelPack } from '@facex/model-pack';
import { FACE_BANK_NAME, ensureFaceBank, operatorPhotoFolder } from '@facex/face-bank';

async function main(): Promise<void> {
  const modelsDir = resolve(process.env['FACEX_MODELS_DIR'] ?? join(__dirname, '..', '..', 'models'));
  const packDir = join(modelsDir, PACK_NAME);
  const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(2);
  let started = performance.now();
  const { manifest, rebuilt } = await ensureModelPack(packDir);
  console.log(`model pack ${manifest.name} ${manifest.version} at ${packDir}: ${rebuilt ? `built in ${seconds(started)}s` : `already up to date (verified in ${seconds(started)}s)`}`);
  const bankDir = join(modelsDir, FACE_BANK_NAME);
  started = performance.now();
  const bank = await ensureFaceBank(bankDir, { packDir, operatorFolder: operatorPhotoFolder() });
  const what = `${bank.manifest.donors.length} donors from ${bank.manifest.photos.length} photos`;
  console.log(`face bank ${bank.manifest.version} at ${bankDir} (${what}): ${bank.rebuilt ? `built in ${seconds(started)}s` : `already up to date (verified in ${seconds(started)}s)`}`);
}

main().catch((error: unknown) => {
  console.error(isFacexError(error) ? `setup failed: ${error.message}` : error);
  process.exit(1);
});
