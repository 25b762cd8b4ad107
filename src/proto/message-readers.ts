import type { RowDelta } from '../delta/types';
import type { HLCTimestamp } from '../hlc/types';
import type { CodecLimits } from './limits';
import type { ErrorReply, SyncPull, SyncPush, SyncResponse } from './types';
import { checkDeltaCount, failDecode, requireText, STANDALONE } from './wire-checks';
import {
  nestedEnd,
  newReader,
  readRowDelta,
  readTag,
  readText,
  skipField,
  TRUNCATED,
  type WireReader,
} from './wire-reader';
import { T } from './wire-tags';

/**
 * The hand-written decoders of `SyncPush`, `SyncPull` and `SyncResponse`, built on the reader of
 * `wire-reader.ts` and following its rules. They throw `CodecError` (or the reader's own errors
 * on malformed bytes); `codec.ts` turns every throw into an `Err`.
 */

/** Decodes a whole `SyncPush`. Throws; see the file doc. */
export function readSyncPush(bytes: Uint8Array, limits: CodecLimits): SyncPush {
  const reader = newReader(bytes);
  const end = reader.len;
  let clientId = '';
  let lastSeenHlc = 0n;
  let baseHlc = 0n;
  const deltas: RowDelta[] = [];
  while (reader.pos < end) {
    const fieldTag = readTag(reader, 'SyncPush');
    switch (fieldTag) {
      case T.f1Len:
        clientId = readText(reader, 'SyncPush', STANDALONE, 'clientId');
        break;
      case T.f2Len:
        checkDeltaCount(deltas.length + 1, limits, 'SyncPush');
        deltas.push(readRowDelta(reader, end, limits, 'SyncPush', deltas.length));
        break;
      case T.f3I64:
        lastSeenHlc = reader.fixed64();
        break;
      case T.f4I64:
        baseHlc = reader.fixed64();
        break;
      default:
        skipField(reader, fieldTag, 'SyncPush');
    }
  }
  if (reader.pos !== end) failDecode('SyncPush', TRUNCATED);
  return {
    clientId: requireText(clientId, 'SyncPush', 'clientId'),
    deltas,
    lastSeenHlc: lastSeenHlc as HLCTimestamp,
    baseHlc: baseHlc as HLCTimestamp,
  };
}

/** Decodes a whole `SyncPull`. Throws; see the file doc. */
export function readSyncPull(bytes: Uint8Array): SyncPull {
  const reader = newReader(bytes);
  const end = reader.len;
  let clientId = '';
  let sinceHlc = 0n;
  let maxDeltas = 0;
  let gatewayEpoch = 0n;
  let snapshotOffset = 0;
  while (reader.pos < end) {
    const fieldTag = readTag(reader, 'SyncPull');
    switch (fieldTag) {
      case T.f1Len:
        clientId = readText(reader, 'SyncPull', STANDALONE, 'clientId');
        break;
      case T.f2I64:
        sinceHlc = reader.fixed64();
        break;
      case T.f3Varint:
        maxDeltas = reader.uint32();
        break;
      case T.f4I64:
        gatewayEpoch = reader.fixed64();
        break;
      case T.f5Varint:
        snapshotOffset = reader.uint32();
        break;
      default:
        skipField(reader, fieldTag, 'SyncPull');
    }
  }
  if (reader.pos !== end) failDecode('SyncPull', TRUNCATED);
  return {
    clientId: requireText(clientId, 'SyncPull', 'clientId'),
    sinceHlc: sinceHlc as HLCTimestamp,
    maxDeltas,
    gatewayEpoch: gatewayEpoch as HLCTimestamp,
    snapshotOffset,
  };
}

function readErrorReply(
  reader: WireReader,
  parentEnd: number,
  previous: ErrorReply | null,
): ErrorReply {
  const end = nestedEnd(reader, parentEnd);
  if (end < 0) failDecode('SyncResponse.error', TRUNCATED);
  let code = previous?.code ?? '';
  let message = previous?.message ?? '';
  while (reader.pos < end) {
    const fieldTag = readTag(reader, 'ErrorReply');
    if (fieldTag === T.f1Len) code = readText(reader, 'SyncResponse.error', STANDALONE, 'code');
    else if (fieldTag === T.f2Len) {
      message = readText(reader, 'SyncResponse.error', STANDALONE, 'message');
    } else skipField(reader, fieldTag, 'ErrorReply');
  }
  if (reader.pos !== end) failDecode('SyncResponse.error', TRUNCATED);
  return { code, message };
}

/** A `SyncResponse` whose fields are still being read. */
type ResponseDraft = { -readonly [K in keyof SyncResponse]: SyncResponse[K] } & {
  deltas: RowDelta[];
};

/** Decodes a whole `SyncResponse`. Throws; see the file doc. */
export function readSyncResponse(bytes: Uint8Array, limits: CodecLimits): SyncResponse {
  const reader = newReader(bytes);
  const end = reader.len;
  const zero = 0n as HLCTimestamp;
  const draft: ResponseDraft = {
    deltas: [],
    serverHlc: zero,
    hasMore: false,
    cursor: zero,
    durableHlc: zero,
    gatewayId: '',
    gatewayEpoch: zero,
    clientAcceptedHlc: zero,
    clientDurableHlc: zero,
    snapshot: false,
    error: null,
    snapshotNext: 0,
  };
  while (reader.pos < end) readResponseField(reader, end, limits, draft);
  if (reader.pos !== end) failDecode('SyncResponse', TRUNCATED);
  if (draft.error !== null) requireText(draft.error.code, 'SyncResponse.error', 'code');
  return draft;
}

function readResponseField(
  reader: WireReader,
  end: number,
  limits: CodecLimits,
  draft: ResponseDraft,
): void {
  const fieldTag = readTag(reader, 'SyncResponse');
  switch (fieldTag) {
    case T.f1Len:
      checkDeltaCount(draft.deltas.length + 1, limits, 'SyncResponse');
      draft.deltas.push(readRowDelta(reader, end, limits, 'SyncResponse', draft.deltas.length));
      return;
    case T.f2I64:
      draft.serverHlc = reader.fixed64() as HLCTimestamp;
      return;
    case T.f3Varint:
      draft.hasMore = reader.bool();
      return;
    case T.f4I64:
      draft.cursor = reader.fixed64() as HLCTimestamp;
      return;
    case T.f5I64:
      draft.durableHlc = reader.fixed64() as HLCTimestamp;
      return;
    case T.f6Len:
      draft.gatewayId = readText(reader, 'SyncResponse', STANDALONE, 'gatewayId');
      return;
    case T.f7I64:
      draft.gatewayEpoch = reader.fixed64() as HLCTimestamp;
      return;
    case T.f8I64:
      draft.clientAcceptedHlc = reader.fixed64() as HLCTimestamp;
      return;
    case T.f9I64:
      draft.clientDurableHlc = reader.fixed64() as HLCTimestamp;
      return;
    case T.f10Varint:
      draft.snapshot = reader.bool();
      return;
    case T.f11Len:
      draft.error = readErrorReply(reader, end, draft.error);
      return;
    case T.f12Varint:
      draft.snapshotNext = reader.uint32();
      return;
    default:
      skipField(reader, fieldTag, 'SyncResponse');
  }
}
