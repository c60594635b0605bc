import { BadRequest } from './errors';

/** Keyset pagination: a cursor is the sort key of the last row, opaque to clients. */
export function encodeCursor(key: readonly (string | number | null)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(
  cursor: string | undefined,
  length: number,
): (string | number | null)[] | undefined {
  if (!cursor) return undefined;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(key) &&
      key.length === length &&
      key.every((k) => k === null || typeof k === 'string' || typeof k === 'number')
    ) {
      return key;
    }
  } catch {
    // fall through
  }
  throw new BadRequest('INVALID_CURSOR', 'The cursor is not valid for this list');
}

/** Given limit+1 rows, returns the page and the cursor of the next one. */
export function toPage<T>(
  rows: T[],
  limit: number,
  keyOf: (row: T) => (string | number | null)[],
): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null };
}
