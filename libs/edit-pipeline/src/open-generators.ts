/**
 * The generators a render worker serves: `reference` always, `warp` (weight-free, CPU) unless disabled, and
 * `diffusion` when a diffusion pack is configured (FACEX_DIFFUSION_PACK and the other FACEX_DIFFUSION_*
 * settings, see @facex/diffusion). FACEX_WARP_THREADS sets the warp's worker threads (default 1). The warp
 * regenerates from the face bank `npm run setup` builds beside the FORD pack ($FACEX_MODELS_DIR); where there is
 * none, it fills what it regenerates from the face's surroundings and its results name no donor.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DiffusionGenerator, diffusionSettingsFromEnv } from '@facex/diffusion';
import { defaultBankDir, FACE_BANK_MANIFEST } from '@facex/face-bank';
import { referenceGenerator, type Generator } from '@facex/generators';
import { WarpGenerator, warpEditGenerator } from '@facex/warp';

export interface OpenGenerators {
  generators: Generator[];
  close(): Promise<void>;
}

export async function openGenerators(env: NodeJS.ProcessEnv = process.env): Promise<OpenGenerators> {
  const threads = Number(env['FACEX_WARP_THREADS'] ?? 1);
  if (!(Number.isInteger(threads) && threads >= 0)) throw new Error(`FACEX_WARP_THREADS: expected a whole number, got '${env['FACEX_WARP_THREADS']}'`);
  const bankDir = defaultBankDir(env);
  const faceBank = existsSync(join(bankDir, FACE_BANK_MANIFEST)) ? bankDir : undefined;
  const warp = threads > 0 ? await WarpGenerator.open({ workers: threads, faceBank }) : undefined;
  const diffusionSettings = diffusionSettingsFromEnv(env);
  const diffusion = diffusionSettings
    ? await DiffusionGenerator.open(diffusionSettings).catch(async (error) => {
        await warp?.close();
        throw error;
      })
    : undefined;
  return {
    generators: [referenceGenerator, ...(warp ? [warpEditGenerator(warp)] : []), ...(diffusion ? [diffusion] : [])],
    close: async () => {
      await Promise.all([warp?.close(), diffusion?.close()]);
    },
  };
}
