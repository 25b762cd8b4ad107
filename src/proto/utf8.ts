/**
 * The codec's cached UTF-8 encoder and strict decoder. Strict means fatal: bytes that are not
 * well-formed UTF-8 are an error, never silently replaced with U+FFFD. A leading U+FEFF is kept as
 * text (protobuf strings have no byte-order mark).
 */

/** Shared encoder; `TextEncoder` is stateless. */
export const utf8Encoder = new TextEncoder();

const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Longest input decoded through a code array instead of `TextDecoder`, whose per-call cost dominates. */
const ASCII_LOOP_BYTES_MAX = 32;

/** Decodes well-formed UTF-8; throws a `TypeError` on anything else. For `BinaryReader`. */
export function decodeUtf8Strict(bytes: Uint8Array): string {
  return strictDecoder.decode(bytes);
}

/** Decodes well-formed UTF-8, or returns `null` when `bytes` are not well-formed. Never throws. */
export function utf8TextOrNull(bytes: Uint8Array): string | null {
  const length = bytes.length;
  if (length <= ASCII_LOOP_BYTES_MAX) {
    const codes: number[] = new Array(length);
    let index = 0;
    for (; index < length; index++) {
      const byte = bytes[index]!;
      if (byte > 0x7f) break;
      codes[index] = byte;
    }
    if (index === length) return String.fromCharCode.apply(null, codes);
  }
  try {
    return strictDecoder.decode(bytes);
  } catch {
    return null;
  }
}
