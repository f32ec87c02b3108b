/**
 * `npm run setup`: builds (or verifies) the facex-ford model pack in $FACEX_MODELS_DIR (default <repo>/models).
 */
import { join, resolve } from 'path';
import { isFacexError } from '@facex/contracts';
import { PACK_NAME, ensureModelPack } from '@facex/model-pack';

async function main(): Promise<void> {
  const modelsDir = resolve(process.env['FACEX_MODELS_DIR'] ?? join(__dirname, '..', '..', 'models'));
  const packDir = join(modelsDir, PACK_NAME);
  const started = performance.now();
  const { manifest, rebuilt } = await ensureModelPack(packDir);
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  const verb = rebuilt ? `built in ${seconds}s` : `already up to date (verified in ${seconds}s)`;
  console.log(`model pack ${manifest.name} ${manifest.version} at ${packDir}: ${verb}`);
}

main().catch((error: unknown) => {
  console.error(isFacexError(error) ? `setup failed: ${error.message}` : error);
  process.exit(1);
});
