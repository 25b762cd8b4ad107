import { utf8RangeOrNull } from './utf8';

/**
 * The fast paths of `parseJsonValueRange` (`json-value.ts`): the values rows are mostly made of,
 * read straight from the bytes without `JSON.parse`. Each either gives exactly what `JSON.parse`
 * of the strict UTF-8 decoding gives, or `NOT_SIMPLE`, and the caller takes the slow path, which
 * decides everything else (refusals included). A property test compares both on random and
 * mutated texts.
 */

/** Returned when a fast path does not apply; the caller then parses with `JSON.parse`. */
export const NOT_SIMPLE: unique symbol = Symbol('not a simple value');

/** Integers of at most this many digits are exact in a double and are parsed by hand. */
export const FAST_INTEGER_DIGITS_MAX = 15;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MINUS = 0x2d;
const DOT = 0x2e;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/**
 * A plain string, true, false, null, a short number, or a small array or object of those;
 * else `NOT_SIMPLE`.
 */
export function parseSimpleValue(bytes: Uint8Array, start: number, end: number): unknown {
  const first = end > start ? bytes[start]! : -1;
  if (first === OPEN_BRACE || first === OPEN_BRACKET) return parseStructure(bytes, start, end);
  return parseScalar(bytes, start, end);
}

/** A plain string, true, false, null or a short number filling `bytes[start, end)`; else `NOT_SIMPLE`. */
function parseScalar(bytes: Uint8Array, start: number, end: number): unknown {
  const length = end - start;
  if (length === 0) return NOT_SIMPLE;
  const first = bytes[start]!;
  if (first === QUOTE) return parsePlainString(bytes, start, end);
  if (first === MINUS || (first >= DIGIT_0 && first <= DIGIT_9)) {
    return parseShortNumber(bytes, start, end);
  }
  if (
    length === 4 &&
    first === 0x74 &&
    bytes[start + 1] === 0x72 &&
    bytes[start + 2] === 0x75 &&
    bytes[start + 3] === 0x65
  ) {
    return true;
  }
  if (
    length === 4 &&
    first === 0x6e &&
    bytes[start + 1] === 0x75 &&
    bytes[start + 2] === 0x6c &&
    bytes[start + 3] === 0x6c
  ) {
    return null;
  }
  if (
    length === 5 &&
    first === 0x66 &&
    bytes[start + 1] === 0x61 &&
    bytes[start + 2] === 0x6c &&
    bytes[start + 3] === 0x73 &&
    bytes[start + 4] === 0x65
  ) {
    return false;
  }
  return NOT_SIMPLE;
}

/**
 * `"…"` with no escapes and no control characters: its content is the value. Malformed UTF-8 is
 * `NOT_SIMPLE`, so the slow path refuses it.
 */
function parsePlainString(bytes: Uint8Array, start: number, end: number): unknown {
  const last = end - 1;
  if (last < start + 1 || bytes[last] !== QUOTE) return NOT_SIMPLE;
  for (let index = start + 1; index < last; index++) {
    const byte = bytes[index]!;
    if (byte === QUOTE || byte === BACKSLASH || byte < 0x20) return NOT_SIMPLE;
  }
  return utf8RangeOrNull(bytes, start + 1, last) ?? NOT_SIMPLE;
}

/** 10^0 … 10^15, every one exact in a double. */
const POWERS_OF_TEN: readonly number[] = Array.from({ length: 16 }, (_, power) => 10 ** power);

/**
 * `-?(0|[1-9][0-9]*)(\.[0-9]+)?` of at most 15 digits in all, excluding the integer `-0`:
 * computed without `JSON.parse`. The digits form an integer m < 10^15 and the fraction has f
 * digits, so the value is m / 10^f: both operands are exact doubles and the division is correctly
 * rounded, which gives the double nearest the decimal, as `JSON.parse` does. Below 10^15 in size,
 * such a number is never one `numberProblem` refuses.
 */
function parseShortNumber(bytes: Uint8Array, start: number, end: number): unknown {
  const negative = bytes[start] === MINUS;
  const digitsStart = negative ? start + 1 : start;
  if (end - digitsStart === 0 || end - digitsStart > FAST_INTEGER_DIGITS_MAX + 1) return NOT_SIMPLE;
  let magnitude = 0;
  let index = digitsStart;
  for (; index < end; index++) {
    const byte = bytes[index]!;
    if (byte < DIGIT_0 || byte > DIGIT_9) break;
    magnitude = magnitude * 10 + (byte - DIGIT_0);
  }
  const integerDigits = index - digitsStart;
  if (integerDigits === 0) return NOT_SIMPLE;
  if (bytes[digitsStart] === DIGIT_0 && integerDigits > 1) return NOT_SIMPLE;
  if (index === end) {
    if (integerDigits > FAST_INTEGER_DIGITS_MAX || (negative && magnitude === 0)) return NOT_SIMPLE;
    return negative ? -magnitude : magnitude;
  }
  if (bytes[index] !== DOT || end - index - 1 === 0) return NOT_SIMPLE;
  const fractionDigits = end - index - 1;
  if (integerDigits + fractionDigits > FAST_INTEGER_DIGITS_MAX) return NOT_SIMPLE;
  for (index++; index < end; index++) {
    const byte = bytes[index]!;
    if (byte < DIGIT_0 || byte > DIGIT_9) return NOT_SIMPLE;
    magnitude = magnitude * 10 + (byte - DIGIT_0);
  }
  const value = magnitude / POWERS_OF_TEN[fractionDigits]!;
  return negative ? -value : value;
}

