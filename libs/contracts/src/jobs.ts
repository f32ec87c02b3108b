/**
 * Job contracts: the ONE union of job names and their payloads and results. Payloads carry storage keys and
 * small parameters, never image bytes or tensors.
 *
 * Queues are per tier, not per job name: `cpu` serves extract + assemble (the extractor workers), `gpu` serves
 * render (the diffusion workers, scaled on queue depth), `webhook` serves webhook deliveries. A tier is what
 * a worker fleet scales on, and one flow crosses tiers at the render step. `video` serves a video edit's
 * chunks (FORD, tracking and the warp generator on every frame of a few seconds) and its mux: a worker there
 * holds FORD, the warp generator and ffmpeg. A video chunk the diffusion generator renders goes to the `gpu`
 * queue instead (videoChunkTier): it runs where the diffusion pack is, its frames one batch in that batcher.
 */
import { z } from 'zod';
import { EditIdSchema, EditOptionsSchema, Sha256Schema, type GeneratorName } from './edits';
import { EDIT_EVENT_TYPES, WebhookEventIdSchema, type EditEventType } from './webhooks';
import { RecipeSchema } from './recipes';
import { VideoChunkSchema, VideoProbeSchema } from './video';

export const JOB_NAMES = ['extract', 'assemble', 'render', 'webhook', 'faces', 'video-chunk', 'video-mux'] as const;
export type JobName = (typeof JOB_NAMES)[number];

export const QUEUE_TIERS = ['cpu', 'gpu', 'webhook', 'video'] as const;
export type QueueTier = (typeof QUEUE_TIERS)[number];

export const QUEUE_OF_JOB: Record<JobName, QueueTier> = {
  extract: 'cpu',
  assemble: 'cpu',
  render: 'gpu',
  webhook: 'webhook',
  faces: 'cpu',
  'video-chunk': 'video',
  'video-mux': 'video',
};

/** The queue a video chunk goes to: where its generator is (the diffusion pack on `gpu`, the warp on `video`). */
export function videoChunkTier(generator: GeneratorName): QueueTier {
  return generator === 'diffusion' ? 'gpu' : QUEUE_OF_JOB['video-chunk'];
}

export const ExtractPayloadSchema = z.strictObject({
  editId: EditIdSchema,
  inputIndex: z.int().min(0),
  assetKey: z.string().min(1),
  assetSha256: Sha256Schema,
  faceIndex: z.int().min(0),
});

export const AssemblePayloadSchema = z.strictObject({
  editId: EditIdSchema,
  recipe: RecipeSchema,
  /** Per recipe input, its asset key; the representation keys come from the extract children's results. */
  assetKeys: z.array(z.string().min(1)).min(1),
  /**
   * Inputs whose representation was already cached when the edit was submitted: they have no extract job, and
   * assemble looks them up itself (extracting after all, should the cache have lost them meanwhile).
   */
  cachedInputs: z.array(z.strictObject({ inputIndex: z.int().min(0), assetSha256: Sha256Schema, faceIndex: z.int().min(0) })).optional(),
  /** The user-drawn inpainting mask's asset key, when the recipe takes one. */
  maskAssetKey: z.string().min(1).optional(),
  /** Where the conditions go: `conditions/<editId>/`. */
  conditionsPrefix: z.string().min(1),
});

export const RenderPayloadSchema = z.strictObject({
  editId: EditIdSchema,
  tenant: z.string().min(1),
  conditionsPrefix: z.string().min(1),
  /** The asset the edited crop is pasted back into (the recipe's output frame input). */
  frameAssetKey: z.string().min(1),
  options: EditOptionsSchema.omit({ webhookUrl: true }),
  resultKey: z.string().min(1),
  /**
   * A multi-face edit: the conditions of every further chosen face (`conditions/<editId>/face-<k>/`), each
   * rendered beside the first and pasted into the same frame image.
   */
  moreConditionsPrefixes: z.array(z.string().min(1)).max(63).optional(),
});

/** Every face of an asset analysed (and cached) once: what `GET /v1/assets/{id}/faces` lists. */
export const FacesPayloadSchema = z.strictObject({
  assetKey: z.string().min(1),
  assetSha256: Sha256Schema,
});

