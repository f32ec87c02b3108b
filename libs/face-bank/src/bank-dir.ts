import { join, resolve } from 'node:path';
import { FACE_BANK_NAME } from './manifest';

/** Where set-up writes the bank: beside the FORD pack, in $FACEX_MODELS_DIR (default <repo>/models). */
export function defaultBankDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(resolve(env['FACEX_MODELS_DIR'] ?? join(__dirname, '../../../models')), FACE_BANK_NAME);
}

/** The operator's folder of photos added to the bank ($FACEX_FACE_BANK_PHOTOS), if any. */
export function operatorPhotoFolder(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env['FACEX_FACE_BANK_PHOTOS'] || undefined;
}