/** Deepest nesting the structure fast path follows; anything deeper goes to `JSON.parse`. */
const STRUCTURE_DEPTH_MAX = 4;

/**
 * Where the structure fast path is in its input. One object, reused: parsing is synchronous and
 * never re-enters, and the bytes are let go once a value is read.
 */
const cursor: { bytes: Uint8Array; position: number; end: number } = {
  bytes: new Uint8Array(0),
  position: 0,
  end: 0,
};

/**
 * A small array or object — `[3,"sync",false]`, `{"tag":"milk","n":42,"nested":{"ok":true}}`, as
 * `JSON.stringify` writes them — filling `bytes[start, end)`, built as `JSON.parse` builds it:
 * fresh arrays and plain objects, keys in the same order. Why: such values are about a third of
 * the values a simulated run decodes, and `JSON.parse` costs several times this (after decoding
 * the whole text as a string first).
 *
 * It gives up (`NOT_SIMPLE`) on anything else: whitespace, an escape, a number that is not short
 * (`parseShortNumber`, so every number it accepts is exact and none needs the inexact-literal
 * check, even one a repeated key hides), the key `__proto__` (an assignment would set the
 * prototype), malformed UTF-8, nesting deeper than `STRUCTURE_DEPTH_MAX`, or bytes left after
 * the value.
 */
function parseStructure(bytes: Uint8Array, start: number, end: number): unknown {
  cursor.bytes = bytes;
  cursor.position = start;
  cursor.end = end;
  const value = readMember(1);
  const complete = cursor.position === end;
  cursor.bytes = EMPTY_BYTES;
  return complete ? value : NOT_SIMPLE;
}

const EMPTY_BYTES = new Uint8Array(0);

/** The byte at `position`, or -1 past the end of the value (the input may run on beyond it). */
function byteAt(position: number): number {
  return position < cursor.end ? cursor.bytes[position]! : -1;
}

/** One value at the cursor, at nesting `depth`; the cursor moves past it. */
function readMember(depth: number): unknown {
  const start = cursor.position;
  const first = byteAt(start);
  if (first === OPEN_BRACKET) return depth <= STRUCTURE_DEPTH_MAX ? readArray(depth) : NOT_SIMPLE;
  if (first === OPEN_BRACE) return depth <= STRUCTURE_DEPTH_MAX ? readObject(depth) : NOT_SIMPLE;
  if (first === QUOTE) return readString();
  // A number or a literal: it runs to the next delimiter, and must be a scalar on its own.
  let end = start;
  for (;;) {
    const byte = byteAt(end);
    if (byte === -1 || byte === COMMA || byte === CLOSE_BRACKET || byte === CLOSE_BRACE) break;
    end++;
  }
  cursor.position = end;
  return parseScalar(cursor.bytes, start, end);
}

/** A string without escapes at the cursor (on its opening quote). */
function readString(): string | typeof NOT_SIMPLE {
  const start = cursor.position;
  let close = start + 1;
  for (;;) {
    const byte = byteAt(close);
    if (byte === QUOTE) break;
    if (byte === -1 || byte === BACKSLASH || byte < 0x20) return NOT_SIMPLE;
    close++;
  }
  cursor.position = close + 1;
  return utf8RangeOrNull(cursor.bytes, start + 1, close) ?? NOT_SIMPLE;
}

function readArray(depth: number): unknown {
  const array: unknown[] = [];
  cursor.position++;
  if (byteAt(cursor.position) === CLOSE_BRACKET) {
    cursor.position++;
    return array;
  }
  for (;;) {
    const item = readMember(depth + 1);
    if (item === NOT_SIMPLE) return NOT_SIMPLE;
    array.push(item);
    const next = byteAt(cursor.position++);
    if (next === CLOSE_BRACKET) return array;
    if (next !== COMMA) return NOT_SIMPLE;
  }
}

function readObject(depth: number): unknown {
  const object: Record<string, unknown> = {};
  cursor.position++;
  if (byteAt(cursor.position) === CLOSE_BRACE) {
    cursor.position++;
    return object;
  }
  for (;;) {
    if (byteAt(cursor.position) !== QUOTE) return NOT_SIMPLE;
    const key = readString();
    if (key === NOT_SIMPLE || key === '__proto__' || byteAt(cursor.position++) !== COLON) {
      return NOT_SIMPLE;
    }
    const value = readMember(depth + 1);
    if (value === NOT_SIMPLE) return NOT_SIMPLE;
    // Object.prototype has no accessor but `__proto__`, so assigning defines an own property; a
    // repeated key overwrites the value where the key first came, as `JSON.parse` does.
    object[key] = value;
    const next = byteAt(cursor.position++);
    if (next === CLOSE_BRACE) return object;
    if (next !== COMMA) return NOT_SIMPLE;
  }
}
