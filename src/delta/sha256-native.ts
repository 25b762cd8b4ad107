import * as nodeCrypto from 'node:crypto';

/**
 * SHA-256 on the runtime's native hash (`node:crypto`), for Node and Bun. Chosen by the
 * `#sha256` package import under the `node` and `bun` conditions; browsers get
 * `sha256-portable.ts` instead. Both give the same digest for every string (a property test
 * proves it), so a `deltaId` does not depend on where it was computed.
 */

/** Which implementation `#sha256` resolved to, for tests and diagnostics. */
export const SHA256_IMPLEMENTATION: 'node:crypto' | '@noble/hashes' = 'node:crypto';

/**
 * SHA-256 of `input` (encoded as UTF-8, a lone surrogate as U+FFFD) as lower-case hex. Uses the
 * one-shot `crypto.hash` where the runtime has it (Node ≥ 20.12, Bun): about four times faster
 * than `createHash` for inputs this small, since it allocates no Hash object. Falls back to
 * `createHash` elsewhere; both give the same digest.
 */
export const sha256Hex: (input: string) => string =
  typeof nodeCrypto.hash === 'function'
    ? (input) => nodeCrypto.hash('sha256', input, 'hex')
    : (input) => nodeCrypto.createHash('sha256').update(input, 'utf8').digest('hex');

/**
 * SHA-256 of raw bytes as lower-case hex: what `sha256Hex` gives for a string whose UTF-8
 * encoding is `bytes`. For callers that wrote the UTF-8 themselves (see `delta-id-utf8.ts`).
 */
export const sha256HexOfBytes: (bytes: Uint8Array) => string =
  typeof nodeCrypto.hash === 'function'
    ? (bytes) => nodeCrypto.hash('sha256', bytes, 'hex')
    : (bytes) => nodeCrypto.createHash('sha256').update(bytes).digest('hex');
