/**
 * Edit records in Redis. One hash per edit: `status` raw, every other top-level field JSON-encoded, so a
 * Lua script can check and change the status atomically without parsing the record. A transition happens
 * at most once, which is what lets its event fire exactly once.
 */
import type { Redis } from 'ioredis';
import { EDIT_TRANSITIONS, EditRecordSchema, type EditRecord, type EditStatus } from '@facex/contracts';
import { decodeCursor, encodeCursor, idOfMember, listingMember, newestFirst, type Page, type PageQuery } from './listing';

/** Records read per Redis round trip while a status filter skips non-matching edits. */
const LIST_BATCH = 100;
/** Records a listing call reads at most; a sparse status filter then returns a short page with a cursor. */
const LIST_SCAN_LIMIT = 1_000;

const TRANSITION_SCRIPT = `
local current = redis.call('HGET', KEYS[1], 'status')
if not current then return 0 end
for allowed in string.gmatch(ARGV[1], '[^,]+') do
  if allowed == current then
    redis.call('HSET', KEYS[1], 'status', ARGV[2], unpack(ARGV, 3))
    return 1
  end
end
return 0`;

type RecordField = Exclude<keyof EditRecord, 'status'>;
export type EditPatch = Partial<Pick<EditRecord, 'progress' | 'result' | 'error'>>;

export class EditRepository {
  constructor(
    private readonly redis: Redis,
    /** Namespaces the keys (one per deployment or test). */
    private readonly keyPrefix: string,
  ) {}

  private key(id: string): string {
    return `${this.keyPrefix}edit:${id}`;
  }

  /** The tenant's edits in creation order (see listing.ts). */
  private listKey(tenant: string): string {
    return `${this.keyPrefix}tenant:${tenant}:edit-list`;
  }

  /** Stores a new record; false when one with that id exists (idempotent create). */
  async create(record: EditRecord): Promise<boolean> {
    const fields = Object.entries(record).flatMap(([name, value]) => [name, name === 'status' ? String(value) : JSON.stringify(value)]);
    // HSETNX on `id` claims the record; the rest is written only by the claimant.
    const claimed = await this.redis.hsetnx(this.key(record.id), 'id', JSON.stringify(record.id));
    if (claimed === 0) return false;
    await this.redis
      .multi()
      .hset(this.key(record.id), ...fields)
      .zadd(this.listKey(record.tenant), 0, listingMember(record.createdAt, record.id))
      .exec();
    return true;
  }

  async get(id: string): Promise<EditRecord | null> {
    const hash = await this.redis.hgetall(this.key(id));
    if (!hash['status']) return null;
    const record = Object.fromEntries(Object.entries(hash).map(([name, value]) => [name, name === 'status' ? value : JSON.parse(value)]));
    return EditRecordSchema.parse(record);
  }

  /**
   * Moves the edit to `to` if its status allows it (see EDIT_TRANSITIONS), writing `patch` in the same step.
   * Returns the updated record, or null when the transition did not apply (absent, or already moved on).
   * `to` equal to the current status (running → running) updates the patch only while in that status.
   */
  async transition(id: string, to: EditStatus, patch: EditPatch = {}, now = new Date()): Promise<EditRecord | null> {
    const from = (Object.keys(EDIT_TRANSITIONS) as EditStatus[]).filter((status) => EDIT_TRANSITIONS[status].includes(to));
    if (to === 'running') from.push('running');
    const fields: string[] = ['updatedAt', JSON.stringify(now.toISOString())];
    for (const [name, value] of Object.entries(patch) as [RecordField, unknown][]) fields.push(name, JSON.stringify(value));
    const applied = await this.redis.eval(TRANSITION_SCRIPT, 1, this.key(id), from.join(','), to, ...fields);
    return applied === 1 ? this.get(id) : null;
  }

  async delete(id: string): Promise<void> {
    const edit = await this.get(id);
    // `edit:<id>:*` keys hang off the record (the webhook delivery log): they go with it.
    const removal = this.redis.multi().del(this.key(id), `${this.key(id)}:deliveries`);
    if (edit) removal.zrem(this.listKey(edit.tenant), listingMember(edit.createdAt, id));
    await removal.exec();
  }

  /**
   * The tenant's edits, newest first, optionally of some statuses only; null for a cursor this code did not
   * write. A status filter reads at most LIST_SCAN_LIMIT records per call, so a page may come back short (or
   * empty) with a `nextCursor` to continue from.
   */
  async list(tenant: string, query: PageQuery & { statuses?: readonly EditStatus[] }): Promise<Page<EditRecord> | null> {
    let cursor = query.cursor === undefined ? undefined : (decodeCursor(query.cursor) ?? null);
    if (cursor === null) return null;
    const items: EditRecord[] = [];
    let scanned = 0;
    for (;;) {
      const batch = await newestFirst(this.redis, this.listKey(tenant), query, cursor, query.statuses ? LIST_BATCH : query.limit + 1);
      for (const member of batch) {
        if (items.length === query.limit) return { items, nextCursor: encodeCursor(cursor as string) };
        cursor = member;
        scanned++;
        const edit = await this.get(idOfMember(member));
        if (edit && (!query.statuses || query.statuses.includes(edit.status))) items.push(edit);
      }
      const exhausted = batch.length < (query.statuses ? LIST_BATCH : query.limit + 1);
      if (exhausted) return { items };
      if (scanned >= LIST_SCAN_LIMIT) return { items, nextCursor: encodeCursor(cursor as string) };
    }
  }
}
