/**
 * The edit operations of the HTTP API, scoped to a tenant: create (with the checks only the gateway can make:
 * asset visibility, generator availability, the random-weights rule, the webhook URL's SSRF check), read,
 * cancel, and the result. Another tenant's edit reads as absent (404), never as forbidden.
 */
import { defaultGenerator, editAssets, maskSizeError, newEditRecord, outputFrameInput, parseCreateEditRequest, EDIT_ID_PATTERN, FacexError, type EditInput, type EditRecord, type EditResult, type FaceSelection, type Recipe } from '@facex/contracts';
import type { EditService } from '@facex/edit-pipeline';
import { assertPublicUrl } from '@facex/net-guard';
import { BlobNotFoundError, isExpired, type BlobInfo, type BlobStore } from '@facex/storage';
import type { Readable } from 'node:stream';
import { urlPolicyOf, type GatewayConfig } from '../config/gateway-config';
import { ProblemError } from '../problem/problem';
import type { AssetService } from './asset-service';
import type { FaceService } from './face-service';
import type { GeneratorInfo } from './task-catalog';

export type ResultDelivery =
  | { kind: 'redirect'; url: string; result: EditResult }
  | { kind: 'stream'; body: Readable; info: BlobInfo; result: EditResult };

export type EditApiSettings = Pick<GatewayConfig, 'allowPrivateUrls' | 'allowRandomWeights' | 'presignSeconds'>;

/** The headers naming what made a result (honest outputs). */
export function provenanceHeaders(result: EditResult): Record<string, string> {
  return {
    'x-facex-generator': result.generator,
    'x-facex-model-pack': result.modelPack ? `${result.modelPack.name}@${result.modelPack.version}` : 'none',
  };
}

export class EditApiService {
  constructor(
    private readonly edits: EditService,
    private readonly assets: AssetService,
    private readonly blobs: BlobStore,
    private readonly generators: readonly GeneratorInfo[],
    private readonly settings: EditApiSettings,
    /** Chooses the faces of a multi-face edit (`faces`); without it such an edit is refused. */
    private readonly faces?: FaceService,
  ) {}

  async create(tenant: string, body: unknown): Promise<EditRecord> {
    const { recipe, inputs, mask, faces, options: requested } = parseCreateEditRequest(body);
    const generator = requested.generator ?? defaultGenerator(this.generators.map((info) => info.name)) ?? 'reference';
    const options = { ...requested, generator };
    this.checkGenerator(generator);
    await Promise.all(
      editAssets({ inputs, mask, faces }).map(async ({ field, assetId }) => {
        if (!(await this.assets.visible(tenant, assetId))) throw new FacexError('invalid_recipe', `${field}: no asset ${assetId}`, { field });
      }),
    );
    if (mask) await this.checkMaskSize(mask.assetId, inputs[outputFrameInput(recipe.task)].assetId);
    if (options.webhookUrl) await assertPublicUrl(options.webhookUrl, urlPolicyOf(this.settings, 'options.webhookUrl'));
    const targetFaces = faces ? await this.chooseFaces(tenant, faces, recipe, inputs) : null;
    return this.edits.submit(newEditRecord({ tenant, recipe, inputs, mask, faces, targetFaces, options }));
  }

  private chooseFaces(tenant: string, faces: FaceSelection, recipe: Recipe, inputs: EditInput[]): Promise<number[]> {
    if (!this.faces) throw new FacexError('invalid_recipe', 'faces: this deployment cannot choose faces', { field: 'faces' });
    return this.faces.targetFaces(tenant, faces, recipe, inputs);
  }

  /** A mask must be its image's size; where either size is not known, the assemble stage checks it instead. */
  private async checkMaskSize(mask: string, image: string): Promise<void> {
    const [maskSize, imageSize] = await Promise.all([this.assets.size(mask), this.assets.size(image)]);
    const wrongSize = maskSize && imageSize && maskSizeError(maskSize, imageSize);
    if (wrongSize) throw wrongSize;
  }

  /** The tenant's edit; ProblemError('not_found') otherwise (malformed ids included). */
  async get(tenant: string, editId: string): Promise<EditRecord> {
    const edit = EDIT_ID_PATTERN.test(editId) ? await this.edits.get(editId, tenant) : null;
    if (!edit) throw new ProblemError('not_found', `no edit ${editId}`);
    return edit;
  }

  async cancel(tenant: string, editId: string): Promise<EditRecord> {
    const edit = await this.get(tenant, editId);
    const canceled = await this.edits.cancel(edit.id, tenant);
    if (!canceled) throw new ProblemError('edit_already_finished', `edit ${editId} has already finished`);
    return canceled;
  }

  /** A presigned redirect (S3) or a stream (filesystem) of the result; 409 before completion, 410 once expired. */
  async result(tenant: string, editId: string): Promise<ResultDelivery> {
    const edit = await this.get(tenant, editId);
    const result = edit.result;
    if (edit.status !== 'completed' || !result) throw new ProblemError('edit_not_completed', `edit ${editId} is ${edit.status}`);
    const gone = (): ProblemError => new ProblemError('result_expired', `the result of edit ${editId} expired at ${result.expiresAt}`);
    if (isExpired(new Date(result.expiresAt))) throw gone();
    if (this.blobs.presign) {
      if (!(await this.blobs.head(result.key))) throw gone();
      return { kind: 'redirect', url: await this.blobs.presign(result.key, this.settings.presignSeconds), result };
    }
    try {
      const { info, body } = await this.blobs.stream(result.key);
      return { kind: 'stream', body, info, result };
    } catch (error) {
      if (error instanceof BlobNotFoundError) throw gone();
      throw error;
    }
  }

  private checkGenerator(name: string): void {
    const info = this.generators.find((generator) => generator.name === name);
    const field = 'options.generator';
    if (!info) {
      const available = this.generators.map((generator) => generator.name).join(', ');
      throw new FacexError('invalid_recipe', `${field}: '${name}' is not deployed (available: ${available})`, { field });
    }
    if (info.modelPack?.randomWeights && !this.settings.allowRandomWeights) {
      throw new ProblemError('random_weights_refused', `${field}: the '${name}' pack ${info.modelPack.name}@${info.modelPack.version} has random weights; the operator has not allowed it for edits`, { field });
    }
  }
}
