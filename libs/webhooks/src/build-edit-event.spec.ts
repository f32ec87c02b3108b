import { WebhookEventSchema } from '@facex/contracts';
import { buildEditEvent, newWebhookEventId } from './build-edit-event';

const editId = 'ed_0123456789abcdefghjkmnpqrs';
const now = new Date('2026-11-27T05:00:00.000Z');

describe('buildEditEvent', () => {
  it('builds edit.completed with self and result links under the base URL', () => {
    const event = buildEditEvent({ id: editId }, 'edit.completed', 'https://api.facex.example/', { eventId: 'evt_aaaaaaaaaaaaaaaa', now });
    expect(event).toEqual({
      id: 'evt_aaaaaaaaaaaaaaaa',
      type: 'edit.completed',
      timestamp: '2026-11-27T05:00:00.000Z',
      data: {
        editId,
        status: 'completed',
        links: { self: `https://api.facex.example/v1/edits/${editId}`, result: `https://api.facex.example/v1/edits/${editId}/result` },
      },
    });
  });

  it('keeps a base path prefix in the links', () => {
    const event = buildEditEvent({ id: editId }, 'edit.canceled', 'https://example.com/facex', { now });
    expect(event.data.links.self).toBe(`https://example.com/facex/v1/edits/${editId}`);
    expect(event.data).not.toHaveProperty('error');
  });

  it('carries only the code and title of a failure, not its detail', () => {
    const edit = { id: editId, error: { code: 'no_face', title: 'No face found', detail: 'input 0 at 12,40', retryable: false } };
    const event = buildEditEvent(edit, 'edit.failed', 'https://api.facex.example', { now });
    expect(event.data).toEqual({
      editId,
      status: 'failed',
      links: { self: `https://api.facex.example/v1/edits/${editId}` },
      error: { code: 'no_face', title: 'No face found' },
    });
    expect(WebhookEventSchema.parse(event)).toEqual(event);
  });

  it('refuses an edit.failed event for an edit without an error', () => {
    expect(() => buildEditEvent({ id: editId, error: null }, 'edit.failed', 'https://api.facex.example')).toThrow();
  });

  it('gives each new event a distinct evt_ id', () => {
    const ids = new Set(Array.from({ length: 100 }, newWebhookEventId));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(/^evt_[0-9a-f]{32}$/);
  });
});
