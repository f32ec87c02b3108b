/**
 * The HTTP shapes the gateway adds to @facex/contracts (assets, the task catalog, key creation), as zod
 * schemas: validated here and turned into the OpenAPI document.
 */
import { z } from 'zod';
import {
  EDIT_EVENT_TYPES,
  RESULT_CONTENT_TYPES,
  RESULT_IMAGE_FORMATS,
  type ResultImageFormat,
  COMPONENT_NAMES,
  EDIT_STATUSES,
  EditResponseSchema,
  GENERATOR_NAMES,
  PRESET_NAMES,
  REGION_NAMES,
  Sha256Schema,
  VideoProbeSchema,
  formatFieldPath,
} from '@facex/contracts';
import { ProblemError, type ResultEncodingRequest } from '@facex/gateway-core';

export const AssetFromUrlRequestSchema = z
  .strictObject({
    url: z
      .url({ protocol: /^https?$/ })
      .meta({ description: 'A public http(s) URL of a JPEG, PNG or WebP image, or an MP4 (H.264), WebM (VP9) or MOV video.' }),
  })
  .meta({ description: 'Fetch an asset from a public URL (no private, loopback or link-local addresses).' });

export const AssetResponseSchema = z
  .strictObject({
    id: Sha256Schema,
    createdAt: z.iso.datetime().meta({ description: 'When this key first stored the asset.' }),
    size: z.int().min(1),
    contentType: z.string().meta({ description: '`image/jpeg`, `image/png`, `image/webp`, … or `video/mp4`, `video/webm`, `video/quicktime`.' }),
    width: z.int().min(1),
    height: z.int().min(1),
    video: VideoProbeSchema.nullable().meta({
      description:
        'A video asset as ffprobe read it at upload (container, codec, frame size, exact frame rate, frame count, duration, audio track); null for an image.',
    }),
  })
  .meta({ description: 'A stored asset; `id` is the sha256 of its bytes.' });

export const AssetDetailsResponseSchema = AssetResponseSchema.extend({
  faceCount: z.int().min(0).nullable().meta({ description: 'Faces found by the analysis; null until an edit has analysed the image.' }),
}).meta({ description: 'A stored asset with what is known of it.' });

const isoInstant = z.iso.datetime({ offset: true });

/** Query of a listing: `limit`, `cursor` (the previous page's `nextCursor`), a created range. */
export const ListQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20).meta({ description: 'Items per page (1–100, default 20).' }),
  cursor: z.string().min(1).max(200).optional().meta({ description: 'The `nextCursor` of the previous page.' }),
  createdAfter: isoInstant.optional().meta({ description: 'Only items created at or after this instant (ISO 8601).' }),
  createdBefore: isoInstant.optional().meta({ description: 'Only items created before this instant (ISO 8601).' }),
});

export const EditListQuerySchema = ListQuerySchema.extend({
  status: z
    .string()
    .regex(new RegExp(`^(${EDIT_STATUSES.join('|')})(,(${EDIT_STATUSES.join('|')}))*$`), `a comma-separated list of ${EDIT_STATUSES.join(', ')}`)
    .optional()
    .meta({ description: `Only edits in these statuses, comma-separated (${EDIT_STATUSES.join(', ')}).` }),
});

export const AssetListResponseSchema = z.strictObject({
  items: z.array(AssetResponseSchema),
  nextCursor: z.string().optional().meta({ description: 'Absent on the last page.' }),
});

export const EditListResponseSchema = z.strictObject({
  items: z.array(EditResponseSchema),
  nextCursor: z.string().optional().meta({ description: 'Absent on the last page; a status filter may return a short page that still has one.' }),
});

export const ResultQuerySchema = z.strictObject({
  format: z
    .enum(RESULT_IMAGE_FORMATS)
    .optional()
    .meta({ description: 'Re-encode an image result as png, jpeg or webp (else `Accept`, else the stored format); refused for a video result.' }),
  quality: z.coerce.number().int().min(1).max(100).optional().meta({ description: 'jpeg/webp quality, 1–100 (image results).' }),
  region: z.enum(['frame', 'face']).optional().meta({ description: "`face`: only the edited face's square (image results)." }),
});

