/**
 * The HTTP shapes the gateway adds to @facex/contracts (assets, the task catalog, key creation), as zod
 * schemas: validated here and turned into the OpenAPI document.
 */
import { z } from 'zod';
import { COMPONENT_NAMES, GENERATOR_NAMES, PRESET_NAMES, REGION_NAMES, Sha256Schema, formatFieldPath } from '@facex/contracts';
import { ProblemError } from '@facex/gateway-core';

export const AssetFromUrlRequestSchema = z
  .strictObject({ url: z.url({ protocol: /^https?$/ }).meta({ description: 'A public http(s) URL of a JPEG, PNG or WebP image.' }) })
  .meta({ description: 'Fetch an asset from a public URL (no private, loopback or link-local addresses).' });

export const AssetResponseSchema = z
  .strictObject({
    id: Sha256Schema,
    size: z.int().min(1),
    contentType: z.string(),
    width: z.int().min(1),
    height: z.int().min(1),
  })
  .meta({ description: 'A stored asset; `id` is the sha256 of its bytes.' });

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
  secret: z.string().meta({ description: 'Standard Webhooks secret (`whsec_…`) that signs this key\'s webhook deliveries.' }),
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

/** Parses a body with `schema`; ProblemError('invalid_request') naming the first bad field otherwise. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]] : issue.path;
  const field = formatFieldPath(path) || '(body)';
  throw new ProblemError('invalid_request', `${field}: ${issue.code === 'unrecognized_keys' ? 'unknown field' : issue.message}`, { field });
}
