import { numberProblem } from '../delta/json-safe';
import { assert } from '../result/assert';
import { FAST_INTEGER_DIGITS_MAX, NOT_SIMPLE, parseSimpleValue } from './json-fast-paths';
import { utf8Encoder, utf8RangeOrNull, utf8TextOrNull } from './utf8';

/**
 * Column values travel as JSON text in UTF-8 (`ColumnDelta.value`, a `bytes` field). This file is
 * the one place that turns a value into that text and back.
 *
 * Both directions have fast paths for the values rows are mostly made of (short strings without
 * escapes, booleans, null, short numbers) that skip `JSON.stringify` / `JSON.parse`; each gives
 * exactly what the slow path would (a property test compares them on random values).
 *
 * Numbers are refused where JSON readers would disagree on them (see `numberProblem`): a literal
 * such as `12345678901234567890` parses here as `12345678901234567000`, so the receiver would
 * hold, and hash, a value its sender never wrote. The decoder reads the literals from the text
 * itself, not from what `JSON.parse` made of them, so it names the literal as written. A literal
 * that a duplicate key hides from `JSON.parse` (`{"a":1e400,"a":1}`) is refused too: readers that
 * keep the first of two equal keys would see it.
 */

/** Returned by `parseJsonValueBytes` when the bytes are not UTF-8 JSON; see `jsonValueProblem`. */
export const INVALID_JSON_VALUE: unique symbol = Symbol('invalid JSON value');

/**
 * Serialises a column value as JSON text, exactly as `JSON.stringify` does, except that
 * `undefined` (and anything else without a JSON form: functions, symbols) becomes `null`, so a
 * value is never absent on the wire. Asserts on values `JSON.stringify` refuses (bigints, cycles):
 * callers pass values checked by `isJsonSafe`. The text is always well-formed UTF-16 (lone
 * surrogates are escaped), so its UTF-8 form is lossless.
 */
export function columnValueToJson(value: unknown): string {
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return Number.isFinite(value) ? `${value}` : 'null';
    case 'undefined':
    case 'function':
    case 'symbol':
      return 'null';
    case 'object':
      if (value === null) return 'null';
      break;
  }
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (caught) {
    const reason = caught instanceof Error ? caught.message : String(caught);
    assert(false, `column value has no JSON form (${reason}); validate deltas before encoding`);
  }
  return text ?? 'null';
}

/** The UTF-8 bytes of `columnValueToJson(value)`. */
export function columnValueToBytes(value: unknown): Uint8Array {
  return utf8Encoder.encode(columnValueToJson(value));
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MINUS = 0x2d;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

/**
 * Parses UTF-8 JSON bytes into a value, exactly as `JSON.parse` of their strict UTF-8 decoding
 * would. Returns `INVALID_JSON_VALUE` (never throws) when the bytes are empty, not well-formed
 * UTF-8, not exactly one JSON value, or hold a number literal that is not exact (an integral value
 * beyond ±(2^53 − 1), such as `9007199254740993` or `1e300`) or not finite once read (`1e400`).
 */
export function parseJsonValueBytes(bytes: Uint8Array): unknown {
  return parseJsonValueRange(bytes, 0, bytes.length);
}

/** `parseJsonValueBytes(bytes.subarray(start, end))`, read in place. */
export function parseJsonValueRange(bytes: Uint8Array, start: number, end: number): unknown {
  const fast = parseSimpleValue(bytes, start, end);
  if (fast !== NOT_SIMPLE) return fast;
  const text = utf8RangeOrNull(bytes, start, end);
  if (text === null) return INVALID_JSON_VALUE;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return INVALID_JSON_VALUE;
  }
  // A lone number is checked as read; only arrays and objects can hide a literal inside.
  if (typeof value === 'number') return numberProblem(value) === null ? value : INVALID_JSON_VALUE;
  if (typeof value !== 'object' || value === null) return value;
  return inexactNumberLiteral(bytes, start, end) === null ? value : INVALID_JSON_VALUE;
}

const PLUS = 0x2b;
const DOT = 0x2e;
const LOWER_E = 0x65;
const UPPER_E = 0x45;

/**
 * The first number literal of well-formed JSON text in `bytes[start, end)` whose value
 * `numberProblem` refuses, as written and as read; `null` when every literal is exact. One tight
 * pass over the bytes (about a tenth of `JSON.parse`'s time): strings are skipped, and a literal is
 * read only when it has an exponent or an integer part of more than 15 digits; any other is below
 * 10^15, far below 2^53.
 */
function inexactNumberLiteral(
  bytes: Uint8Array,
  start: number,
  end: number,
): { literal: string; value: number } | null {
  let index = start;
  while (index < end) {
    const byte = bytes[index]!;
    if (byte === QUOTE) {
      index++;
      while (index < end) {
        const inner = bytes[index]!;
        if (inner === QUOTE) break;
        index += inner === BACKSLASH ? 2 : 1;
      }
      index++;
      continue;
    }
    if (byte !== MINUS && (byte < DIGIT_0 || byte > DIGIT_9)) {
      index++;
      continue;
    }
    const literalStart = index;
    let integerDigits = 0;
    let fraction = false;
    let exponent = false;
    while (index < end) {
      const inner = bytes[index]!;
      if (inner >= DIGIT_0 && inner <= DIGIT_9) {
        if (!fraction && !exponent) integerDigits++;
      } else if (inner === DOT) fraction = true;
      else if (inner === LOWER_E || inner === UPPER_E) exponent = true;
      else if (inner !== MINUS && inner !== PLUS) break;
      index++;
    }
    if (!exponent && integerDigits <= FAST_INTEGER_DIGITS_MAX) continue;
    let literal = '';
    for (let at = literalStart; at < index; at++) literal += String.fromCharCode(bytes[at]!);
    const value = Number(literal);
    if (numberProblem(value) !== null) return { literal, value };
  }
  return null;
}

/** Says why `parseJsonValueBytes` refused `bytes`, for an error message. */
export function jsonValueProblem(bytes: Uint8Array): string {
  if (bytes.length === 0) return 'value is empty (an absent value must be the JSON text null)';
  const text = utf8TextOrNull(bytes);
  if (text === null) return 'value is not well-formed UTF-8';
  try {
    JSON.parse(text);
  } catch {
    return 'value is not valid JSON';
  }
  const inexact = inexactNumberLiteral(bytes, 0, bytes.length);
  if (inexact === null) return 'value is not valid JSON';
  const { literal, value } = inexact;
  if (!Number.isFinite(value)) {
    return `value holds the number ${literal}, which reads as ${value} (only finite numbers)`;
  }
  return `value holds the number ${literal}, which reads as ${value}: an integer beyond ±(2^53 − 1) is not exact in JSON (send it as a string)`;
}
