/**
 * faces: asset → the list of every face FORD finds in it (box, score, pose, identity), cached per asset and
 * model pack, with each face's representation and aligned crop cached as extract would (so an edit of any of
 * them starts from the cache). A second request reads the cache and decodes nothing.
 */
import { isFacexError, type FaceList } from '@facex/contracts';
import type { BlobStore } from '@facex/storage';
import type { RepresentationRepository } from '../repositories/representation-repository';
import type { FaceAnalyzerPort } from '../ports';
import { encodePng } from '../png';

export interface FacesDeps {
  blobs: BlobStore;
  representations: RepresentationRepository;
  analyzer: FaceAnalyzerPort;
  /** How long the representations (and aligned crops) it caches live. */
  representationTtlMs?: number;
}

export interface FacesRequest {
  assetKey: string;
  assetSha256: string;
}

/** Every face with its crop; a photo without a face has an empty list (not an error: the list says so). */
async function analyzeAll(analyzer: FaceAnalyzerPort, bytes: Uint8Array) {
  try {
    return await analyzer.analyzeAllWithCrops(bytes);
  } catch (error) {
    if (isFacexError(error, 'no_face')) return [];
    throw error;
  }
}

export async function listFaces(deps: FacesDeps, request: FacesRequest): Promise<{ facesKey: string; faceCount: number }> {
  const { representations, analyzer } = deps;
  const cached = await representations.findFaceList(request.assetSha256, analyzer.packVersion);
  if (cached) return { facesKey: await representations.saveFaceList(cached), faceCount: cached.faces.length };
  const analysed = await analyzeAll(analyzer, await deps.blobs.get(request.assetKey));
  for (const { representation, alignedCrop } of analysed) {
    if (!(await representations.find(request.assetSha256, representation.faceIndex, analyzer.packVersion))) {
      await representations.save(representation, await encodePng(alignedCrop, 3), deps.representationTtlMs);
    }
  }
  const list: FaceList = {
    assetSha256: request.assetSha256,
    packVersion: analyzer.packVersion,
    faces: analysed.map(({ representation: rep }) => ({
      index: rep.faceIndex,
      box: rep.detection.box,
      score: rep.detection.score,
      pose: rep.motion.pose,
      identity: Array.from(rep.identity),
    })),
  };
  return { facesKey: await representations.saveFaceList(list), faceCount: list.faces.length };
}
