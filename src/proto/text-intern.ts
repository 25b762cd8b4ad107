/**
 * A bounded intern table for short decoded texts, keyed by their UTF-8 bytes.
 *
 * Why: the strings of a sync message repeat heavily — table and column names, client ids, row
 * ids, and (since every client pulls every delta) each deltaId and most column values. Decoding
 * one allocates a string (and, through `TextDecoder`, a `subarray`); finding it here allocates
 * nothing, and every copy shares one string.
 *
 * How: direct-mapped slots, each holding the bytes of one key and the string they decoded to.
 * A lookup hashes the bytes to a slot and compares them with the slot's bytes in full, so a hit
 * returns the string those very bytes decoded to earlier: the result is exactly what decoding
 * them again would give. A miss decodes and takes the slot (the older entry is dropped). Only
 * well-formed texts are stored, so refusals are always decided by the decoder. The table has a
 * fixed size (`TEXT_INTERN_SLOTS` × `TEXT_INTERNED_BYTES_MAX` bytes) and never grows.
 *
 * The table is module state shared by every reader in the process; it changes which string
 * objects are returned, never their contents, so nothing observable depends on it.
 */

/** Longest text (in UTF-8 bytes) kept in the table: a 64-digit hex deltaId fits. */
export const TEXT_INTERNED_BYTES_MAX = 64;

/** Number of slots (a power of two). */
export const TEXT_INTERN_SLOTS = 8192;

const SLOT_MASK = TEXT_INTERN_SLOTS - 1;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

const WORDS_PER_SLOT = TEXT_INTERNED_BYTES_MAX / 4;

/**
 * Each slot's key as little-endian 32-bit words, compared four bytes at once; a last partial word
 * holds the remaining bytes and zeros (the key's length tells it apart from a longer key).
 */
const keyWords = new Int32Array(TEXT_INTERN_SLOTS * WORDS_PER_SLOT);
/** Length of each slot's key; 0 marks an empty slot (the empty text is never looked up). */
const keyLengths = new Uint8Array(TEXT_INTERN_SLOTS);
const texts: string[] = new Array<string>(TEXT_INTERN_SLOTS).fill('');

/**
 * The slot of `bytes[start, end)` (1 to `TEXT_INTERNED_BYTES_MAX` bytes): an FNV-1a-style hash of
 * the length and of the key's first and last 8 bytes, taken as words (every byte of a key of up to
 * 16 bytes), then mixed so that every bit reaches the slot number. Keys that agree there share a
 * slot and are told apart by the full comparison.
 */
export function internSlot(bytes: Uint8Array, start: number, end: number): number {
  const length = end - start;
  let hash = Math.imul(FNV_OFFSET ^ length, FNV_PRIME);
  if (length < 4) {
    for (let at = start; at < end; at++) hash = Math.imul(hash ^ bytes[at]!, FNV_PRIME);
  } else {
    hash = Math.imul(hash ^ wordAt(bytes, start), FNV_PRIME);
    hash = Math.imul(hash ^ wordAt(bytes, end - 4), FNV_PRIME);
    if (length >= 8) {
      hash = Math.imul(hash ^ wordAt(bytes, start + 4), FNV_PRIME);
      hash = Math.imul(hash ^ wordAt(bytes, end - 8), FNV_PRIME);
    }
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  return hash & SLOT_MASK;
}

/** The 4 bytes at `at` as a little-endian 32-bit word (whatever the platform's byte order). */
function wordAt(bytes: Uint8Array, at: number): number {
  return bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24);
}

/** The 1 to 3 bytes of `bytes[at, end)` as a little-endian word, zeros above them. */
function tailWordAt(bytes: Uint8Array, at: number, end: number): number {
  let word = 0;
  for (let shift = 0; at < end; at++, shift += 8) word |= bytes[at]! << shift;
  return word;
}

/** The text stored in `slot` if its key is exactly `bytes[start, end)`, else `null`. */
export function internedText(
  slot: number,
  bytes: Uint8Array,
  start: number,
  end: number,
): string | null {
  if (keyLengths[slot] !== end - start) return null;
  let at = start;
  let word = slot * WORDS_PER_SLOT;
  for (; at + 4 <= end; at += 4, word++) if (keyWords[word] !== wordAt(bytes, at)) return null;
  if (at < end && keyWords[word] !== tailWordAt(bytes, at, end)) return null;
  return texts[slot]!;
}

/** Stores `text`, the strict decoding of `bytes[start, end)`, in `slot`. */
export function internText(
  slot: number,
  bytes: Uint8Array,
  start: number,
  end: number,
  text: string,
): void {
  let at = start;
  let word = slot * WORDS_PER_SLOT;
  for (; at + 4 <= end; at += 4, word++) keyWords[word] = wordAt(bytes, at);
  if (at < end) keyWords[word] = tailWordAt(bytes, at, end);
  keyLengths[slot] = end - start;
  texts[slot] = text;
}

/**
 * Empties the table, so that every following lookup misses until texts are stored again. For
 * benchmarks of a message's first decoding (and tests); decoding never needs it.
 */
export function forgetInternedTexts(): void {
  keyLengths.fill(0);
  texts.fill('');
}
