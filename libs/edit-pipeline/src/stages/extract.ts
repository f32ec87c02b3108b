/**
 * extract: asset + face index → cached representation key. A cache miss runs FORD and stores, beside the
 * representation, the face's 512 px aligned crop (so assembling never decodes the full image); a cache hit
 * skips both and decodes nothing.
 */
import { FacexError } from '@facex/contracts';
import { BlobNotFoundError, type BlobStore } from '@facex/storage';
import type { RepresentationRepository } from '../repositories/representation-repository';
import type { FaceAnalyzerPort, PipelineMetrics } from '../ports';
import { encodePng } from '../png';

export interface ExtractDeps {
  blobs: BlobStore;
  representations: RepresentationRepository;
  // Extraction needs one face at a time only.
  analyzer: Pick<FaceAnalyzerPort, 'packVersion' | 'analyzeWithCrop'>;
  metrics: PipelineMetrics;
  /** How long the cached representation and its aligned crop live. */
  representationTtlMs: number;
}

export interface ExtractRequest {
  assetKey: string;
  assetSha256: string;
  faceIndex: number;
  /** Names the input in errors, e.g. `inputs[1]`. */
  field: string;
}

async function analyzeNamingTheInput(analyzer: ExtractDeps['analyzer'], bytes: Uint8Array, faceIndex: number, field: string) {
  try {
    return await analyzer.analyzeWithCrop(bytes, faceIndex);
  } catch (error) {
    // Name the input in the message so the client sees which image had no face.
    if (error instanceof FacexError && !error.retryable) throw new FacexError(error.code, `${field}: ${error.message}`, { ...error.details, field });
    throw error;
  }
}

export async function extractRepresentation(deps: ExtractDeps, request: ExtractRequest): Promise<{ representationKey: string; cacheHit: boolean }> {
  const { assetSha256, faceIndex, field } = request;
  const cached = await deps.representations.find(assetSha256, faceIndex, deps.analyzer.packVersion);
  deps.metrics.representationCache(cached !== null);
  if (cached) return { representationKey: cached, cacheHit: true };
  const bytes = await deps.blobs.get(request.assetKey).catch((error: unknown) => {
    // Deleted between submit and now: the client's edit names an asset that no longer exists.
    if (error instanceof BlobNotFoundError) throw new FacexError('invalid_recipe', `${field}: no asset ${assetSha256}`, { field });
    throw error;
  });
  const { representation: rep, alignedCrop } = await analyzeNamingTheInput(deps.analyzer, bytes, faceIndex, field);
  if (rep.asset.sha256 !== assetSha256) {
    throw new FacexError('invalid_representation', `${field}: the stored asset's bytes do not match its id`, { field });
  }
  return { representationKey: await deps.representations.save(rep, await encodePng(alignedCrop, 3), deps.representationTtlMs), cacheHit: false };
}
