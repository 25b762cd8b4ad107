import { fromBinary, toBinary } from '@bufbuild/protobuf';
import type { RowDelta } from '../delta/types';
import type { CodecError } from '../result/errors';
import { Err, Ok, type Result } from '../result/result';
import { asCodecError } from './codec';
import {
  RowDeltaSchema,
  SyncPullSchema,
  SyncPushSchema,
  SyncResponseSchema,
} from './gen/lakesync_pb';
import { type CodecLimits, resolveCodecLimits } from './limits';
import {
  fromWireRowDelta,
  fromWireSyncPull,
  fromWireSyncPush,
  fromWireSyncResponse,
  toWireRowDelta,
  toWireSyncPull,
  toWireSyncPush,
  toWireSyncResponse,
} from './schema-mapping';
import type { SyncPull, SyncPush, SyncResponse } from './types';

/**
 * The reference codec: the same contract as `codec.ts`, implemented through the generated schema
 * (`toBinary` / `fromBinary` of `gen/lakesync_pb.ts`) and the explicit mapping of
 * `schema-mapping.ts`. It is the schema of record the fast hand-written path is tested against
 * (byte-identical encodings, equal decodings); it is slower, so production code uses `codec.ts`.
 */

function decodeBySchema<T>(
  messageName: string,
  bytes: Uint8Array,
  limits: Partial<CodecLimits> | undefined,
  read: (bytes: Uint8Array, limits: CodecLimits) => T,
): Result<T, CodecError> {
  const resolved = resolveCodecLimits(limits);
  if (bytes.length > resolved.messageBytesMax) {
    return Err(asCodecError(messageName, new Error('message over messageBytesMax')));
  }
  try {
    return Ok(read(bytes, resolved));
  } catch (caught) {
    return Err(asCodecError(messageName, caught));
  }
}

/** Reference encoder of a push. */
export function encodeSyncPushBySchema(message: SyncPush): Uint8Array {
  return toBinary(SyncPushSchema, toWireSyncPush(message));
}

/** Reference decoder of a push; never throws. */
export function decodeSyncPushBySchema(
  bytes: Uint8Array,
  limits?: Partial<CodecLimits>,
): Result<SyncPush, CodecError> {
  return decodeBySchema('SyncPush', bytes, limits, (input, resolved) =>
    fromWireSyncPush(fromBinary(SyncPushSchema, input), resolved),
  );
}

/** Reference encoder of a pull. */
export function encodeSyncPullBySchema(message: SyncPull): Uint8Array {
  return toBinary(SyncPullSchema, toWireSyncPull(message));
}

/** Reference decoder of a pull; never throws. */
export function decodeSyncPullBySchema(
  bytes: Uint8Array,
  limits?: Partial<CodecLimits>,
): Result<SyncPull, CodecError> {
  return decodeBySchema('SyncPull', bytes, limits, (input) =>
    fromWireSyncPull(fromBinary(SyncPullSchema, input)),
  );
}

/** Reference encoder of a response. */
export function encodeSyncResponseBySchema(message: SyncResponse): Uint8Array {
  return toBinary(SyncResponseSchema, toWireSyncResponse(message));
}

/** Reference decoder of a response; never throws. */
export function decodeSyncResponseBySchema(
  bytes: Uint8Array,
  limits?: Partial<CodecLimits>,
): Result<SyncResponse, CodecError> {
  return decodeBySchema('SyncResponse', bytes, limits, (input, resolved) =>
    fromWireSyncResponse(fromBinary(SyncResponseSchema, input), resolved),
  );
}

/** Reference encoder of one delta. */
export function encodeRowDeltaBySchema(delta: RowDelta): Uint8Array {
  return toBinary(RowDeltaSchema, toWireRowDelta(delta));
}

/** Reference decoder of one delta; never throws. */
export function decodeRowDeltaBySchema(
  bytes: Uint8Array,
  limits?: Partial<CodecLimits>,
): Result<RowDelta, CodecError> {
  return decodeBySchema('RowDelta', bytes, limits, (input, resolved) =>
    fromWireRowDelta(fromBinary(RowDeltaSchema, input), resolved),
  );
}
