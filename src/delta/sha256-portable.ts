import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

/**
 * SHA-256 in pure JavaScript (`@noble/hashes`, audited, no dependencies), for runtimes without
 * `node:crypto`: browsers, workers, edge runtimes. Chosen by the `#sha256` package import under
 * the `default` condition. Synchronous, unlike WebCrypto's `subtle.digest`, so `deltaId` stays
 * synchronous everywhere and can run inside an IndexedDB transaction without ending it.
 */

/** Which implementation `#sha256` resolved to, for tests and diagnostics. */
export const SHA256_IMPLEMENTATION: 'node:crypto' | '@noble/hashes' = '@noble/hashes';

const encoder = new TextEncoder();

/**
 * SHA-256 of `input` (encoded as UTF-8, a lone surrogate as U+FFFD, exactly as `node:crypto`
 * encodes strings) as lower-case hex.
 */
export function sha256Hex(input: string): string {
  return bytesToHex(sha256(encoder.encode(input)));
}

/**
 * SHA-256 of raw bytes as lower-case hex: what `sha256Hex` gives for a string whose UTF-8
 * encoding is `bytes`. For callers that wrote the UTF-8 themselves (see `delta-id-utf8.ts`).
 */
export function sha256HexOfBytes(bytes: Uint8Array): string {
  return bytesToHex(sha256(bytes));
}
