import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { sortedKeys } from '../sorted-keys';

describe('sortedKeys', () => {
  it('sorts by UTF-16 code units, as Array.sort does', () => {
    const row = { title: 1, Done: 2, _x: 3, ünï: 4, '🚀': 5, a: 6, '': 7 };
    expect(sortedKeys(row)).toEqual(Object.keys(row).sort());
  });

  // Both sides of the insertion-sort bound, with any string keys (integer-like ones included).
  test.prop([
    fc.dictionary(fc.string({ unit: 'binary', maxLength: 6 }), fc.constant(0), { maxKeys: 40 }),
  ])('equals Object.keys(object).sort()', (object) => {
    expect(sortedKeys(object)).toEqual(Object.keys(object).sort());
  });
});