/** The video types a result may be served as (a video edit's result is stored as MP4 and never re-encoded). */
const VIDEO_ACCEPT_TYPES = new Set(['video/mp4', 'video/*']);

/**
 * The encoding a result request asks for: the query first, then the most preferred supported type in
 * `Accept` (wildcards mean the stored format; `video/mp4` a video result). An `Accept` that names only
 * unsupported types is a 406.
 */
export function resultEncodingOf(query: z.infer<typeof ResultQuerySchema>, accept: string | undefined): ResultEncodingRequest {
  const format = query.format ?? formatFromAccept(accept);
  return {
    ...(format ? { format, formatField: query.format ? ('format' as const) : ('Accept' as const) } : {}),
    ...(query.quality ? { quality: query.quality } : {}),
    ...(query.region ? { region: query.region } : {}),
  };
}

function formatFromAccept(accept: string | undefined): ResultImageFormat | 'mp4' | undefined {
  if (!accept) return undefined;
  const ranges = accept
    .split(',')
    .map((part, index) => {
      const [type, ...params] = part.trim().toLowerCase().split(';');
      const q = Number(
        params
          .map((param) => param.trim())
          .find((param) => param.startsWith('q='))
          ?.slice(2) ?? '1',
      );
      return { type: type.trim(), q: Number.isFinite(q) ? q : 0, index };
    })
    .filter((range) => range.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const range of ranges) {
    if (range.type === '*/*' || range.type === 'image/*') return undefined;
    if (VIDEO_ACCEPT_TYPES.has(range.type)) return 'mp4';
    const format = (Object.entries(RESULT_CONTENT_TYPES) as Array<[ResultImageFormat, string]>).find(([, type]) => type === range.type)?.[0];
    if (format) return format;
  }
  if (ranges.length === 0) return undefined;
  throw new ProblemError('not_acceptable', `Accept: results are offered as ${[...Object.values(RESULT_CONTENT_TYPES), 'video/mp4'].join(', ')}`, {
    field: 'Accept',
  });
}

export const WebhookEndpointRequestSchema = z
  .strictObject({
    url: z.url({ protocol: /^https?$/ }).meta({ description: 'A public http(s) URL (checked against the SSRF policy now and at every delivery).' }),
    events: z.array(z.enum(EDIT_EVENT_TYPES)).min(1).optional().meta({ description: 'The events it receives (default: all).' }),
  })
  .meta({ description: 'Register a webhook endpoint for this key.' });

export const ApiKeyRequestSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(100).meta({ description: 'Who or what the key is for (shown in key listings).' }),
    admin: z.boolean().optional().meta({ description: 'May list, create and revoke keys (default false).' }),
  })
  .meta({ description: 'Create an API key (admin keys only).' });

export const IssuedApiKeyResponseSchema = z
  .strictObject({
    id: z.string().meta({ description: 'The key id (`key_…`): the tenant its assets and edits belong to.' }),
    name: z.string(),
    admin: z.boolean(),
    key: z.string().meta({ description: 'The key itself (`fx_…`): shown this once, only its hash is kept.' }),
    webhookSecret: z.string().meta({ description: "The Standard Webhooks secret (`whsec_…`) that signs this key's deliveries." }),
  })
  .meta({ description: 'A new API key.' });

export const RotateSecretRequestSchema = z.strictObject({
  overlapSeconds: z
    .int()
    .min(0)
    .max(7 * 86_400)
    .optional()
    .meta({ description: 'How long the previous secret keeps signing (default 86400; 0: at once).' }),
});

export const WebhookEndpointResponseSchema = z
  .strictObject({
    id: z.string(),
    url: z.string(),
    events: z.array(z.enum(EDIT_EVENT_TYPES)),
    secret: z.string().optional().meta({ description: 'The `whsec_` signing secret (on creation, rotation and GET of one endpoint).' }),
    previousSecret: z
      .string()
      .nullable()
      .optional()
      .meta({ description: 'The secret before the last rotation, still signing until `previousSecretExpiresAt`.' }),
    previousSecretExpiresAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ description: "A webhook endpoint. During a rotation's overlap each delivery carries one signature per valid secret in `webhook-signature`." });

