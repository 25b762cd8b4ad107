import type { RowDelta } from '../delta/types';
import { CodecError } from '../result/errors';
import { Err, Ok, type Result } from '../result/result';
import { type CodecLimits, resolveCodecLimits } from './limits';
import { readSyncPull, readSyncPush, readSyncResponse } from './message-readers';
import type { SyncPull, SyncPush, SyncResponse } from './types';
import { readStandaloneRowDelta } from './wire-reader';
import { writeRowDelta, writeSyncPull, writeSyncPush, writeSyncResponse } from './wire-writer';

/**
 * The wire codec: core messages (`types.ts`) to protobuf bytes (`lakesync.proto`, package
 * `lakesync.v1`) and back.
 *
 * Encoding is total for validated core messages (values JSON-safe, ops known, HLCs within 64
 * bits); anything else is a caller bug and fails an assertion. Strings are written as UTF-8, so
 * they must be well-formed UTF-16: a lone surrogate would arrive as U+FFFD. Column values travel
 * as UTF-8 JSON text; `undefined` is written as `null`, so a decoded value is never `undefined`.
 *
 * Decoding never throws: any byte string gives `Ok` or an `Err(CodecError)` whose message names
 * the message, the field and the problem — truncated or malformed protobuf, a message over
 * `messageBytesMax`, an unknown or unspecified op (with its number), an empty table, rowId,
 * clientId or deltaId, a value that is not UTF-8 JSON or is over `valueBytesMax`, more than
 * `deltasMax` deltas or `columnsMax` columns, a duplicate column name. Only structure is checked;
 * the gateway's `validateDelta` checks meaning. Unknown fields (a newer peer's additions) are
 * ignored, as ADR-008 requires.
 */

/** Runs a decoder, turning its throws into an `Err(CodecError)` that names the message. */
function decodeWith<T>(
  messageName: string,
  bytes: Uint8Array,
  limits: Partial<CodecLimits> | undefined,
  read: (bytes: Uint8Array, limits: CodecLimits) => T,
): Result<T, CodecError> {
  const resolved = resolveCodecLimits(limits);
  if (!(bytes instanceof Uint8Array)) {
    return Err(new CodecError(`${messageName}: expected a Uint8Array`));
  }
  if (bytes.length > resolved.messageBytesMax) {
    return Err(
      new CodecError(
        `${messageName}: message is ${bytes.length} bytes, over the ${resolved.messageBytesMax}-byte limit`,
      ),
    );
  }
  try {
    return Ok(read(bytes, resolved));
  } catch (caught) {
    return Err(asCodecError(messageName, caught));
  }
}

/** Maps anything a decoder threw to a `CodecError`, keeping the original as the cause. */
export function asCodecError(messageName: string, caught: unknown): CodecError {
  if (caught instanceof CodecError) return caught;
  const cause = caught instanceof Error ? caught : new Error(String(caught));
  return new CodecError(`${messageName}: malformed protobuf (${cause.message})`, cause);
}

/** Encodes a push. Deterministic: the same message always gives the same bytes. */
export function encodeSyncPush(message: SyncPush): Uint8Array {
  return writeSyncPush(message);
}

/** Decodes a push; never throws (see the file doc for every refusal). */
export function decodeSyncPush(
  bytes: Uint8Array,
  limits?: Partial<CodecLimits>,
): Result<SyncPush, CodecError> {
  return decodeWith('SyncPush', bytes, limits, readSyncPush);
}

/** Encodes a pull. Asserts that `maxDeltas` is a uint32. */
export function encodeSyncPull(message: SyncPull): Uint8Array {
  return writeSyncPull(message);
}

/** Decodes a pull; never throws. */
export function decodeSyncPull(
  bytes: Uint8Array,
  limits?: Partial<CodecLimits>,
): Result<SyncPull, CodecError> {
  return decodeWith('SyncPull', bytes, limits, readSyncPull);
}

/** Encodes a response; a `null` error is left out of the bytes. */
export function encodeSyncResponse(message: SyncResponse): Uint8Array {
  return writeSyncResponse(message);
}

/** Decodes a response; never throws. A refusal (`error`) must carry a non-empty code. */
export function decodeSyncResponse(
  bytes: Uint8Array,
  limits?: Partial<CodecLimits>,
): Result<SyncResponse, CodecError> {
  return decodeWith('SyncResponse', bytes, limits, readSyncResponse);
}

/** Encodes one delta as a whole message (for storage or hashing of the wire form). */
export function encodeRowDelta(delta: RowDelta): Uint8Array {
  return writeRowDelta(delta);
}

/** Decodes one delta encoded by `encodeRowDelta`; never throws. */
export function decodeRowDelta(
  bytes: Uint8Array,
  limits?: Partial<CodecLimits>,
): Result<RowDelta, CodecError> {
  return decodeWith('RowDelta', bytes, limits, readStandaloneRowDelta);
}
