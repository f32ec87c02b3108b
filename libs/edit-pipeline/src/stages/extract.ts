/** extract: asset + face index → cached representation key. A cache hit skips FORD entirely. */
import { FacexError } from '@facex/contracts';
import type { BlobStore } from '@facex/storage';
import type { RepresentationRepository } from '../repositories/representation-repository';
import type { FaceAnalyzerPort, PipelineMetrics } from '../ports';

export interface ExtractDeps {
  blobs: BlobStore;
  representations: RepresentationRepository;
  analyzer: FaceAnalyzerPort;
  metrics: PipelineMetrics;
}

export interface ExtractRequest {
  assetKey: string;
  assetSha256: string;
  faceIndex: number;
  /** Names the input in errors, e.g. `inputs[1]`. */
  field: string;
}

export async function extractRepresentation(deps: ExtractDeps, request: ExtractRequest): Promise<{ representationKey: string; cacheHit: boolean }> {
  const { assetSha256, faceIndex, field } = request;
  const cached = await deps.representations.find(assetSha256, faceIndex, deps.analyzer.packVersion);
  deps.metrics.representationCache(cached !== null);
  if (cached) return { representationKey: cached, cacheHit: true };
  const bytes = await deps.blobs.get(request.assetKey);
  let rep;
  try {
    rep = await deps.analyzer.analyze(bytes, faceIndex);
  } catch (error) {
    // Name the input in the message so the client sees which image had no face.
    if (error instanceof FacexError && !error.retryable) throw new FacexError(error.code, `${field}: ${error.message}`, { ...error.details, field });
    throw error;
  }
  if (rep.asset.sha256 !== assetSha256) {
    throw new FacexError('invalid_representation', `${field}: the stored asset's bytes do not match its id`, { field });
  }
  return { representationKey: await deps.representations.save(rep), cacheHit: false };
}
