/**
 * The faces of a tenant's photos: `GET /v1/assets/{id}/faces` and its thumbnails, and the choice of the faces
 * a multi-face edit touches (index, all, or those matching a reference face), made when the edit is created
 * so that a bad choice is a 422 and nothing is queued.
 */
import { FacexError, outputFrameInput, selectFaces, sortFaces, type EditInput, type FaceListResponse, type FaceSelection, type Recipe } from '@facex/contracts';
import type { FaceLists } from '@facex/edit-pipeline';
import { ProblemError } from '../problem/problem';
import type { AssetService } from './asset-service';

export class FaceService {
  constructor(
    private readonly lists: FaceLists,
    private readonly assets: AssetService,
  ) {}

  private async visibleList(tenant: string, assetId: string) {
    if (!(await this.assets.visible(tenant, assetId))) throw new ProblemError('not_found', `no asset ${assetId}`);
    return this.lists.get(assetId);
  }

  /** Every face of the asset, largest first (FORD's indices), each with its thumbnail's URL. */
  async list(tenant: string, assetId: string): Promise<FaceListResponse> {
    const list = await this.visibleList(tenant, assetId);
    return {
      assetId,
      faces: sortFaces(list.faces, 'largest-first').map(({ index, box, score, pose }) => ({
        index,
        box,
        score,
        pose,
        thumbnailUrl: `/v1/assets/${assetId}/faces/${index}/thumbnail`,
      })),
    };
  }

  /** A face's aligned crop (PNG); 404 for a face the asset does not have. */
  async thumbnail(tenant: string, assetId: string, index: number): Promise<Uint8Array> {
    const list = await this.visibleList(tenant, assetId);
    if (!Number.isInteger(index) || !list.faces.some((face) => face.index === index))
      throw new ProblemError('not_found', `asset ${assetId} has no face ${index}`);
    return this.lists.thumbnail(list, index);
  }

  /** FORD's indices of the frame input's faces the selection chooses (see contracts selectFaces). */
  async targetFaces(tenant: string, selection: FaceSelection, recipe: Recipe, inputs: readonly EditInput[]): Promise<number[]> {
    const frame = inputs[outputFrameInput(recipe.task)];
    const list = await this.lists.get(frame.assetId);
    if (selection.mode !== 'reference' || !selection.reference) return selectFaces(list.faces, selection, frame.faceIndex);
    const { assetId, faceIndex } = selection.reference;
    if (!(await this.assets.visible(tenant, assetId)))
      throw new FacexError('invalid_recipe', `faces.reference.assetId: no asset ${assetId}`, { field: 'faces.reference.assetId' });
    const reference = (await this.lists.get(assetId)).faces.find((face) => face.index === faceIndex) ?? null;
    return selectFaces(list.faces, selection, frame.faceIndex, reference);
  }
}