export const DeliveryAttemptSchema = z.strictObject({
  eventId: z.string(),
  eventType: z.enum(EDIT_EVENT_TYPES),
  target: z.string().meta({ description: '`options.webhookUrl` or the endpoint id.' }),
  url: z.string(),
  verdict: z.enum(['delivered', 'retryable', 'failed_permanently']),
  status: z.int().optional(),
  reason: z.string(),
  durationMs: z.int(),
  at: z.iso.datetime(),
  delivery: z.int().meta({ description: '0: the first delivery; n: the n-th redelivery.' }),
});

export const AccountResponseSchema = z
  .strictObject({
    id: z.string().meta({ description: 'The key id: every asset and edit is scoped to it.' }),
    name: z.string(),
    admin: z.boolean().meta({ description: 'Whether this key may list, create and revoke keys.' }),
    createdAt: z.iso.datetime(),
    retention: z
      .strictObject({
        assets: z.literal('until deleted'),
        resultSeconds: z.int().min(1).meta({ description: 'Results expire this long after rendering (RESULT_TTL_SECONDS).' }),
        conditionsSeconds: z.int().min(1).meta({ description: 'The conditions a result was rendered from expire with it.' }),
        representationSeconds: z.int().min(1).meta({ description: 'Cached face representations (REPRESENTATION_TTL_SECONDS).' }),
        faceCropSeconds: z.int().min(1).meta({ description: 'Aligned face crops, kept with their representation.' }),
      })
      .meta({ description: 'How long derived data lives; deleting an asset or an edit removes it at once.' }),
    limits: z.strictObject({
      maxAssetBytes: z.int(),
      maxAssetPixels: z.int(),
      video: z
        .strictObject({
          maxBytes: z.int(),
          maxDurationSeconds: z.number(),
          maxPixels: z.number(),
          maxFrames: z.number(),
        })
        .meta({ description: 'What a video upload may be: bytes, duration, frame size (width × height) and frame count.' }),
      maxJsonBytes: z.int(),
      rateLimit: z.strictObject({ burst: z.int(), perSecond: z.number() }),
    }),
  })
  .meta({ description: 'This key and what the deployment keeps and accepts.' });
export type AccountResponse = z.infer<typeof AccountResponseSchema>;

export const TaskCatalogResponseSchema = z.strictObject({
  presets: z.array(z.enum(PRESET_NAMES)),
  components: z.array(z.enum(COMPONENT_NAMES)),
  regions: z.array(z.enum(REGION_NAMES)),
  generators: z.array(
    z.strictObject({
      name: z.enum(GENERATOR_NAMES),
      modelPack: z.strictObject({ name: z.string(), version: z.string(), randomWeights: z.boolean() }).nullable(),
      usable: z.boolean().meta({ description: 'False for a pack with random weights unless the operator allows it.' }),
    }),
  ),
});

export const WebhookSecretResponseSchema = z.strictObject({
  secret: z.string().meta({ description: "Standard Webhooks secret (`whsec_…`) that signs this key's webhook deliveries." }),
});

export const ProblemSchema = z
  .object({
    type: z.string().meta({ description: 'URI reference `/docs/problems#<code>`.' }),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    code: z.string(),
    field: z.string().optional().meta({ description: 'The request field at fault.' }),
    instance: z.string().optional(),
  })
  .meta({ description: 'RFC 9457 problem details.' });

/** A listing query as the services take it. */
export function pageQueryOf(query: z.infer<typeof ListQuerySchema>): { limit: number; cursor?: string; createdAfter?: Date; createdBefore?: Date } {
  return {
    limit: query.limit,
    ...(query.cursor ? { cursor: query.cursor } : {}),
    ...(query.createdAfter ? { createdAfter: new Date(query.createdAfter) } : {}),
    ...(query.createdBefore ? { createdBefore: new Date(query.createdBefore) } : {}),
  };
}

/** Parses a body with `schema`; ProblemError('invalid_request') naming the first bad field otherwise. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]] : issue.path;
  const field = formatFieldPath(path) || '(body)';
  throw new ProblemError('invalid_request', `${field}: ${issue.code === 'unrecognized_keys' ? 'unknown field' : issue.message}`, { field });
}

/** Parses a query string with `schema`; ProblemError('invalid_request') naming the first bad parameter otherwise. */
export function parseQuery<T>(schema: z.ZodType<T>, query: unknown): T {
  return parseBody(schema, query ?? {});
}
