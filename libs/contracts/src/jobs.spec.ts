import { JOB_NAMES, JOB_PAYLOAD_SCHEMAS, QUEUE_OF_JOB, editEventId, editJobId, webhookJobId } from './jobs';

describe('job contracts', () => {
  it('give every job name a payload schema and a queue tier', () => {
    for (const name of JOB_NAMES) {
      expect(JOB_PAYLOAD_SCHEMAS[name]).toBeDefined();
      expect(['cpu', 'gpu', 'webhook', 'video']).toContain(QUEUE_OF_JOB[name]);
    }
  });

  it('derive job ids from the edit id without ":" (BullMQ rejects it)', () => {
    const id = 'ed_' + 'a'.repeat(26);
    expect([editJobId(id, 'render'), editJobId(id, 'extract', 2), webhookJobId('evt_1')]).toEqual([`${id}.render`, `${id}.extract.2`, 'webhook.evt_1']);
    expect(editJobId(id, 'assemble')).not.toContain(':');
  });

  it('name one event per edit and terminal type, valid as a webhook event id', () => {
    const editId = 'ed_' + 'b'.repeat(26);
    const eventId = editEventId(editId, 'edit.failed');
    expect(eventId).toBe(`evt_${'b'.repeat(26)}_failed`);
    expect(JOB_PAYLOAD_SCHEMAS.webhook.parse({ editId, tenant: 'key_1', eventType: 'edit.failed', eventId }).eventId).toBe(eventId);
  });

  it('reject payloads with unknown fields (storage keys only, nothing else travels)', () => {
    const payload = { editId: 'ed_' + 'a'.repeat(26), inputIndex: 0, assetKey: 'assets/x', assetSha256: 'a'.repeat(64), faceIndex: 0 };
    expect(JOB_PAYLOAD_SCHEMAS.extract.parse(payload)).toEqual(payload);
    expect(JOB_PAYLOAD_SCHEMAS.extract.safeParse({ ...payload, bytes: [1, 2] }).success).toBe(false);
  });
});