/**
 * One chunk of a video edit (a face swap or head swap onto the video, or a reenact or animate driven by it; the
 * recipe says which, see videoInputOf): its frames edited and stored at `chunkKey` (once).
 */
export const VideoChunkPayloadSchema = z.strictObject({
  editId: EditIdSchema,
  recipe: RecipeSchema,
  /** The photo (the task's source: it lends the face, or is re-posed by the video), and its face. */
  photoAssetKey: z.string().min(1),
  photoFaceIndex: z.int().min(0),
  videoAssetKey: z.string().min(1),
  /** The face of the video's first frames the track starts on (whose frames are edited, or whose motion drives). */
  videoFaceIndex: z.int().min(0),
  /** The edit's generator and sampling options (the diffusion generator samples every frame with them). */
  options: EditOptionsSchema.pick({ generator: true, seed: true, steps: true, guidance: true, resolution: true }),
  probe: VideoProbeSchema,
  chunk: VideoChunkSchema,
  /** The chunk length the flow was cut with (the other chunks' keys and sizes follow from it). */
  chunkSeconds: z.number().positive(),
  chunkKey: z.string().min(1),
});

/** The chunks joined in order with the video's audio: the result. */
export const VideoMuxPayloadSchema = z.strictObject({
  editId: EditIdSchema,
  videoAssetKey: z.string().min(1),
  probe: VideoProbeSchema,
  chunkKeys: z.array(z.string().min(1)).min(1),
  resultKey: z.string().min(1),
});

export const WebhookPayloadSchema = z.strictObject({
  editId: EditIdSchema,
  tenant: z.string().min(1),
  eventType: z.enum(EDIT_EVENT_TYPES),
  eventId: WebhookEventIdSchema,
  /** The n-th redelivery a tenant asked for (absent: the first delivery). */
  redelivery: z.int().min(1).optional(),
});

export const JOB_PAYLOAD_SCHEMAS = {
  extract: ExtractPayloadSchema,
  assemble: AssemblePayloadSchema,
  render: RenderPayloadSchema,
  webhook: WebhookPayloadSchema,
  faces: FacesPayloadSchema,
  'video-chunk': VideoChunkPayloadSchema,
  'video-mux': VideoMuxPayloadSchema,
} as const satisfies Record<JobName, z.ZodType>;

export type JobPayloads = { [N in JobName]: z.infer<(typeof JOB_PAYLOAD_SCHEMAS)[N]> };
export type JobPayload<N extends JobName> = JobPayloads[N];

/** What each job returns (stored by BullMQ; the parent reads its children's). */
export interface JobResults {
  extract: { inputIndex: number; representationKey: string; cacheHit: boolean };
  assemble: { conditionsPrefix: string };
  render: { resultKey: string };
  webhook: void;
  faces: { facesKey: string; faceCount: number };
  /**
   * `reused`: the chunk was already stored (a retry after its worker died past the upload). The generator and
   * model pack that render the chunk's frames (the mux names them in the result).
   */
  'video-chunk': { chunkKey: string; reused: boolean; generator: GeneratorName; modelPack: { name: string; version: string } | null };
  'video-mux': { resultKey: string };
}

/**
 * The deterministic job id of a stage of an edit: adding the same edit twice makes no second job. BullMQ
 * rejects custom ids with ':' (its key separator), so the parts are joined with '.'.
 */
export function editJobId(editId: string, name: Exclude<JobName, 'webhook' | 'faces'>, inputIndex?: number, faceSlot = 0): string {
  // The first chosen face keeps the ids edits had before several faces could be chosen.
  const base = inputIndex === undefined ? `${editId}.${name}` : `${editId}.${name}.${inputIndex}`;
  return faceSlot === 0 ? base : `${base}.f${faceSlot}`;
}

/** One faces job per asset: a second request while it runs waits on the same job. */
export function facesJobId(assetSha256: string): string {
  return `faces.${assetSha256}`;
}

/** The id of an edit's terminal event: one per edit and type (a terminal transition happens once). */
export function editEventId(editId: string, eventType: EditEventType): string {
  return `evt_${editId.slice('ed_'.length)}_${eventType.slice('edit.'.length)}`;
}

/** Webhook jobs are keyed by their event: one delivery job per event. */
export function webhookJobId(eventId: string): string {
  return `webhook.${eventId}`;
}
