import { describe, expect, it } from 'vitest';
import { SchemaError } from '../../result/errors';
import { deltaId, makeDelta } from '../delta-id';
import { extractDelta } from '../extract';
import { isJsonSafe, numberProblem } from '../json-safe';
import { validateDelta } from '../validate';
import { CONTEXT } from './fixtures';

/**
 * Column values are JSON, and JSON readers agree on a number only when it is finite and, if
 * integral, within ±(2^53 − 1). Anything else is refused with a `SchemaError` naming the column.
 */

const TWO_53 = 2 ** 53;

/** Refusals, each with what its message must say. */
const REFUSED: ReadonlyArray<readonly [string, unknown, string]> = [
  // The literal 12345678901234567890 is already rounded by the time it is a number: 12345678901234567000.
  [
    '12345678901234567890',
    Number('12345678901234567890'),
    '12345678901234567000 is an integer beyond',
  ],
  ['2^53', TWO_53, '9007199254740992 is an integer beyond'],
  ['-2^53', -TWO_53, '-9007199254740992 is an integer beyond'],
  ['1e308 * 10', 1e308 * 10, 'Infinity (only finite numbers)'],
  ['-Infinity', Number.NEGATIVE_INFINITY, '-Infinity (only finite numbers)'],
  ['NaN', Number.NaN, 'NaN (only finite numbers)'],
  ['1e300', 1e300, 'is an integer beyond'],
];

/** Accepted values, including the edges. */
const ACCEPTED: ReadonlyArray<readonly [string, unknown]> = [
  ['2^53 − 1', TWO_53 - 1],
  ['−(2^53 − 1)', -(TWO_53 - 1)],
  ['-0', -0],
  ['a fraction near 2^53', 4503599627370495.5],
  ['the largest double below 1', 1 - Number.EPSILON / 2],
  ['Number.MAX_VALUE as a string', String(Number.MAX_VALUE)],
  ['a tiny fraction', 5e-324],
];

describe('number fidelity at extract and validate time', () => {
  it.each(REFUSED)('numberProblem refuses %s', (_name, value, message) => {
    expect(numberProblem(value as number)).toContain(message);
    expect(isJsonSafe(value)).toBe(false);
  });

  it.each(ACCEPTED)('accepts %s', (_name, value) => {
    expect(isJsonSafe(value)).toBe(true);
    const result = extractDelta(null, { amount: value }, CONTEXT);
    expect(result.ok).toBe(true);
  });

  it.each(REFUSED)(
    'extractDelta refuses %s with a SchemaError naming the column',
    (_n, value, message) => {
      const result = extractDelta(null, { title: 'ok', amount: value }, CONTEXT);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error).toBeInstanceOf(SchemaError);
      expect(result.error.code).toBe('SCHEMA_MISMATCH');
      expect(result.error.message).toContain('column "amount" is not JSON-safe at $');
      expect(result.error.message).toContain(message);
    },
  );

  it('finds an unsafe number nested in objects and arrays, and says where', () => {
    const after = { meta: { ledger: [1, 2, { total: Number('12345678901234567890') }] } };
    const result = extractDelta(null, after, CONTEXT);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).toContain(
      'at $.ledger[2].total: 12345678901234567000 is an integer',
    );
    expect(isJsonSafe([[[Number.NaN]]])).toBe(false);
    expect(isJsonSafe({ a: [TWO_53 - 1, -(TWO_53 - 1)] })).toBe(true);
  });

  it('refuses an unsafe value on UPDATE too, even when the old value was the same', () => {
    const result = extractDelta({ amount: TWO_53 }, { amount: TWO_53 + 2 }, CONTEXT);
    expect(result.ok).toBe(false);
  });

  it('validateDelta refuses a delta built around the check, naming the column', () => {
    const forged = makeDelta({
      op: 'UPDATE',
      table: 'todos',
      rowId: 'r1',
      clientId: 'c1',
      hlc: CONTEXT.hlc,
      columns: [{ column: 'amount', value: { nested: [TWO_53] } }],
    });
    const result = validateDelta(forged);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBeInstanceOf(SchemaError);
    expect(result.error.message).toContain('value of "amount" is not JSON-safe at $.nested[0]');
  });

  it('-0 and 0 are one JSON value: same deltaId, and a change from 0 to -0 is no change', () => {
    const zero = extractDelta(null, { amount: 0 }, CONTEXT);
    const negativeZero = extractDelta(null, { amount: -0 }, CONTEXT);
    expect(zero.ok && negativeZero.ok).toBe(true);
    if (!zero.ok || !negativeZero.ok || zero.value === null || negativeZero.value === null) return;
    expect(negativeZero.value.deltaId).toBe(zero.value.deltaId);
    expect(deltaId(negativeZero.value)).toBe(zero.value.deltaId);
    const unchanged = extractDelta({ amount: 0 }, { amount: -0 }, CONTEXT);
    expect(unchanged.ok && unchanged.value).toBe(null);
  });
});
