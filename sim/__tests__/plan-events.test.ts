import { describe, expect, it } from 'vitest';
import { createPrng } from '../engine/prng';
import { copyValues } from '../scenario/plan-events';
import { drawColumns } from '../workload/values';

/** Every own key with its descriptor flags and prototype, recursively: what a copy must keep. */
function shape(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  return {
    prototype: Object.getPrototypeOf(value) === null ? 'null' : 'other',
    keys: Reflect.ownKeys(value).map((key) => {
      const descriptor = Object.getOwnPropertyDescriptor(value, key) as PropertyDescriptor;
      const { enumerable, writable, configurable } = descriptor;
      return [String(key), enumerable, writable, configurable, shape(descriptor.value)];
    }),
  };
}

/** The definition `copyValues` replaced: `defineProperty` per column. */
function referenceCopy(values: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const row: Record<string, unknown> = Object.create(null);
  for (const column of Object.keys(values)) {
    Object.defineProperty(row, column, {
      value: referenceJson(values[column]),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return row;
}

function referenceJson(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(referenceJson);
  return referenceCopy(value as Record<string, unknown>);
}

describe('copyValues', () => {
  it('copies like defineProperty per column, odd keys (__proto__) included, sharing nothing', () => {
    const odd = JSON.parse('{"__proto__":{"a":[1,{"__proto__":2}]},"constructor":3}') as Record<
      string,
      unknown
    >;
    const prng = createPrng(5, 'plan-events-test');
    const inputs = [odd];
    for (let index = 0; index < 500; index++) {
      const values = drawColumns(prng, index % 2 === 0 ? 'insert' : 'update');
      Object.defineProperty(values, '__proto__', {
        value: { nested: [index] },
        enumerable: true,
        writable: true,
        configurable: true,
      });
      inputs.push(values);
    }
    for (const values of inputs) {
      const copy = copyValues(values);
      expect(shape(copy)).toEqual(shape(referenceCopy(values)));
      expect(Object.getPrototypeOf(copy)).toBeNull();
      for (const column of Object.keys(values)) {
        const original = values[column];
        if (original !== null && typeof original === 'object')
          expect(copy[column]).not.toBe(original);
      }
    }
  });
});
