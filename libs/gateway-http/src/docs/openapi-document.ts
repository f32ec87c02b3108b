/**
 * The OpenAPI 3.1 document of the gateway, generated from the zod schemas of @facex/contracts and the
 * gateway's DTOs (z.toJSONSchema). Deterministic: the same schemas give the same bytes, so the checked-in
 * docs/openapi.json can be compared with a fresh build (tools/openapi).
 */
import { z } from 'zod';
import {
  CreateEditRequestSchema,
  EditCanceledEventSchema,
  EditCompletedEventSchema,
  EditFailedEventSchema,
  EditResponseSchema,
  FaceListResponseSchema,
} from '@facex/contracts';
import {
  AccountResponseSchema,
  ApiKeyRequestSchema,
  AssetDetailsResponseSchema,
  AssetFromUrlRequestSchema,
  AssetListResponseSchema,
  AssetResponseSchema,
  DeliveryAttemptSchema,
  EditListQuerySchema,
  EditListResponseSchema,
  IssuedApiKeyResponseSchema,
  ListQuerySchema,
  ProblemSchema,
  ResultQuerySchema,
  RotateSecretRequestSchema,
  TaskCatalogResponseSchema,
  WebhookEndpointRequestSchema,
  WebhookEndpointResponseSchema,
  WebhookSecretResponseSchema,
} from '../http/dto';
import { PROBLEM_TYPE_BASE, problemCatalog } from '@facex/gateway-core';

type JsonObject = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonObject {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonObject;
  return rest;
}

const ref = (name: string): JsonObject => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: JsonObject): JsonObject => ({ 'application/json': { schema } });
const problem = (description: string): JsonObject => ({ description, content: { 'application/problem+json': { schema: ref('Problem') } } });

const PROBLEMS = {
  401: problem('Missing or invalid API key.'),
  404: problem("No such resource for this key (another key's asset or edit reads as absent)."),
  422: problem('Invalid request; `field` names the culprit.'),
  429: problem('Rate limited; see `Retry-After` and the `RateLimit-*` headers.'),
  503: problem('The job store is unavailable; see `Retry-After`.'),
};

const idParam = (description: string): JsonObject => ({ name: 'id', in: 'path', required: true, description, schema: { type: 'string' } });

/** Query parameters from a zod object schema (each property one parameter). */
function queryParams(schema: z.ZodType): JsonObject[] {
  const { properties = {} } = jsonSchema(schema, 'input') as { properties?: Record<string, JsonObject> };
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: 'query',
    required: false,
    ...(property['description'] ? { description: property['description'] } : {}),
    schema: property,
  }));
}

/** The upload formats decodeImage and the video probe accept (what `POST /v1/assets` really takes). */
const UPLOAD_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'video/mp4', 'video/webm', 'video/quicktime'];
/** Images in any of the three encodings; a video edit's result as stored (MP4). */
const RESULT_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'video/mp4'];
const idempotencyKey: JsonObject = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description: 'Same key and body: the same response again (header `Idempotent-Replayed: true`). Same key, another body: 422.',
  schema: { type: 'string', minLength: 1, maxLength: 255 },
};

