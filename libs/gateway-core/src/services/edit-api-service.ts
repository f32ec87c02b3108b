/**
 * The edit operations of the HTTP API, scoped to a tenant: create (with the checks only the gateway can make:
 * asset visibility, which input may be a video, generator availability, the random-weights rule, the webhook
 * URL's SSRF check), read, cancel, and the result. Another tenant's edit reads as absent (404), never as forbidden.
 */
import {
  TERMINAL_STATUSES,
  samples,
  defaultGenerator,
  editAssets,
  maskSizeError,
  newEditRecord,
  outputFrameInput,
  parseCreateEditRequest,
  EDIT_ID_PATTERN,
  FacexError,
  type EditInput,
  type EditRecord,
  type EditResult,
  type FaceSelection,
  type Recipe,
} from '@facex/contracts';
import { encodeResult, type EditService, type Page, type PageQuery } from '@facex/edit-pipeline';
import type { EditStatus, ResultImageFormat } from '@facex/contracts';
import { assertPublicUrl } from '@facex/net-guard';
import { BlobNotFoundError, isExpired, type BlobInfo, type BlobStore } from '@facex/storage';
import type { Readable } from 'node:stream';
import { urlPolicyOf, withSettingHint, type GatewayConfig } from '../config/gateway-config';
import { ProblemError } from '../problem/problem';
import type { AssetService } from './asset-service';
import type { FaceService } from './face-service';
import type { GeneratorInfo } from './task-catalog';
import { checkDrivenPhotoPixels, videoProbeOfEdit } from './video-input';

export type ResultDelivery =
  | { kind: 'redirect'; url: string; result: EditResult }
  | { kind: 'stream'; body: Readable; info: BlobInfo; result: EditResult }
  | { kind: 'bytes'; body: Buffer; contentType: string; result: EditResult };

/** A per-request encoding of a result; what is absent is taken from the stored result. */
export interface ResultEncodingRequest {
  /** `mp4`: `Accept` named only video types. */
  format?: ResultImageFormat | 'mp4';
  /** The request field that asked for `format` (named when the result cannot be given in it). */
  formatField?: 'format' | 'Accept';
  quality?: number;
  region?: 'frame' | 'face';
}

const FORMAT_OF_CONTENT_TYPE: Record<string, ResultImageFormat> = { 'image/png': 'png', 'image/jpeg': 'jpeg', 'image/webp': 'webp' };

const VIDEO_CONTENT_TYPE = 'video/mp4';

/**
 * A video result is served as stored: image encodings (format, quality, region) are refused by the field that
 * asked for them, 406 when only `Accept` did.
 */
function checkVideoEncoding(editId: string, encoding: ResultEncodingRequest): void {
  const what = `the result of edit ${editId} is a video (${VIDEO_CONTENT_TYPE})`;
  if (encoding.format !== undefined && encoding.format !== 'mp4') {
    if (encoding.formatField === 'Accept') throw new ProblemError('not_acceptable', `Accept: ${what}`, { field: 'Accept' });
    throw new ProblemError('invalid_request', `format: ${what}; format applies to image results`, { field: 'format' });
  }
  for (const field of ['quality', 'region'] as const) {
    if (encoding[field] !== undefined) throw new ProblemError('invalid_request', `${field}: ${what}; ${field} applies to image results`, { field });
  }
}

