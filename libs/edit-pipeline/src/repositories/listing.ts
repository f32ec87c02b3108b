/**
 * Cursor pagination over a Redis sorted set whose members are `<created ms, 15 digits>:<id>` at one score:
 * lexicographic order is then creation order, ties broken by id, so a cursor (the last member seen) is exact
 * even when many items share a millisecond, and a created range is a lexicographic range.
 */
import type { Redis } from 'ioredis';

export interface PageQuery {
  /** Items per page. */
  limit: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
  /** Only items created at or after this instant. */
  createdAfter?: Date;
  /** Only items created before this instant. */
  createdBefore?: Date;
}

export interface Page<T> {
  items: T[];
  /** Opaque; absent on the last page. */
  nextCursor?: string;
}

const WIDTH = 15;

export function listingMember(createdAt: Date | string, id: string): string {
  return `${String(new Date(createdAt).getTime()).padStart(WIDTH, '0')}:${id}`;
}

export function idOfMember(member: string): string {
  return member.slice(WIDTH + 1);
}

/** The member a cursor stands for; null when the cursor is not one this code wrote. */
export function decodeCursor(cursor: string): string | null {
  const member = Buffer.from(cursor, 'base64url').toString('utf8');
  return /^\d{15}:[\w-]{1,128}$/.test(member) ? member : null;
}

export function encodeCursor(member: string): string {
  return Buffer.from(member, 'utf8').toString('base64url');
}

/**
 * One batch of members, newest first, after `cursorMember` and inside the created range. `count` may exceed
 * the page size when the caller filters further.
 */
export async function newestFirst(
  redis: Redis,
  key: string,
  query: Omit<PageQuery, 'cursor' | 'limit'>,
  cursorMember: string | undefined,
  count: number,
): Promise<string[]> {
  const before = query.createdBefore ? `(${String(query.createdBefore.getTime()).padStart(WIDTH, '0')}` : '+';
  const max = cursorMember !== undefined && (before === '+' || `(${cursorMember}` < before) ? `(${cursorMember}` : before;
  const min = query.createdAfter ? `[${String(query.createdAfter.getTime()).padStart(WIDTH, '0')}` : '-';
  return redis.zrange(key, max, min, 'BYLEX', 'REV', 'LIMIT', 0, count);
}