export function buildOpenApiDocument(): JsonObject {
  const editId = idParam('Edit id (`ed_…`).');
  return {
    openapi: '3.1.0',
    info: {
      title: 'FaceX API',
      version: '1.0.0',
      description:
        'One generalist model for many facial edits. Upload assets, create an edit from a task preset or an explicit recipe, follow it over server-sent events, fetch the result. ' +
        `Errors are RFC 9457 problem details whose \`type\` is \`${PROBLEM_TYPE_BASE}<code>\` (see /docs/problems).`,
    },
    security: [{ bearer: [] }, { apiKey: [] }],
    paths: {
      '/v1/assets': {
        post: {
          summary:
            'Upload an image or a video (multipart `file`) or fetch one from a public URL (JSON `{ url }`). A video is probed before it is stored (duration, frame rate, size, frame count, audio) and refused over the limits of `GET /v1/account`.',
          parameters: [idempotencyKey],
          requestBody: {
            required: true,
            content: {
              'multipart/form-data': {
                schema: {
                  type: 'object',
                  properties: {
                    file: { type: 'string', contentMediaType: 'application/octet-stream', description: `One image or video: ${UPLOAD_TYPES.join(', ')}.` },
                  },
                  required: ['file'],
                },
                encoding: { file: { contentType: UPLOAD_TYPES.join(', ') } },
              },
              ...json(ref('AssetFromUrlRequest')),
            },
          },
          responses: {
            201: { description: 'Stored (content-addressed: the same bytes give the same id).', content: json(ref('Asset')) },
            413: problem('File, image or video too large (bytes, pixels, duration or frames; `video_too_large` names the limit).'),
            415: problem('Not an image or a supported video (MP4/MOV with H.264 or HEVC, WebM with VP8 or VP9), or an unsupported media type.'),
            ...PROBLEMS,
          },
        },
        get: {
          summary: "This key's assets, newest first.",
          parameters: queryParams(ListQuerySchema),
          responses: { 200: { description: 'A page.', content: json(ref('AssetList')) }, ...PROBLEMS },
        },
      },
      '/v1/assets/{id}': {
        get: {
          summary: 'One asset: size, type, dimensions, when stored, faces found once analysed.',
          parameters: [idParam('Asset id (sha256).')],
          responses: { 200: { description: 'The asset.', content: json(ref('AssetDetails')) }, ...PROBLEMS },
        },
        delete: {
          summary:
            "Delete this key's asset and, at once, this key's edits made from it with their results; the image and its representations go with the last key that holds it. The answer is the same whoever else holds the same bytes.",
          parameters: [idParam('Asset id (sha256).')],
          responses: { 204: { description: 'Deleted.' }, ...PROBLEMS },
        },
      },
      '/v1/assets/{id}/faces': {
        get: {
          summary: 'Every face FORD finds in the asset (index, box, score, pose, thumbnail URL), largest first; analysed on the first request, cached after.',
          parameters: [idParam('Asset id (sha256).')],
          responses: { 200: { description: 'The faces (empty when the image has none).', content: json(ref('FaceList')) }, ...PROBLEMS },
        },
      },
      '/v1/assets/{id}/faces/{index}/thumbnail': {
        get: {
          summary: "A face's 512 px aligned crop.",
          parameters: [
            idParam('Asset id (sha256).'),
            { name: 'index', in: 'path', required: true, description: 'The face index of the list.', schema: { type: 'integer', minimum: 0 } },
          ],
          responses: {
            200: { description: 'The crop.', content: { 'image/png': { schema: { type: 'string', contentMediaType: 'image/png' } } } },
            ...PROBLEMS,
          },
        },
      },
      '/v1/edits': {
        post: {
          summary:
            "Create an edit. An input may be a video where the task takes one (a face swap or head swap onto a video: its target; a reenact or animate driven by a video: its driving input); the edit then runs per frame in chunks, its progress counts frames, and its result is an MP4 rendered by the warp generator (the default) or, with `options.generator: diffusion` where the deployment serves a diffusion pack, by the diffusion generator, the frames of each chunk sampled as one batch. A photo driven by a video gives every frame its size, so it answers to the video frame-size limit (413 `video_too_large` naming the photo's input).",
          parameters: [idempotencyKey],
          requestBody: { required: true, content: json(ref('CreateEditRequest')) },
          responses: { 201: { description: 'Queued.', content: json(ref('Edit')) }, ...PROBLEMS },
        },
        get: {
          summary: "This key's edits, newest first, filtered by status and creation time.",
          parameters: queryParams(EditListQuerySchema),
          responses: { 200: { description: 'A page.', content: json(ref('EditList')) }, ...PROBLEMS },
        },
      },
      '/v1/edits/{id}': {
        get: {
          summary: "An edit's status, progress and result link.",
          parameters: [editId],
          responses: { 200: { description: 'The edit.', content: json(ref('Edit')) }, ...PROBLEMS },
        },
        delete: {
          summary: 'Cancel a queued or running edit (200); delete a finished one with its result, conditions and delivery log (204).',
          parameters: [editId],
          responses: { 200: { description: 'Canceled.', content: json(ref('Edit')) }, 204: { description: 'Deleted.' }, ...PROBLEMS },
        },
      },
      '/v1/edits/{id}/result': {
        get: {
          summary:
            "The result in its stored encoding (streamed, or a redirect to a presigned URL): an image, re-encoded on request (`format`, `quality`, `region`, or `Accept`) and never with metadata, or a video edit's MP4 (with the clip's frame rate and audio), which takes no encoding parameters (422 naming the parameter, 406 for an `Accept` without `video/mp4`). `X-FaceX-Generator` and `X-FaceX-Model-Pack` name what made it.",
          parameters: [
            editId,
            ...queryParams(ResultQuerySchema),
            {
              name: 'Accept',
              in: 'header',
              required: false,
              description: `${RESULT_TYPES.join(', ')}; wildcards mean the stored encoding.`,
              schema: { type: 'string' },
            },
          ],
          responses: {
            200: {
              description: 'The image or video.',
              content: Object.fromEntries(RESULT_TYPES.map((type) => [type, { schema: { type: 'string', contentMediaType: type } }])),
            },
            302: { description: 'Redirect to a short-lived URL of the stored result.' },
            406: problem('`Accept` names only types not offered.'),
            409: problem('The edit has not completed.'),
            410: problem('The result has expired.'),
            ...PROBLEMS,
          },
        },
      },
      '/v1/edits/{id}/events': {
        get: {
          summary: 'Server-sent events: `status` on each status change, `progress` on progress; ends after the terminal status. Supports `Last-Event-ID`.',
          parameters: [editId],
          responses: {
            200: { description: 'An event stream; each `data` is the edit.', content: { 'text/event-stream': { schema: ref('Edit') } } },
            ...PROBLEMS,
          },
        },
      },
      '/v1/edits/{id}/deliveries': {
        get: {
          summary: "Every webhook delivery attempt of the edit's events, oldest first.",
          parameters: [editId],
          responses: {
            200: {
              description: 'The log.',
              content: json({ type: 'object', properties: { items: { type: 'array', items: ref('DeliveryAttempt') } }, required: ['items'] }),
            },
            ...PROBLEMS,
          },
        },
      },
      '/v1/edits/{id}/redeliver': {
        post: {
          summary: "Sends the finished edit's event again to its webhookUrl and every subscribed endpoint (same event id).",
          parameters: [editId],
          responses: { 202: { description: 'Queued.' }, 409: problem('The edit has not finished.'), ...PROBLEMS },
        },
      },
      '/v1/webhook-endpoints': {
        post: {
          summary: 'Register a webhook endpoint; the answer carries its signing secret.',
          requestBody: { required: true, content: json(ref('WebhookEndpointRequest')) },
          responses: { 201: { description: 'Registered.', content: json(ref('WebhookEndpoint')) }, ...PROBLEMS },
        },
        get: {
          summary: "This key's endpoints (without secrets).",
          responses: {
            200: {
              description: 'The endpoints.',
              content: json({ type: 'object', properties: { items: { type: 'array', items: ref('WebhookEndpoint') } }, required: ['items'] }),
            },
            ...PROBLEMS,
          },
        },
      },
      '/v1/webhook-endpoints/{id}': {
        get: {
          summary: 'One endpoint with its secrets.',
          parameters: [idParam('Endpoint id (`we_…`).')],
          responses: { 200: { description: 'The endpoint.', content: json(ref('WebhookEndpoint')) }, ...PROBLEMS },
        },
        delete: {
          summary: 'Remove an endpoint.',
          parameters: [idParam('Endpoint id (`we_…`).')],
          responses: { 204: { description: 'Removed.' }, ...PROBLEMS },
        },
      },
      '/v1/webhook-endpoints/{id}/rotate-secret': {
        post: {
          summary: 'A new signing secret; the previous one keeps signing (a second signature in `webhook-signature`) for `overlapSeconds`.',
          parameters: [idParam('Endpoint id (`we_…`).')],
          requestBody: { required: false, content: json(ref('RotateSecretRequest')) },
          responses: { 200: { description: 'Rotated.', content: json(ref('WebhookEndpoint')) }, ...PROBLEMS },
        },
      },
      '/v1/account': {
        get: {
          summary: 'This key, and how long the deployment keeps derived data (retention) and what it accepts.',
          responses: { 200: { description: 'The account.', content: json(ref('Account')) }, ...PROBLEMS },
        },
      },
      '/v1/keys': {
        get: {
          summary: 'Every API key (admin keys only).',
          responses: { 200: { description: 'The keys (never the keys themselves).' }, 403: problem('Not an admin key.'), ...PROBLEMS },
        },
        post: {
          summary: 'Create a key (admin keys only); the response is the only time the key itself is shown.',
          requestBody: { required: true, content: json(ref('ApiKeyRequest')) },
          responses: { 201: { description: 'Created.', content: json(ref('IssuedApiKey')) }, 403: problem('Not an admin key.'), ...PROBLEMS },
        },
      },
      '/v1/keys/{id}': {
        delete: {
          summary: 'Revoke a key at once (admin keys only).',
          parameters: [idParam('Key id (`key_…`).')],
          responses: { 204: { description: 'Revoked.' }, 403: problem('Not an admin key.'), ...PROBLEMS },
        },
      },
      '/v1/tasks': {
        get: {
          summary: 'Task presets, components and the generators deployed with their model packs.',
          responses: { 200: { description: 'The catalog.', content: json(ref('TaskCatalog')) }, ...PROBLEMS },
        },
      },
      '/v1/webhook-secret': {
        get: {
          summary: "This key's webhook signing secret (Standard Webhooks).",
          responses: { 200: { description: 'The secret.', content: json(ref('WebhookSecret')) }, ...PROBLEMS },
        },
      },
      '/healthz': { get: { summary: 'Liveness.', security: [], responses: { 200: { description: 'Alive.' } } } },
      '/readyz': {
        get: {
          summary: 'Readiness: an edit can be taken (Redis and the blob store answer).',
          security: [],
          responses: { 200: { description: 'Ready.' }, 503: problem('Not ready; `detail` says what is missing.') },
        },
      },
      '/metrics': {
        get: {
          summary: 'Prometheus metrics: on the metrics port (METRICS_PORT, default 9464); here only with METRICS_ON_API_PORT=true.',
          security: [],
          responses: {
            200: { description: 'Exposition text.', content: { 'text/plain': { schema: { type: 'string' } } } },
            404: problem('Served on the metrics port.'),
          },
        },
      },
    },
    webhooks: Object.fromEntries(
      (['edit.completed', 'edit.failed', 'edit.canceled'] as const).map((type) => [
        type,
        {
          post: {
            summary: `Sent once when an edit reaches \`${type.slice('edit.'.length)}\`; signed with Standard Webhooks headers (webhook-id, webhook-timestamp, webhook-signature).`,
            requestBody: { required: true, content: json(ref(`Event_${type.replace('.', '_')}`)) },
            responses: { 200: { description: 'Any 2xx acknowledges; 408, 429 and 5xx are retried with exponential backoff and jitter.' } },
          },
        },
      ]),
    ),
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: '`Authorization: Bearer fx_…`' },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
      },
      schemas: {
        AssetFromUrlRequest: jsonSchema(AssetFromUrlRequestSchema, 'input'),
        Asset: jsonSchema(AssetResponseSchema, 'output'),
        AssetDetails: jsonSchema(AssetDetailsResponseSchema, 'output'),
        AssetList: jsonSchema(AssetListResponseSchema, 'output'),
        EditList: jsonSchema(EditListResponseSchema, 'output'),
        Account: jsonSchema(AccountResponseSchema, 'output'),
        WebhookEndpointRequest: jsonSchema(WebhookEndpointRequestSchema, 'input'),
        WebhookEndpoint: jsonSchema(WebhookEndpointResponseSchema, 'output'),
        RotateSecretRequest: jsonSchema(RotateSecretRequestSchema, 'input'),
        ApiKeyRequest: jsonSchema(ApiKeyRequestSchema, 'input'),
        IssuedApiKey: jsonSchema(IssuedApiKeyResponseSchema, 'output'),
        DeliveryAttempt: jsonSchema(DeliveryAttemptSchema, 'output'),
        CreateEditRequest: jsonSchema(CreateEditRequestSchema, 'input'),
        Edit: jsonSchema(EditResponseSchema, 'output'),
        FaceList: jsonSchema(FaceListResponseSchema, 'output'),
        TaskCatalog: jsonSchema(TaskCatalogResponseSchema, 'output'),
        WebhookSecret: jsonSchema(WebhookSecretResponseSchema, 'output'),
        Problem: { ...jsonSchema(ProblemSchema, 'output'), 'x-problem-codes': problemCatalog() },
        Event_edit_completed: jsonSchema(EditCompletedEventSchema, 'output'),
        Event_edit_failed: jsonSchema(EditFailedEventSchema, 'output'),
        Event_edit_canceled: jsonSchema(EditCanceledEventSchema, 'output'),
      },
    },
  };
}

/** The document as served at /docs/openapi.json and checked in at docs/openapi.json. */
export function openApiJson(): string {
  return `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`;
}
