import { EDIT_EVENT_STATUS, EDIT_EVENT_TYPES, WebhookEventSchema, WebhookSecretSchema } from './webhooks';

const editId = 'ed_0123456789abcdefghjkmnpqrs';
const self = `https://api.facex.example/v1/edits/${editId}`;
const base = { id: 'evt_4f1c2b7e9d8a4c3b', timestamp: '2026-11-27T05:00:00.000Z' };

describe('WebhookEventSchema', () => {
  it('accepts each event type with its small payload', () => {
    const events = [
      { ...base, type: 'edit.completed', data: { editId, status: 'completed', links: { self, result: `${self}/result` } } },
      {
        ...base,
        type: 'edit.failed',
        data: { editId, status: 'failed', links: { self }, error: { code: 'no_face', title: 'No face found' } },
      },
      { ...base, type: 'edit.canceled', data: { editId, status: 'canceled', links: { self } } },
    ];
    for (const event of events) expect(WebhookEventSchema.parse(event)).toEqual(event);
  });

  it('refuses a status that does not match the event type', () => {
    const event = { ...base, type: 'edit.completed', data: { editId, status: 'failed', links: { self, result: self } } };
    expect(WebhookEventSchema.safeParse(event).success).toBe(false);
  });

  it('refuses a failed event without its error and a completed one without a result link', () => {
    expect(WebhookEventSchema.safeParse({ ...base, type: 'edit.failed', data: { editId, status: 'failed', links: { self } } }).success).toBe(false);
    expect(WebhookEventSchema.safeParse({ ...base, type: 'edit.completed', data: { editId, status: 'completed', links: { self } } }).success).toBe(false);
  });

  it('refuses extra payload such as images or representations (strict objects)', () => {
    const event = { ...base, type: 'edit.canceled', data: { editId, status: 'canceled', links: { self }, image: 'data:image/png;base64,AAAA' } };
    expect(WebhookEventSchema.safeParse(event).success).toBe(false);
  });

  it('refuses an event id without the evt_ prefix and a non-http link', () => {
    const canceled = { type: 'edit.canceled', timestamp: base.timestamp, data: { editId, status: 'canceled', links: { self } } };
    expect(WebhookEventSchema.safeParse({ ...canceled, id: '4f1c2b7e9d8a4c3b' }).success).toBe(false);
    expect(WebhookEventSchema.safeParse({ ...canceled, id: base.id, data: { ...canceled.data, links: { self: 'file:///etc/passwd' } } }).success).toBe(false);
  });

  it('maps every event type to its edit status', () => {
    expect(EDIT_EVENT_TYPES.map((type) => EDIT_EVENT_STATUS[type])).toEqual(['completed', 'failed', 'canceled']);
  });
});

describe('WebhookSecretSchema', () => {
  it('accepts whsec_ + base64 and refuses anything else', () => {
    expect(WebhookSecretSchema.safeParse('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw').success).toBe(true);
    expect(WebhookSecretSchema.safeParse('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw').success).toBe(false);
    expect(WebhookSecretSchema.safeParse('whsec_short').success).toBe(false);
  });
});
