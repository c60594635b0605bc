import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, toPage } from './pagination';

describe('keyset cursors', () => {
  it('round-trip any key of strings, numbers and nulls', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string(), fc.integer(), fc.constant(null)), { minLength: 1, maxLength: 4 }),
        (key) => {
          expect(decodeCursor(encodeCursor(key), key.length)).toEqual(key);
        },
      ),
    );
  });
  it('refuse tampered or foreign cursors with a 400', () => {
    expect(() => decodeCursor('bm90IGpzb24', 2)).toThrow(/cursor/);
    expect(() => decodeCursor(encodeCursor(['a']), 2)).toThrow(/cursor/);
    expect(() => decodeCursor(Buffer.from('[{"x":1},2]').toString('base64url'), 2)).toThrow(/cursor/);
  });
  it('give a next cursor only when there is a next page', () => {
    expect(toPage([1, 2, 3], 3, (n) => [n]).nextCursor).toBeNull();
    const p = toPage([1, 2, 3, 4], 3, (n) => [n]);
    expect(p.items).toEqual([1, 2, 3]);
    expect(decodeCursor(p.nextCursor!, 1)).toEqual([3]);
  });
});
