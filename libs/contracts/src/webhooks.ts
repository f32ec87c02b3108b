/**
 * Webhook events: one per edit state change, small by design — ids, status and links to fetch the rest with
 * the tenant's credentials. Never images, representations or any biometric data. The envelope follows the
 * Standard Webhooks payload shape (`type`, `timestamp`, `data`); `id` repeats the `webhook-id` header so
 * receivers can de-duplicate retries from the body alone.
 */
import { z } from 'zod';
import { EditIdSchema } from './edits';

export const EDIT_EVENT_TYPES = ['edit.completed', 'edit.failed', 'edit.canceled'] as const;
export type EditEventType = (typeof EDIT_EVENT_TYPES)[number];

/** The edit status each event reports. */
export const EDIT_EVENT_STATUS = {
  'edit.completed': 'completed',
  'edit.failed': 'failed',
  'edit.canceled': 'canceled',
} as const satisfies Record<EditEventType, string>;

/** `evt_` followed by 16 to 64 URL-safe characters. */
export const WebhookEventIdSchema = z.string().regex(/^evt_[A-Za-z0-9_-]{16,64}$/, 'expected evt_<id>');

const LinkSchema = z.url({ protocol: /^https?$/ });

export const WebhookErrorSchema = z.strictObject({
  code: z.string().min(1).max(64),
  title: z.string().min(1).max(200),
});
export type WebhookError = z.infer<typeof WebhookErrorSchema>;

const envelope = {
  id: WebhookEventIdSchema,
  timestamp: z.iso.datetime(),
};

export const EditCompletedEventSchema = z.strictObject({
  ...envelope,
  type: z.literal('edit.completed'),
  data: z.strictObject({
    editId: EditIdSchema,
    status: z.literal('completed'),
    links: z.strictObject({ self: LinkSchema, result: LinkSchema }),
  }),
});

export const EditFailedEventSchema = z.strictObject({
  ...envelope,
  type: z.literal('edit.failed'),
  data: z.strictObject({
    editId: EditIdSchema,
    status: z.literal('failed'),
    links: z.strictObject({ self: LinkSchema }),
    error: WebhookErrorSchema,
  }),
});

export const EditCanceledEventSchema = z.strictObject({
  ...envelope,
  type: z.literal('edit.canceled'),
  data: z.strictObject({
    editId: EditIdSchema,
    status: z.literal('canceled'),
    links: z.strictObject({ self: LinkSchema }),
  }),
});

export const WebhookEventSchema = z.discriminatedUnion('type', [EditCompletedEventSchema, EditFailedEventSchema, EditCanceledEventSchema]);
export type WebhookEvent = z.infer<typeof WebhookEventSchema>;

/** A Standard Webhooks secret: `whsec_` and the base64 of the signing key. */
export const WebhookSecretSchema = z.string().regex(/^whsec_[A-Za-z0-9+/]{22,}={0,2}$/, 'expected whsec_<base64>');
