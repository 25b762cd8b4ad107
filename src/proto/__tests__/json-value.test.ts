import { describe, expect, it, vi } from 'vitest';
import { CodecError } from '../../result/errors';
import { decodeRowDelta, encodeRowDelta } from '../codec';
import { INVALID_JSON_VALUE, jsonValueProblem, parseJsonValueBytes } from '../json-value';
import { sampleDelta } from './sample-messages';

/**
 * The decoder sees a column value as JSON text, so it can refuse an inexact number literal before
 * `JSON.parse` rounds it: the message quotes the literal as the sender wrote it.
 */

const encoder = new TextEncoder();
const bytesOf = (text: string): Uint8Array => encoder.encode(text);

/** Texts the decoder refuses, with what `jsonValueProblem` must say. */
const REFUSED: ReadonlyArray<readonly [string, string]> = [
  ['12345678901234567890', 'the number 12345678901234567890, which reads as 12345678901234567000'],
  ['-12345678901234567890', 'the number -12345678901234567890'],
  ['9007199254740992', 'the number 9007199254740992, which reads as 9007199254740992'],
  ['9007199254740993', 'the number 9007199254740993, which reads as 9007199254740992'],
  ['-9007199254740992', 'the number -9007199254740992'],
  ['1e400', 'the number 1e400, which reads as Infinity (only finite numbers)'],
  ['-1e400', 'reads as -Infinity'],
  ['1e300', 'the number 1e300, which reads as 1e+300: an integer beyond'],
  ['9007199254740991.9', 'reads as 9007199254740992'],
  ['1.7976931348623157e308', 'reads as 1.7976931348623157e+308: an integer beyond'],
  ['[1, {"a": ["x", 12345678901234567890]}]', 'the number 12345678901234567890'],
  ['{"big": 1E400}', 'the number 1E400'],
  // JSON.parse keeps the last of two equal keys; other readers keep the first: still refused.
  ['{"a": 1e400, "a": 1}', 'the number 1e400'],
];

/** Texts with what they must parse to. */
const ACCEPTED: ReadonlyArray<readonly [string, unknown]> = [
  ['9007199254740991', 2 ** 53 - 1],
  ['-9007199254740991', -(2 ** 53 - 1)],
  ['-0', -0],
  ['0.1', 0.1],
  ['123456789012345.5', 123456789012345.5],
  ['1e-400', 0],
  ['"12345678901234567890"', '12345678901234567890'],
  ['{"note": "1e400 \\" 9007199254740993"}', { note: '1e400 " 9007199254740993' }],
  ['[9007199254740991, {"n": -9007199254740991}]', [2 ** 53 - 1, { n: -(2 ** 53 - 1) }]],
];

describe('number fidelity when decoding column values', () => {
  it.each(REFUSED)('refuses %s, naming the literal', (text, message) => {
    const bytes = bytesOf(text);
    expect(parseJsonValueBytes(bytes)).toBe(INVALID_JSON_VALUE);
    expect(jsonValueProblem(bytes)).toContain(message);
  });

  it.each(ACCEPTED)('accepts %s', (text, expected) => {
    const value = parseJsonValueBytes(bytesOf(text));
    expect(value).not.toBe(INVALID_JSON_VALUE);
    expect(value).toEqual(expected);
    if (typeof expected === 'number') expect(Object.is(value, expected)).toBe(true);
  });

  it('still says "not valid JSON" for text that is not JSON at all', () => {
    expect(jsonValueProblem(bytesOf('[1,'))).toBe('value is not valid JSON');
    expect(jsonValueProblem(bytesOf('12345678901234567890x'))).toBe('value is not valid JSON');
  });

  it('decodeRowDelta turns an inexact literal into a CodecError naming the column', () => {
    // Encode a valid delta, then swap its value bytes for a literal of the same length.
    const honest = encodeRowDelta({
      ...sampleDelta(1),
      columns: [{ column: 'amount', value: 'x'.repeat(18) }],
    });
    const placeholder = bytesOf(JSON.stringify('x'.repeat(18)));
    const wire = replaceBytes(honest, placeholder, bytesOf('12345678901234567890'));
    const decoded = decodeRowDelta(wire);
    expect(decoded.ok).toBe(false);
    if (decoded.ok) return;
    expect(decoded.error).toBeInstanceOf(CodecError);
    expect(decoded.error.code).toBe('CODEC_ERROR');
    expect(decoded.error.message).toContain('the number 12345678901234567890');
    expect(decoded.error.message).toContain('column "amount"');
  });
});

/** `haystack` with the one occurrence of `needle` replaced by `replacement` (same length). */
function replaceBytes(
  haystack: Uint8Array,
  needle: Uint8Array,
  replacement: Uint8Array,
): Uint8Array {
  expect(replacement.length).toBe(needle.length);
  for (let start = 0; start + needle.length <= haystack.length; start++) {
    if (needle.every((byte, offset) => haystack[start + offset] === byte)) {
      const out = haystack.slice();
      out.set(replacement, start);
      return out;
    }
  }
  throw new Error('needle not found');
}

describe('the small-structure fast path', () => {
  /** Values as the simulator's workload draws them (`sim/workload/values.ts`). */
  const STRUCTURES: readonly unknown[] = [
    [3, 'sync', false],
    { tag: 'émigré', n: 7 },
    { tag: '🚀', n: 99, nested: { ok: true } },
    { 12: 'a', b: [1.25, -3, null], 0: {} },
  ];

  it.each(STRUCTURES)('reads %j without JSON.parse, as JSON.parse would', (value) => {
    const bytes = bytesOf(JSON.stringify(value));
    const expected: unknown = JSON.parse(JSON.stringify(value));
    const parse = vi.spyOn(JSON, 'parse');
    try {
      const read = parseJsonValueBytes(bytes);
      expect(parse).not.toHaveBeenCalled();
      expect(read).toStrictEqual(expected);
      expect(Object.keys(read as object)).toEqual(Object.keys(expected as object));
    } finally {
      parse.mockRestore();
    }
  });

  it('leaves __proto__ keys, whitespace and long numbers to JSON.parse', () => {
    const proto = parseJsonValueBytes(bytesOf('{"__proto__":{"x":1}}')) as object;
    expect(Object.getPrototypeOf(proto)).toBe(Object.prototype);
    expect(Object.hasOwn(proto, '__proto__')).toBe(true);
    expect(parseJsonValueBytes(bytesOf('[1, 2]'))).toEqual([1, 2]);
    expect(parseJsonValueBytes(bytesOf('[12345678901234567890]'))).toBe(INVALID_JSON_VALUE);
  });
});
