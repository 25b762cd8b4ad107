import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { RowDelta } from '../../delta/types';
import { frozenDeltaCopy } from '../outbox-entry';
import { delta, expectQueueError, ok } from './fixtures';

/** Every object and array reachable from `value`, `value` included. */
function reachable(value: unknown, out: object[] = []): object[] {
  if (typeof value !== 'object' || value === null) return out;
  out.push(value);
  for (const key of Object.keys(value)) reachable((value as Record<string, unknown>)[key], out);
  return out;
}

function withValue(value: unknown): RowDelta {
  return delta(1, { columns: [{ column: 'c', value: value as never }] });
}

const sparse: unknown[] = [1];
sparse[3] = 4;
const nullProto: Record<string, unknown> = Object.create(null);
nullProto.a = { b: [1, 'x', null] };
const protoKey = JSON.parse('{"__proto__": {"polluted": true}, "k": 1}');
const tagged = Object.assign([1, 2], { extra: 'kept' });

describe('frozenDeltaCopy', () => {
  const cases: Array<[string, unknown]> = [
    [
      'nested plain data',
      { text: 'a', n: -0, f: 1.5, big: 12n, ok: true, list: [[1], { x: null }] },
    ],
    ['undefined members', { gone: undefined, list: [undefined] }],
    ['NaN', Number.NaN],
    ['a null-prototype object', nullProto],
    ['an own __proto__ key', protoKey],
    ['a sparse array', sparse],
    ['an array with a named property', tagged],
    ['a Date', new Date(0)],
    ['a Map', new Map([['k', 1]])],
  ];
  for (const [name, value] of cases) {
    it(`copies ${name} exactly as structured clone does, deeply frozen and unshared`, () => {
      const input = withValue(value);
      const copy = ok(frozenDeltaCopy(input));
      expect(copy).toStrictEqual(structuredClone(input));
      expect(Object.getPrototypeOf(copy.columns[0]?.value ?? 0)).toBe(
        Object.getPrototypeOf(structuredClone(value) ?? 0),
      );
      const inputs = new Set(reachable(input));
      for (const part of reachable(copy)) {
        expect(inputs.has(part)).toBe(false);
        if (!(part instanceof Map || part instanceof Date))
          expect(Object.isFrozen(part)).toBe(true);
      }
    });
  }

  it('keeps a cyclic value as structured clone does', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    const copy = ok(frozenDeltaCopy(withValue(cyclic)));
    const value = copy.columns[0]?.value as unknown as Record<string, unknown>;
    expect(value.self).toBe(value);
    expect(value).not.toBe(cyclic);
  });

  it('refuses functions and symbols with a QueueError, as structured clone does', () => {
    expectQueueError(frozenDeltaCopy(withValue({ f: () => 1 })), /cloneable/);
    expectQueueError(frozenDeltaCopy(withValue([Symbol('s')])), /cloneable/);
  });
});

/**
 * Plain data as deltas hold it, and the unusual objects the one-pass copy must treat exactly as
 * structured clone does: null prototypes, symbol keys (ignored by both), an own `__proto__` key,
 * non-enumerable and inherited properties.
 */
const plainValueArb: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.oneof(fc.string(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined)),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string({ maxLength: 4 }), fc.constant('__proto__')), tie('value'), {
      maxKeys: 4,
    }),
    fc
      .tuple(fc.dictionary(fc.string({ maxLength: 4 }), tie('value'), { maxKeys: 3 }), fc.nat(3))
      .map(([entries, variant]) => unusualObject(entries, variant)),
  ),
})).value;

/** `entries` in an object made unusual in one of four ways. */
function unusualObject(entries: Record<string, unknown>, variant: number): object {
  switch (variant) {
    case 0:
      return Object.assign(Object.create(null), entries);
    case 1:
      return Object.assign({ [Symbol('s')]: () => 1 }, entries);
    case 2:
      return Object.defineProperty({ ...entries }, 'hidden', { value: 1, enumerable: false });
    default:
      return Object.assign(Object.create({ inherited: 1 }), entries);
  }
}

describe('frozenDeltaCopy on random values', () => {
  test.prop([plainValueArb], { numRuns: 2_000 })(
    'gives structured clone, deeply frozen, sharing nothing with the input',
    (value) => {
      const input = withValue(value);
      let expected: unknown;
      try {
        expected = structuredClone(input);
      } catch {
        expectQueueError(frozenDeltaCopy(input), /cloneable/);
        return;
      }
      const copy = ok(frozenDeltaCopy(input));
      expect(copy).toStrictEqual(expected);
      const inputs = new Set(reachable(input));
      for (const part of reachable(copy)) {
        expect(inputs.has(part)).toBe(false);
        expect(Object.isFrozen(part)).toBe(true);
      }
    },
  );
});
