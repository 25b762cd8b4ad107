import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { writeHlcDigits } from '../hlc-digits';

/**
 * `writeHlcDigits` writes the digits `toString` gives, for every value in [0, 2^64), in any order
 * of values (it keeps the decimal of the last upper half), and refuses everything else.
 */

const decoder = new TextDecoder();
const out = new Uint8Array(64);

function written(value: bigint, at = 3): string | null {
  const end = writeHlcDigits(out, at, value);
  return end < 0 ? null : decoder.decode(out.subarray(at, end));
}

const LIMIT = 1n << 64n;
const valueArb = fc.oneof(
  fc.bigInt({ min: 0n, max: LIMIT - 1n }),
  fc.bigInt({ min: 0n, max: 1n << 34n }),
  fc
    .tuple(fc.integer({ min: 0, max: 2 ** 48 - 1 }), fc.integer({ min: 0, max: 0xffff }))
    .map(([wall, counter]) => (BigInt(wall) << 16n) | BigInt(counter)),
  fc.constantFrom(
    0n,
    9n,
    10n,
    99_999n,
    100_000n,
    9_999_999_999n,
    10_000_000_000n,
    (1n << 32n) - 1n,
    1n << 32n,
    LIMIT - 1n,
    LIMIT - 10_000_000_000n,
  ),
);

describe('writeHlcDigits', () => {
  test.prop([fc.array(valueArb, { minLength: 1, maxLength: 20 })], { numRuns: 2_000 })(
    'writes what toString gives, in any sequence of values',
    (values) => {
      for (const value of values) expect(written(value)).toBe(value.toString());
    },
  );

  test.prop([
    fc.integer({ min: 0, max: 2 ** 32 - 1 }),
    fc.array(fc.integer({ min: 0, max: 2 ** 32 - 1 })),
  ])(
    'carries across the low ten digits for every lower half under one upper half',
    (upper, lowers) => {
      for (const lower of [0, 2 ** 32 - 1, ...lowers]) {
        const value = (BigInt(upper) << 32n) | BigInt(lower);
        expect(written(value)).toBe(value.toString());
      }
    },
  );

  it('refuses values outside [0, 2^64) and a position of -1', () => {
    expect(writeHlcDigits(out, 0, -1n)).toBe(-1);
    expect(writeHlcDigits(out, 0, LIMIT)).toBe(-1);
    expect(writeHlcDigits(out, -1, 5n)).toBe(-1);
  });
});
