import { internedText, internSlot, internText, TEXT_INTERNED_BYTES_MAX } from './text-intern';

/**
 * The codec's cached UTF-8 encoder and strict decoder. Strict means fatal: bytes that are not
 * well-formed UTF-8 are an error, never silently replaced with U+FFFD. A leading U+FEFF is kept as
 * text (protobuf strings have no byte-order mark).
 */

/** Shared encoder; `TextEncoder` is stateless. */
export const utf8Encoder = new TextEncoder();

const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Longest input decoded through a code array instead of `TextDecoder`, whose per-call cost dominates. */
const ASCII_LOOP_BYTES_MAX = 64;

/**
 * Decodes `bytes[start, end)` as well-formed UTF-8, or returns `null` when they are not
 * well-formed. Never throws, and reads the range in place (no `subarray` unless `TextDecoder` is
 * needed). Short texts come from the intern table of `text-intern.ts`, which returns exactly what
 * `decodeRangeOrNull` would.
 */
export function utf8RangeOrNull(bytes: Uint8Array, start: number, end: number): string | null {
  const length = end - start;
  if (length === 0) return '';
  if (length > TEXT_INTERNED_BYTES_MAX) return decodeRangeOrNull(bytes, start, end);
  const slot = internSlot(bytes, start, end);
  const known = internedText(slot, bytes, start, end);
  if (known !== null) return known;
  const text = decodeRangeOrNull(bytes, start, end);
  if (text !== null) internText(slot, bytes, start, end, text);
  return text;
}

/** Decodes well-formed UTF-8, or returns `null` when `bytes` are not well-formed. Never throws. */
export function utf8TextOrNull(bytes: Uint8Array): string | null {
  return utf8RangeOrNull(bytes, 0, bytes.length);
}

/**
 * One code array per length up to `ASCII_LOOP_BYTES_MAX`, reused by every ASCII decoding (which
 * runs to completion before the next starts), so decoding a new text allocates only the string.
 */
const codeArrays: number[][] = Array.from({ length: ASCII_LOOP_BYTES_MAX + 1 }, (_, length) =>
  new Array<number>(length).fill(0),
);

/**
 * The strict decoding of `bytes[start, end)` without the intern table: short ASCII through a code
 * array (no `TextDecoder` call), anything else through the fatal `TextDecoder`. ASCII is the same
 * text in UTF-8 and UTF-16, so both ways give the same string.
 */
function decodeRangeOrNull(bytes: Uint8Array, start: number, end: number): string | null {
  const length = end - start;
  if (length <= ASCII_LOOP_BYTES_MAX) {
    const codes = codeArrays[length]!;
    let index = 0;
    for (; index < length; index++) {
      const byte = bytes[start + index]!;
      if (byte > 0x7f) break;
      codes[index] = byte;
    }
    if (index === length) return String.fromCharCode.apply(null, codes);
  }
  try {
    return strictDecoder.decode(bytes.subarray(start, end));
  } catch {
    return null;
  }
}
