/**
 * Edit records in Redis. One hash per edit: `status` raw, every other top-level field JSON-encoded, so a
 * Lua script can check and change the status atomically without parsing the record. A transition happens
 * at most once, which is what lets its event fire exactly once.
 */
import type { Redis } from 'ioredis';
import { EDIT_TRANSITIONS, EditRecordSchema, type EditRecord, type EditStatus } from '@facex/contracts';

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

  /** Stores a new record; false when one with that id exists (idempotent create). */
  async create(record: EditRecord): Promise<boolean> {
    const fields = Object.entries(record).flatMap(([name, value]) => [name, name === 'status' ? String(value) : JSON.stringify(value)]);
    // HSETNX on `id` claims the record; the rest is written only by the claimant.
    const claimed = await this.redis.hsetnx(this.key(record.id), 'id', JSON.stringify(record.id));
    if (claimed === 0) return false;
    await this.redis.hset(this.key(record.id), ...fields);
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
    await this.redis.del(this.key(id));
  }
}
