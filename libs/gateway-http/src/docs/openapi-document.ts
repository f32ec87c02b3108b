/**
 * The OpenAPI 3.1 document of the gateway, generated from the zod schemas of @facex/contracts and the
 * gateway's DTOs (z.toJSONSchema). Deterministic: the same schemas give the same bytes, so the checked-in
 * docs/openapi.json can be compared with a fresh build (tools/openapi).
 */
import { z } from 'zod';
import { CreateEditRequestSchema, EditCanceledEventSchema, EditCompletedEventSchema, EditFailedEventSchema, EditResponseSchema, FaceListResponseSchema } from '@facex/contracts';
import { AssetFromUrlRequestSchema, AssetResponseSchema, ProblemSchema, TaskCatalogResponseSchema, WebhookSecretResponseSchema } from '../http/dto';
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
  404: problem('No such resource for this key (another key\'s asset or edit reads as absent).'),
  422: problem('Invalid request; `field` names the culprit.'),
  429: problem('Rate limited; see `Retry-After` and the `RateLimit-*` headers.'),
  503: problem('The job store is unavailable; see `Retry-After`.'),
};

const idParam = (description: string): JsonObject => ({ name: 'id', in: 'path', required: true, description, schema: { type: 'string' } });
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
          summary: 'Upload an image (multipart `file`) or fetch one from a public URL (JSON `{ url }`).',
          parameters: [idempotencyKey],
          requestBody: {
            required: true,
            content: {
              'multipart/form-data': { schema: { type: 'object', properties: { file: { type: 'string', contentMediaType: 'application/octet-stream' } }, required: ['file'] } },
              ...json(ref('AssetFromUrlRequest')),
            },
          },
          responses: {
            201: { description: 'Stored (content-addressed: the same bytes give the same id).', content: json(ref('Asset')) },
            413: problem('File or image too large (bytes or pixels).'),
            415: problem('Not an image, or an unsupported media type.'),
            ...PROBLEMS,
          },
        },
      },
      '/v1/assets/{id}': {
        delete: {
          summary: 'Delete an asset and everything derived from it (representations, edits, results).',
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
          summary: 'A face\'s 512 px aligned crop.',
          parameters: [idParam('Asset id (sha256).'), { name: 'index', in: 'path', required: true, description: 'The face index of the list.', schema: { type: 'integer', minimum: 0 } }],
          responses: { 200: { description: 'The crop.', content: { 'image/png': { schema: { type: 'string', contentMediaType: 'image/png' } } } }, ...PROBLEMS },
        },
      },
      '/v1/edits': {
        post: {
          summary: 'Create an edit.',
          parameters: [idempotencyKey],
          requestBody: { required: true, content: json(ref('CreateEditRequest')) },
          responses: { 201: { description: 'Queued.', content: json(ref('Edit')) }, ...PROBLEMS },
        },
      },
      '/v1/edits/{id}': {
        get: { summary: 'An edit\'s status, progress and result link.', parameters: [editId], responses: { 200: { description: 'The edit.', content: json(ref('Edit')) }, ...PROBLEMS } },
        delete: {
          summary: 'Cancel a queued or running edit.',
          parameters: [editId],
          responses: { 200: { description: 'Canceled.', content: json(ref('Edit')) }, 409: problem('The edit has already finished.'), ...PROBLEMS },
        },
      },
      '/v1/edits/{id}/result': {
        get: {
          summary: 'The result image (streamed, or a redirect to a presigned URL). `X-FaceX-Generator` and `X-FaceX-Model-Pack` name what made it.',
          parameters: [editId],
          responses: {
            200: { description: 'The image.', content: { 'image/png': { schema: { type: 'string', contentMediaType: 'image/png' } } } },
            302: { description: 'Redirect to a short-lived URL of the image.' },
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
          responses: { 200: { description: 'An event stream; each `data` is the edit.', content: { 'text/event-stream': { schema: ref('Edit') } } }, ...PROBLEMS },
        },
      },
      '/v1/tasks': {
        get: { summary: 'Task presets, components and the generators deployed with their model packs.', responses: { 200: { description: 'The catalog.', content: json(ref('TaskCatalog')) }, ...PROBLEMS } },
      },
      '/v1/webhook-secret': {
        get: { summary: 'This key\'s webhook signing secret (Standard Webhooks).', responses: { 200: { description: 'The secret.', content: json(ref('WebhookSecret')) }, ...PROBLEMS } },
      },
      '/healthz': { get: { summary: 'Liveness.', security: [], responses: { 200: { description: 'Alive.' } } } },
      '/readyz': { get: { summary: 'Readiness (Redis answers).', security: [], responses: { 200: { description: 'Ready.' }, 503: problem('Not ready.') } } },
      '/metrics': { get: { summary: 'Prometheus metrics.', security: [], responses: { 200: { description: 'Exposition text.', content: { 'text/plain': { schema: { type: 'string' } } } } } } },
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
