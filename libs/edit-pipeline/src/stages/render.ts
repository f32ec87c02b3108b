/**
 * render: conditions → Generator → edited 512 px crop → pasted back into the frame input's full image (each
 * chosen face of a multi-face edit in turn; the faces render at once, see render-faces.ts) → the result's encoding (PNG, JPEG or WebP; the frame or the
 * face only) under `results/<editId>.<ext>`, expiring after the configured time. The result names its generator
 * and model pack, the face-bank donor when the generator regenerated from one, and its quality verdict (any
 * face degraded: the result is) when the generator gives one.
 */
import { decodeImage } from '@facex/analysis';
import { ResultOutputSchema, type EditOptions, type EditResult, type ResultQuality } from '@facex/contracts';
import type { GeneratedCrop, GeneratorContext, GeneratorRegistry } from '@facex/generators';
import { pasteBack } from '@facex/imaging';
import type { BlobStore } from '@facex/storage';
import { loadConditions } from '../conditions-codec';
import { encodeResult, faceBoxOf, unionBox } from '../result-encoding';
import { renderFaces } from './render-faces';

export interface RenderDeps {
  blobs: BlobStore;
  generators: GeneratorRegistry;
  /** How long results live. */
  resultTtlMs: number;
}

export interface RenderRequest {
  conditionsPrefix: string;
  frameAssetKey: string;
  options: Omit<EditOptions, 'webhookUrl'>;
  resultKey: string;
  /** Further chosen faces of a multi-face edit: their conditions, composited into the same image. */
  moreConditionsPrefixes?: string[];
}

/** One verdict for every chosen face: degraded when any face is, with each face's reasons; none when no face was assessed. */
function qualityOf(crops: readonly GeneratedCrop[]): { quality?: ResultQuality } {
  const assessed = crops.flatMap((crop) => (crop.quality ? [crop.quality] : []));
  if (assessed.length === 0) return {};
  const reasons = assessed.flatMap((quality) => quality.reasons);
  return { quality: { flag: assessed.some((quality) => quality.flag === 'degraded') ? 'degraded' : 'ok', reasons } };
}

export async function renderResult(deps: RenderDeps, request: RenderRequest, context: GeneratorContext, now = () => new Date()): Promise<EditResult> {
  const generator = deps.generators.get(request.options.generator);
  const prefixes = [request.conditionsPrefix, ...(request.moreConditionsPrefixes ?? [])];
  const frame = deps.blobs.get(request.frameAssetKey).then((bytes) => decodeImage(bytes));
  const faces = await renderFaces(prefixes, context, async (prefix, faceContext) => {
    const conditions = await loadConditions(deps.blobs, prefix);
    faceContext.signal?.throwIfAborted();
    return { conditions, crop: await generator.render(conditions, request.options, faceContext) };
  });
  // Each face is pasted through its own fusion mask into the one frame image; the rest of the image stays as it was.
  let composed = (await frame).image;
  for (const { conditions, crop } of faces) composed = pasteBack(composed, crop, conditions.cropToImage, conditions.fusionMask);
  const crop = faces[0].crop;
  const expiresAt = new Date(now().getTime() + deps.resultTtlMs);
  const output = ResultOutputSchema.parse(request.options.output ?? {});
  // The face region of a multi-face edit is the box around every chosen face.
  const faceBox = unionBox(faces.map(({ conditions: each, crop: edited }) => faceBoxOf(each.cropToImage, edited.width, composed.width, composed.height)));
  const encoded = await encodeResult(composed, output, faceBox);
  await deps.blobs.put(request.resultKey, encoded.bytes, { contentType: encoded.contentType, expiresAt });
  return {
    key: request.resultKey,
    contentType: encoded.contentType,
    region: output.region,
    // A face-only result is its own box; the box is what a later per-request face crop of a frame cuts.
    faceBox: output.region === 'face' ? { x: 0, y: 0, width: faceBox.width, height: faceBox.height } : faceBox,
    generator: generator.name,
    modelPack: generator.modelPack,
    donor: crop.donor ?? null,
    ...qualityOf(faces.map((face) => face.crop)),
    expiresAt: expiresAt.toISOString(),
  };
}
