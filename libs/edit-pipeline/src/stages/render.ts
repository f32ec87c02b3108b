/**
 * render: conditions → Generator → edited 512 px crop → pasted back into the frame input's full image →
 * PNG under `results/<editId>.png`, expiring after the configured time. The result names its generator
 * and model pack, and the face-bank donor when the generator regenerated from one.
 */
import { decodeImage } from '@facex/analysis';
import type { EditOptions, EditResult } from '@facex/contracts';
import type { GeneratorContext, GeneratorRegistry } from '@facex/generators';
import { pasteBack } from '@facex/imaging';
import type { BlobStore } from '@facex/storage';
import { loadConditions } from '../conditions-codec';
import { encodePng } from '../png';

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
}

export async function renderResult(deps: RenderDeps, request: RenderRequest, context: GeneratorContext, now = () => new Date()): Promise<EditResult> {
  const generator = deps.generators.get(request.options.generator);
  const [conditions, frame] = await Promise.all([
    loadConditions(deps.blobs, request.conditionsPrefix),
    deps.blobs.get(request.frameAssetKey).then((bytes) => decodeImage(bytes)),
  ]);
  const crop = await generator.render(conditions, request.options, context);
  const composed = pasteBack(frame.image, crop, conditions.cropToImage, conditions.fusionMask);
  const expiresAt = new Date(now().getTime() + deps.resultTtlMs);
  await deps.blobs.put(request.resultKey, await encodePng(composed, 3, 6), { contentType: 'image/png', expiresAt });
  return { key: request.resultKey, contentType: 'image/png', generator: generator.name, modelPack: generator.modelPack, donor: crop.donor ?? null, expiresAt: expiresAt.toISOString() };
}
