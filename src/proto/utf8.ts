import { internedText, internSlot, internText, TEXT_INTERNED_BYTES_MAX } from './text-intern';

/**
 * The codec's cached UTF-8 encoder and strict decoder. Strict means fatal: bytes that are not
 * well-formed UTF-8 are an error, never silently replaced with U+FFFD. A leading U+FEFF is kept as
 * text (protobuf strings have no byte-order mark).
 */

/** Shared encoder; `TextEncoder` is stateless. */
export const utf8Encoder = new TextEncoder();

const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Longest input decoded without `TextDecoder` (whose per-call cost dominates short texts) when it
 * is ASCII: through `latin1Slice` on Bun, a code array elsewhere.
 */
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

/** `Buffer.prototype.latin1Slice`, called with a plain `Uint8Array` as `this`. */
export type Latin1Slice = (this: Uint8Array, start: number, end: number) => string;

/** The globals `latin1SliceOn` looks at. */
export interface RuntimeGlobals {
  readonly Bun?: unknown;
  readonly Buffer?: { readonly prototype?: { readonly latin1Slice?: unknown } };
}

/**
 * `Buffer.prototype.latin1Slice` on Bun, if it reads a plain `Uint8Array` as expected; `null`
 * on every other runtime. It makes each byte the code unit of the same number, which for ASCII
 * bytes is their text. Why Bun only: on JavaScriptCore, `String.fromCharCode.apply` over a code
 * array costs three to four times this one native call, and it was most of the time of decoding
 * texts not seen before; on Node the same call makes the decoder about 5 % slower than the code
 * array does, and browsers have no `Buffer`.
 */
export function latin1SliceOn(runtime: RuntimeGlobals): Latin1Slice | null {
  if (runtime.Bun === undefined) return null;
  const slice = runtime.Buffer?.prototype?.latin1Slice;
  if (typeof slice !== 'function') return null;
  try {
    const probe = Uint8Array.of(0x2d, 0x61, 0x00, 0x7f, 0x2d);
    return slice.call(probe, 1, 4) === 'a\u0000\u007f' ? (slice as Latin1Slice) : null;
  } catch {
    return null;
  }
}

/** `latin1SliceOn` this runtime: Bun's `latin1Slice`, or `null` (the code array is used). */
export const latin1Slice: Latin1Slice | null = latin1SliceOn(globalThis as RuntimeGlobals);

/**
 * The strict decoding of `bytes[start, end)` without the intern table: short ASCII through
 * `latin1Slice` or else a code array (no `TextDecoder` call), anything else through the fatal
 * `TextDecoder`. ASCII is the same text in UTF-8 and UTF-16, so every way gives the same string.
 */
function decodeRangeOrNull(bytes: Uint8Array, start: number, end: number): string | null {
  const length = end - start;
  if (length <= ASCII_LOOP_BYTES_MAX) {
    if (latin1Slice !== null) {
      if (isAscii(bytes, start, end)) return latin1Slice.call(bytes, start, end);
    } else {
      const codes = codeArrays[length]!;
      let index = 0;
      for (; index < length; index++) {
        const byte = bytes[start + index]!;
        if (byte > 0x7f) break;
        codes[index] = byte;
      }
      if (index === length) return String.fromCharCode.apply(null, codes);
    }
  }
  try {
    return strictDecoder.decode(bytes.subarray(start, end));
  } catch {
    return null;
  }
}

/** Whether every byte of `bytes[start, end)` is below 0x80. */
function isAscii(bytes: Uint8Array, start: number, end: number): boolean {
  for (let index = start; index < end; index++) if (bytes[index]! > 0x7f) return false;
  return true;
}
