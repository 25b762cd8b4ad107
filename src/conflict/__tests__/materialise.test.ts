import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import type { HLCTimestamp } from '../../hlc/types';
import { createRowState, materialise } from '../row-state';

/**
 * `materialise` builds its row on an empty literal whose prototype is set to null (V8 keeps such
 * an object's fast properties). It must give exactly the row `Object.create(null)` gave: no
 * prototype, the same own keys in the same order (integer-like names first, as for any object),
 * the same values, and `__proto__` or `constructor` as ordinary columns.
 */
const nameArb = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.constantFrom('__proto__', 'constructor', 'toString', '0', '12', '-1', '01'),
);

describe('materialise', () => {
  test.prop([
    fc.uniqueArray(fc.tuple(nameArb, fc.jsonValue({ maxDepth: 1 })), {
      selector: ([name]) => name,
      maxLength: 8,
    }),
  ])('gives the row Object.create(null) gave, key for key', (columns) => {
    const state = createRowState('todos', 'r1');
    const version = { hlc: 1n as HLCTimestamp, clientId: 'c' };
    for (const [name, value] of columns) state.columns.set(name, { value, version });
    const row = materialise(state);
    if (columns.length === 0) {
      expect(row).toBeNull();
      return;
    }
    const reference: Record<string, unknown> = Object.create(null);
    for (const [name, value] of columns) reference[name] = value;
    expect(row).not.toBeNull();
    expect(Object.getPrototypeOf(row)).toBeNull();
    expect(Reflect.ownKeys(row as object)).toEqual(Reflect.ownKeys(reference));
    for (const key of Object.keys(reference)) expect((row as never)[key]).toBe(reference[key]);
  });
});
