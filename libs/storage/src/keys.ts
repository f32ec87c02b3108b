/**
 * The blob-store key scheme. Content-addressed where content allows it:
 *   assets/<sha256>                                   an uploaded image, named by its bytes
 *   representations/<pack>/<sha256>/<face>.safetensors a FORD representation (pack = model-pack version)
 *   crops/<pack>/<sha256>/<face>.png                  that face's 512 px aligned crop (RGB PNG), made with it
 *   conditions/<editId>/<name>                        an edit's assembled conditions (reference, masks, tokens)
 *   results/<editId>.<ext>                            an edit's result image or video (expires)
 *   video-chunks/<editId>/<index>.mp4                  a video edit's rendered chunk (deleted by its mux)
 */
import { EDIT_ID_PATTERN, FacexError } from '@facex/contracts';

const SHA256 = /^[0-9a-f]{64}$/;
const PACK_VERSION = /^[0-9A-Za-z.+_-]{1,64}$/;

function check(ok: boolean, field: string, message: string): void {
  if (!ok) throw new FacexError('invalid_recipe', `${field}: ${message}`, { field });
}

export function assetKey(sha256: string): string {
  check(SHA256.test(sha256), 'assetId', 'expected a lower-case hex sha256');
  return `assets/${sha256}`;
}

function perAssetPrefix(root: string, packVersion: string, sha256: string): string {
  check(PACK_VERSION.test(packVersion), 'packVersion', 'expected letters, digits, ".", "+", "_" or "-" (a semver)');
  check(SHA256.test(sha256), 'assetId', 'expected a lower-case hex sha256');
  return `${root}/${packVersion}/${sha256}/`;
}

function checkFaceIndex(faceIndex: number): void {
  check(Number.isInteger(faceIndex) && faceIndex >= 0, 'faceIndex', 'expected a non-negative integer');
}

/** Every representation of an asset under one pack lives under this prefix (deleted with the asset). */
export function representationPrefix(packVersion: string, sha256: string): string {
  return perAssetPrefix('representations', packVersion, sha256);
}

export function representationBlobKey(packVersion: string, sha256: string, faceIndex: number): string {
  checkFaceIndex(faceIndex);
  return `${representationPrefix(packVersion, sha256)}${faceIndex}.safetensors`;
}

/** A face's 512 px aligned crop, stored beside its representation (and deleted with it). */
export function alignedCropKey(packVersion: string, sha256: string, faceIndex: number): string {
  checkFaceIndex(faceIndex);
  return `${perAssetPrefix('crops', packVersion, sha256)}${faceIndex}.png`;
}

export function conditionsPrefix(editId: string): string {
  check(EDIT_ID_PATTERN.test(editId), 'editId', 'expected an edit id');
  return `conditions/${editId}/`;
}

export const RESULT_FORMATS = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' } as const;
export type ResultFormat = keyof typeof RESULT_FORMATS;

const RESULT_EXTENSIONS: Record<ResultFormat, string> = { png: 'png', jpeg: 'jpg', webp: 'webp' };

export function resultKey(editId: string, format: ResultFormat): string {
  check(EDIT_ID_PATTERN.test(editId), 'editId', 'expected an edit id');
  return `results/${editId}.${RESULT_EXTENSIONS[format]}`;
}

/** A video edit's result (H.264 and the source's audio in MP4). */
export function videoResultKey(editId: string): string {
  check(EDIT_ID_PATTERN.test(editId), 'editId', 'expected an edit id');
  return `results/${editId}.mp4`;
}

/** Every key a result of the edit may have (one per format). */
export function resultKeys(editId: string): string[] {
  return [...(Object.keys(RESULT_FORMATS) as ResultFormat[]).map((format) => resultKey(editId, format)), videoResultKey(editId)];
}

export function videoChunksPrefix(editId: string): string {
  check(EDIT_ID_PATTERN.test(editId), 'editId', 'expected an edit id');
  return `video-chunks/${editId}/`;
}

export function videoChunkKey(editId: string, chunkIndex: number): string {
  check(Number.isInteger(chunkIndex) && chunkIndex >= 0, 'chunkIndex', 'expected a non-negative integer');
  return `${videoChunksPrefix(editId)}${chunkIndex}.mp4`;
}

/** Keys are relative, '/'-separated, without '..' or empty segments: safe as file paths and S3 keys. */
export function assertSafeKey(key: string): void {
  const ok =
    key.length > 0 &&
    key.length <= 512 &&
    /^[0-9A-Za-z.+_\-/]+$/.test(key) &&
    key.split('/').every((s, i, all) => (s !== '' || i === all.length - 1) && s !== '.' && s !== '..');
  check(ok, 'key', `'${key}' is not a valid blob key`);
}
