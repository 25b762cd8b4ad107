/**
 * `hlc.toString()` (decimal) written as ASCII straight into a byte buffer, for the id text of
 * `delta-id-utf8.ts`, without making the string: the value goes through a `BigUint64Array` into
 * two 32-bit halves, and the digits are worked out in doubles and small integers, all exact.
 *
 * Why: `toString` and the copy of its 18–20 characters were a third of the time an id text took
 * on Node. The decimal of the upper half times 2^32 is kept for the last upper half seen, which
 * changes once every 2^32 values (about 65 s of HLC wall time), so the usual stamp costs one
 * addition, one division by 10^5 and ten digit pairs.
 *
 * A property test compares it with `toString` on random and edge values.
 */

/** One past the largest value written here: 2^64. Anything else is left to the caller. */
const HLC_DIGITS_LIMIT = 1n << 64n;
/** Ten decimal digits: the low part of every text. */
const LOW_MOD = 1e10;
const HALF_MOD = 1e5;

const WIDE = new BigUint64Array(1);
const HALVES = new Uint32Array(WIDE.buffer);
/** Which of `HALVES` holds the upper 32 bits (typed arrays use the platform's byte order). */
const UPPER = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const LOWER = 1 - UPPER;

/** "00" to "99" as byte pairs: `DIGIT_PAIRS[2n]` and `[2n + 1]` are the tens and units of n. */
const DIGIT_PAIRS = new Uint8Array(200);
for (let pair = 0; pair < 100; pair++) {
  DIGIT_PAIRS[2 * pair] = 0x30 + Math.floor(pair / 10);
  DIGIT_PAIRS[2 * pair + 1] = 0x30 + (pair % 10);
}

/** The last upper half seen, and its value times 2^32 as `cachedHigh · 10^10 + cachedLow`. */
let cachedUpper = 0;
let cachedHigh = 0;
let cachedLow = 0;

/**
 * Writes the decimal digits of `value` at `at` and returns the position after them; -1 when
 * `value` is not an integer in [0, 2^64) (the caller writes `toString()` itself) or `at` is -1.
 * The caller leaves room for 20 bytes.
 */
export function writeHlcDigits(out: Uint8Array, at: number, value: bigint): number {
  if (at < 0 || !(value >= 0n && value < HLC_DIGITS_LIMIT)) return -1;
  WIDE[0] = value;
  const upper = HALVES[UPPER]!;
  if (upper !== cachedUpper) cacheUpper(upper);
  let high = cachedHigh;
  let low = cachedLow + HALVES[LOWER]!; // < 10^10 + 2^32: exact, at most one carry
  if (low >= LOW_MOD) {
    low -= LOW_MOD;
    high += 1;
  }
  const lowHigh = Math.floor(low / HALF_MOD);
  const lowLow = low - lowHigh * HALF_MOD;
  if (high === 0) {
    if (lowHigh === 0) return unpadded(out, at, lowLow);
    return fiveDigits(out, unpadded(out, at, lowHigh), lowLow);
  }
  return fiveDigits(out, fiveDigits(out, unpadded(out, at, high), lowHigh), lowLow);
}

/**
 * `upper · 2^32` as `high · 10^10 + low`. With `upper = q · 10^4 + r`:
 * `upper · 2^32 = q · 4,294 · 10^10 + (q · 9,672,960,000 + r · 2^32)`, where
 * `2^32 · 10^4 = 4,294 · 10^10 + 9,672,960,000`; the bracket stays below 2^53, so every step is exact.
 */
function cacheUpper(upper: number): void {
  const q = Math.floor(upper / 10_000);
  const r = upper - q * 10_000;
  const rest = q * 9_672_960_000 + r * 4_294_967_296;
  const carry = Math.floor(rest / LOW_MOD);
  cachedUpper = upper;
  cachedHigh = q * 4_294 + carry;
  cachedLow = rest - carry * LOW_MOD;
}

/** `n` (an integer in [0, 10^5)) as exactly five digits, zero-padded. */
function fiveDigits(out: Uint8Array, at: number, n: number): number {
  const hundreds = (n / 100) | 0;
  const units = 2 * (n - hundreds * 100);
  const thousands = (hundreds / 100) | 0;
  const middle = 2 * (hundreds - thousands * 100);
  out[at] = 0x30 + thousands;
  out[at + 1] = DIGIT_PAIRS[middle]!;
  out[at + 2] = DIGIT_PAIRS[middle + 1]!;
  out[at + 3] = DIGIT_PAIRS[units]!;
  out[at + 4] = DIGIT_PAIRS[units + 1]!;
  return at + 5;
}

/** `n` (an integer in [0, 2^31)) without leading zeros ("0" for 0). */
function unpadded(out: Uint8Array, at: number, n: number): number {
  let length = 1;
  for (let rest = n; rest >= 10; rest = (rest / 10) | 0) length++;
  let rest = n;
  for (let index = at + length - 1; index >= at; index--) {
    const next = (rest / 10) | 0;
    out[index] = 0x30 + rest - next * 10;
    rest = next;
  }
  return at + length;
}
