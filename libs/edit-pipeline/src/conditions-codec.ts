/**
 * An edit's assembled conditions in the blob store, under `conditions/<editId>/`:
 *   reference.png, frame.png (RGB, 512²), inpaint-mask.png, fusion-mask.png (grey, 512²),
 *   tokens.safetensors (the packed tokens and their null set, F32; layout, slot sources and the
 *   crop → image transform in the metadata), sources.json (the recipe and the storage keys of the
 *   inputs' images and representations, and of the user's mask, for generators that work from the faces
 *   themselves).
 */
import { FacexError, type Affine2D, type Recipe } from '@facex/contracts';
import type { AssembledEdit, AssembledTokens, TokenLayout } from '@facex/assemblers';
import type { GeneratorConditions } from '@facex/generators';
import type { BlobStore } from '@facex/storage';
import { loadAssemblyInputs } from './assembly-inputs';
import { decodeMaskPng, decodeRgbPng, encodePng } from './png';
import { loadUserMask } from './user-mask';

export const CONDITION_FILES = {
  reference: 'reference.png',
  frame: 'frame.png',
  inpaintMask: 'inpaint-mask.png',
  fusionMask: 'fusion-mask.png',
  tokens: 'tokens.safetensors',
  sources: 'sources.json',
} as const;

/** What an edit was assembled from: its recipe and, per input, the keys of its image and representation. */
export interface ConditionSources {
  recipe: Recipe;
  assetKeys: readonly string[];
  /** Empty for inputs the recipe does not use. */
  representationKeys: readonly string[];
  /** The user-drawn inpainting mask's asset key, when the recipe takes one. */
  maskAssetKey?: string;
}

interface TokensMetadata {
  layout: TokenLayout;
  /** Per slot: [source input or null, present]. */
  slots: Array<[number | null, boolean]>;
  nullSlots: Array<[number | null, boolean]>;
  cropToImage: Affine2D;
}

function invalid(message: string): FacexError {
  return new FacexError('invalid_representation', `conditions: ${message}`, { field: 'conditions' });
}

/** Two F32 vectors in the safetensors layout (8-byte length, space-padded JSON header, raw little-endian data). */
export function encodeTokens(tokens: AssembledTokens, nullTokens: AssembledTokens, cropToImage: Affine2D): Uint8Array {
  const width = tokens.packed.length;
  const metadata: TokensMetadata = {
    layout: tokens.layout,
    slots: tokens.slots.map((slot) => [slot.source, slot.present]),
    nullSlots: nullTokens.slots.map((slot) => [slot.source, slot.present]),
    cropToImage,
  };
  const header = {
    __metadata__: { conditions: JSON.stringify(metadata) },
    tokens: { dtype: 'F32', shape: [width], data_offsets: [0, width * 4] },
    null_tokens: { dtype: 'F32', shape: [width], data_offsets: [width * 4, width * 8] },
  };
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8);
  const headerBytes = Buffer.from(json, 'utf8');
  const out = new Uint8Array(8 + headerBytes.length + width * 8);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  const data = new Float32Array(out.buffer, 8 + headerBytes.length, width * 2);
  data.set(tokens.packed, 0);
  data.set(nullTokens.packed, width);
  return out;
}

function tokensFrom(layout: TokenLayout, packed: Float32Array, slots: Array<[number | null, boolean]>): AssembledTokens {
  if (slots.length !== layout.slots.length) throw invalid('slot count differs from the layout');
  return {
    layout,
    packed,
    slots: layout.slots.map((slot, i) => ({
      ...slot,
      values: packed.subarray(slot.offset, slot.offset + slot.width),
      source: slots[i][0],
      present: slots[i][1],
    })),
  };
}

export function decodeTokens(bytes: Uint8Array): Pick<GeneratorConditions, 'tokens' | 'nullTokens' | 'cropToImage'> {
  if (bytes.length < 8) throw invalid('tokens are truncated');
  const headerLength = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  if (8 + headerLength > bytes.length) throw invalid('tokens header is truncated');
  const header = JSON.parse(Buffer.from(bytes.subarray(8, 8 + headerLength)).toString('utf8'));
  const metadata = JSON.parse(header.__metadata__.conditions) as TokensMetadata;
  const width = metadata.layout.totalWidth;
  if (bytes.length !== 8 + headerLength + width * 8) throw invalid(`tokens hold ${bytes.length} bytes, expected ${8 + headerLength + width * 8}`);
  // Copy: the data offset need not be 4-byte aligned in the caller's buffer.
  const data = new Float32Array(bytes.slice(8 + headerLength).buffer);
  return {
    tokens: tokensFrom(metadata.layout, data.slice(0, width), metadata.slots),
    nullTokens: tokensFrom(metadata.layout, data.slice(width), metadata.nullSlots),
    cropToImage: metadata.cropToImage,
  };
}

export async function storeConditions(blobs: BlobStore, prefix: string, edit: AssembledEdit, sources: ConditionSources, expiresAt?: Date): Promise<void> {
  const { regions } = edit;
  const files: Array<[string, Promise<Uint8Array>, string]> = [
    [CONDITION_FILES.reference, encodePng(regions.reference, 3), 'image/png'],
    [CONDITION_FILES.frame, encodePng(regions.frameCrop, 3), 'image/png'],
    [CONDITION_FILES.inpaintMask, encodePng(regions.inpaintMask, 1), 'image/png'],
    [CONDITION_FILES.fusionMask, encodePng(regions.fusionMask, 1), 'image/png'],
    [CONDITION_FILES.tokens, Promise.resolve(encodeTokens(edit.tokens, edit.nullTokens, regions.cropToImage)), 'application/octet-stream'],
    [CONDITION_FILES.sources, Promise.resolve(Buffer.from(JSON.stringify(sources))), 'application/json'],
  ];
  await Promise.all(
    files.map(async ([name, bytes, contentType]) => blobs.put(prefix + name, await bytes, { contentType, ...(expiresAt ? { expiresAt } : {}) })),
  );
}

export async function loadConditions(blobs: BlobStore, prefix: string): Promise<GeneratorConditions> {
  const [reference, frameCrop, inpaintMask, fusionMask, tokens, sources] = await Promise.all([
    blobs.get(prefix + CONDITION_FILES.reference).then((b) => decodeRgbPng(b, 'conditions.reference')),
    blobs.get(prefix + CONDITION_FILES.frame).then((b) => decodeRgbPng(b, 'conditions.frame')),
    blobs.get(prefix + CONDITION_FILES.inpaintMask).then((b) => decodeMaskPng(b, 'conditions.inpaintMask')),
    blobs.get(prefix + CONDITION_FILES.fusionMask).then((b) => decodeMaskPng(b, 'conditions.fusionMask')),
    blobs.get(prefix + CONDITION_FILES.tokens).then(decodeTokens),
    blobs.get(prefix + CONDITION_FILES.sources).then((b) => JSON.parse(Buffer.from(b).toString('utf8')) as ConditionSources),
  ]);
  const inputs = () => loadAssemblyInputs(blobs, sources.assetKeys, sources.representationKeys);
  // The assemble stage has checked the mask against the image.
  const userMask = async () => (sources.maskAssetKey ? loadUserMask(blobs, sources.maskAssetKey) : undefined);
  return { reference, frameCrop, inpaintMask, fusionMask, ...tokens, recipe: sources.recipe, inputs, userMask };
}