export type EditApiSettings = Pick<GatewayConfig, 'allowPrivateUrls' | 'allowRandomWeights' | 'presignSeconds' | 'video'>;

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
    // One read per asset: whether the tenant holds it, and whether it is a video.
    const assets = editAssets({ inputs, mask, faces });
    const owned = await Promise.all(assets.map(({ assetId }) => this.assets.find(tenant, assetId)));
    const videoOf = (i: number) => owned[i]?.video ?? null;
    const others = assets.slice(inputs.length).map(({ field }, i) => ({ field, video: videoOf(inputs.length + i) }));
    const video = videoProbeOfEdit(
      recipe.task,
      inputs.map((_, i) => videoOf(i)),
      others,
      { faces, options: requested },
    );
    // The video workers render with their own warp generator (a video's default, whatever the render workers
    // serve); a video edit asking for diffusion runs its chunks on the render workers, so it needs their pack.
    const generator = video
      ? (requested.generator ?? 'warp')
      : (requested.generator ?? defaultGenerator(this.generators.map((info) => info.name)) ?? 'reference');
    const options = { ...requested, generator };
    if (!video || generator !== 'warp') this.checkGenerator(generator);
    // `animate` differs from `reenact` only by the stylised base U-Net, which only a sampling generator has.
    if (recipe.task.preset === 'animate' && !samples(generator)) {
      throw new FacexError(
        'invalid_recipe',
        `task.style: the '${generator}' generator has no stylised base model, so animate would be reenact under another name; use preset reenact, or generator diffusion`,
        { field: 'task.style' },
      );
    }
    const missing = assets.find((_, i) => owned[i] === null);
    if (missing) throw new FacexError('invalid_recipe', `${missing.field}: no asset ${missing.assetId}`, { field: missing.field });
    if (video) checkDrivenPhotoPixels(recipe.task, (input) => owned[input], this.settings.video.limits.maxPixels);
    if (mask) await this.checkMaskSize(mask.assetId, inputs[outputFrameInput(recipe.task)].assetId);
    if (options.webhookUrl) await withSettingHint(assertPublicUrl(options.webhookUrl, urlPolicyOf(this.settings, 'options.webhookUrl')));
    const targetFaces = faces ? await this.chooseFaces(tenant, faces, recipe, inputs) : null;
    return this.edits.submit(newEditRecord({ tenant, recipe, inputs, mask, faces, targetFaces, options }), video ?? undefined);
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

  /** The tenant's edits, newest first, optionally of some statuses only. */
  async list(tenant: string, query: PageQuery & { statuses?: readonly EditStatus[] }): Promise<Page<EditRecord>> {
    const page = await this.edits.list(tenant, query);
    if (!page) throw new ProblemError('invalid_request', 'cursor: not a cursor this API returned', { field: 'cursor' });
    return page;
  }

  /**
   * DELETE of an edit: a live edit is canceled (and kept, so its status can be read); a finished one is deleted
   * with its result and conditions (`deleted`).
   */
  async remove(tenant: string, editId: string): Promise<{ deleted: true } | { deleted: false; edit: EditRecord }> {
    const edit = await this.get(tenant, editId);
    if (TERMINAL_STATUSES.includes(edit.status)) {
      await this.edits.deleteEdit(edit);
      return { deleted: true };
    }
    const canceled = await this.edits.cancel(edit.id, tenant);
    if (canceled) return { deleted: false, edit: canceled };
    // It finished between the read and the cancel: delete it as a finished edit.
    const finished = await this.get(tenant, editId);
    await this.edits.deleteEdit(finished);
    return { deleted: true };
  }

  async cancel(tenant: string, editId: string): Promise<EditRecord> {
    const edit = await this.get(tenant, editId);
    const canceled = await this.edits.cancel(edit.id, tenant);
    if (!canceled) throw new ProblemError('edit_already_finished', `edit ${editId} has already finished`);
    return canceled;
  }

  /**
   * A presigned redirect (S3) or a stream (filesystem) of the stored result, or, when `encoding` asks for
   * another format, quality or the face only, the re-encoded bytes (metadata stripped); 409 before
   * completion, 410 once expired.
   */
  async result(tenant: string, editId: string, encoding: ResultEncodingRequest = {}): Promise<ResultDelivery> {
    const edit = await this.get(tenant, editId);
    const result = edit.result;
    if (edit.status !== 'completed' || !result) throw new ProblemError('edit_not_completed', `edit ${editId} is ${edit.status}`);
    const gone = (): ProblemError => new ProblemError('result_expired', `the result of edit ${editId} expired at ${result.expiresAt}`);
    if (isExpired(new Date(result.expiresAt))) throw gone();
    if (result.contentType === VIDEO_CONTENT_TYPE) checkVideoEncoding(editId, encoding);
    else if (encoding.format === 'mp4') {
      throw new ProblemError('not_acceptable', `Accept: the result of edit ${editId} is an image (${result.contentType})`, { field: 'Accept' });
    }
    const stored = { format: FORMAT_OF_CONTENT_TYPE[result.contentType], region: result.region ?? 'frame' };
    const wanted = {
      format: encoding.format === undefined || encoding.format === 'mp4' ? stored.format : encoding.format,
      region: encoding.region ?? stored.region,
      ...(encoding.quality ? { quality: encoding.quality } : {}),
    };
    if (wanted.format !== stored.format || wanted.region !== stored.region || (encoding.quality !== undefined && wanted.format !== 'png')) {
      if (wanted.region === 'frame' && stored.region === 'face')
        throw new ProblemError('invalid_request', `region: edit ${editId} stored only the face (options.output.region was face)`, { field: 'region' });
      if (wanted.region === 'face' && !result.faceBox)
        throw new ProblemError('invalid_request', `region: the result of edit ${editId} does not record where the face is`, { field: 'region' });
      let bytes: Uint8Array;
      try {
        bytes = await this.blobs.get(result.key);
      } catch (error) {
        if (error instanceof BlobNotFoundError) throw gone();
        throw error;
      }
      const encoded = await encodeResult(bytes, wanted, wanted.region === stored.region ? undefined : result.faceBox);
      return { kind: 'bytes', body: encoded.bytes, contentType: encoded.contentType, result };
    }
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
      throw new ProblemError(
        'random_weights_refused',
        `${field}: the '${name}' pack ${info.modelPack.name}@${info.modelPack.version} has random weights; the operator has not allowed it for edits`,
        { field },
      );
    }
  }
}
