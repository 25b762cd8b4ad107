import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';
import type { ColumnDelta, RowDelta } from '../delta/types';
import type { HLCTimestamp } from '../hlc/types';
import type { CodecLimits } from './limits';
import type { ErrorReply, SyncPull, SyncPush, SyncResponse } from './types';
import { decodeUtf8Strict } from './utf8';
import {
  checkColumnCount,
  checkDeltaCount,
  columnFromWire,
  deltaPath,
  failDecode,
  requireText,
  rowDeltaFromWire,
  STANDALONE,
  toUint64,
} from './wire-checks';
import { FIELDS_MAX, T, type WireMessageName } from './wire-tags';

/**
 * The hand-written decoders of the hot path: one pass over the bytes with `BinaryReader`, no
 * intermediate generated messages, values parsed straight from the input buffer. They follow the
 * rules the generated `fromBinary` follows (fields in any order, the last scalar wins, a repeated
 * singular message merges, unknown fields are skipped) and the shared checks of `wire-checks.ts`.
 * A known field number with the wrong wire type is refused, since fields are never retyped
 * (ADR-008). They throw `CodecError` (or the reader's own errors on malformed bytes); `codec.ts`
 * turns every throw into an `Err`. Error paths are built only on failure, never per field.
 */

const EMPTY_BYTES = new Uint8Array(0);

/** A `BinaryReader` that keeps its input at hand and decodes strings strictly. */
class WireReader extends BinaryReader {
  readonly input: Uint8Array;

  constructor(bytes: Uint8Array) {
    super(bytes, decodeUtf8Strict);
    this.input = bytes;
  }
}

function newReader(bytes: Uint8Array): WireReader {
  return new WireReader(bytes);
}

/**
 * Reads a field tag. Refuses a tag varint that overflows 32 bits (the reader would silently keep
 * its low bits, which could alias a known field), as the generated decoder does.
 */
function readTag(reader: WireReader, message: WireMessageName): number {
  const start = reader.pos;
  const fieldTag = reader.uint32();
  const length = reader.pos - start;
  if (length > 4 && (length > 5 || reader.input[reader.pos - 1]! > 0x0f)) {
    failDecode(message, 'illegal tag: varint overflows 32 bits');
  }
  return fieldTag;
}

/** Skips a field the message does not know; refuses a known field with the wrong wire type. */
function skipField(reader: WireReader, fieldTag: number, message: WireMessageName): void {
  const field = fieldTag >>> 3;
  const wireType = fieldTag & 7;
  if (field === 0 || wireType > WireType.Bit32) failDecode(message, `illegal tag ${fieldTag}`);
  if (field <= FIELDS_MAX[message]) {
    failDecode(message, `field ${field} has the wrong wire type ${wireType}`);
  }
  if (wireType === WireType.EndGroup) failDecode(message, `unexpected end-group tag ${field}`);
  reader.skip(wireType as WireType, field);
}

/** Reads a length prefix; returns where the nested message ends, or -1 if past `parentEnd`. */
function nestedEnd(reader: WireReader, parentEnd: number): number {
  const length = reader.uint32();
  const end = reader.pos + length;
  return end > parentEnd ? -1 : end;
}

const TRUNCATED = 'truncated: a length runs past the end of the message';

/** Reads a string field; on malformed UTF-8 names the field (the path is built only then). */
function readText(reader: WireReader, context: string, index: number, field: string): string {
  try {
    return reader.string(true);
  } catch {
    return failDecode(`${deltaPath(context, index)}.${field}`, 'not well-formed UTF-8');
  }
}

function readColumn(
  reader: WireReader,
  parentEnd: number,
  limits: CodecLimits,
  context: string,
  index: number,
  columnIndex: number,
): ColumnDelta {
  const end = nestedEnd(reader, parentEnd);
  if (end < 0) failDecode(`${deltaPath(context, index)}.columns[${columnIndex}]`, TRUNCATED);
  let name = '';
  let value: Uint8Array = EMPTY_BYTES;
  while (reader.pos < end) {
    const fieldTag = readTag(reader, 'ColumnDelta');
    if (fieldTag === T.f1Len) name = readText(reader, context, index, `columns[${columnIndex}]`);
    else if (fieldTag === T.f2Len) value = reader.bytes();
    else skipField(reader, fieldTag, 'ColumnDelta');
  }
  if (reader.pos !== end) failDecode(`${deltaPath(context, index)}.columns`, TRUNCATED);
  return columnFromWire(name, value, limits, context, index, columnIndex);
}

/** Reads the fields of a `RowDelta` from the reader's position up to `end`. */
function readRowDeltaBody(
  reader: WireReader,
  end: number,
  limits: CodecLimits,
  context: string,
  index: number,
): RowDelta {
  let op = 0;
  let table = '';
  let rowId = '';
  let clientId = '';
  let deltaId = '';
  let hlc = 0n;
  const columns: ColumnDelta[] = [];
  while (reader.pos < end) {
    const fieldTag = readTag(reader, 'RowDelta');
    switch (fieldTag) {
      case T.f1Varint:
        op = reader.int32();
        break;
      case T.f2Len:
        table = readText(reader, context, index, 'table');
        break;
      case T.f3Len:
        rowId = readText(reader, context, index, 'rowId');
        break;
      case T.f4Len:
        checkColumnCount(columns.length + 1, limits, context, index);
        columns.push(readColumn(reader, end, limits, context, index, columns.length));
        break;
      case T.f5I64:
        hlc = toUint64(reader.fixed64());
        break;
      case T.f6Len:
        clientId = readText(reader, context, index, 'clientId');
        break;
      case T.f7Len:
        deltaId = readText(reader, context, index, 'deltaId');
        break;
      default:
        skipField(reader, fieldTag, 'RowDelta');
    }
  }
  if (reader.pos !== end) failDecode(deltaPath(context, index), TRUNCATED);
  return rowDeltaFromWire({ op, table, rowId, clientId, deltaId, hlc, columns }, context, index);
}

function readRowDelta(
  reader: WireReader,
  parentEnd: number,
  limits: CodecLimits,
  context: string,
  index: number,
): RowDelta {
  const end = nestedEnd(reader, parentEnd);
  if (end < 0) failDecode(deltaPath(context, index), TRUNCATED);
  return readRowDeltaBody(reader, end, limits, context, index);
}

/** Decodes one `RowDelta` that is a whole message. Throws; see the file doc. */
export function readStandaloneRowDelta(bytes: Uint8Array, limits: CodecLimits): RowDelta {
  const reader = newReader(bytes);
  return readRowDeltaBody(reader, reader.len, limits, 'RowDelta', STANDALONE);
}

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
        lastSeenHlc = toUint64(reader.fixed64());
        break;
      case T.f4I64:
        baseHlc = toUint64(reader.fixed64());
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
  while (reader.pos < end) {
    const fieldTag = readTag(reader, 'SyncPull');
    switch (fieldTag) {
      case T.f1Len:
        clientId = readText(reader, 'SyncPull', STANDALONE, 'clientId');
        break;
      case T.f2I64:
        sinceHlc = toUint64(reader.fixed64());
        break;
      case T.f3Varint:
        maxDeltas = reader.uint32();
        break;
      case T.f4I64:
        gatewayEpoch = toUint64(reader.fixed64());
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
      draft.serverHlc = toUint64(reader.fixed64()) as HLCTimestamp;
      return;
    case T.f3Varint:
      draft.hasMore = reader.bool();
      return;
    case T.f4I64:
      draft.cursor = toUint64(reader.fixed64()) as HLCTimestamp;
      return;
    case T.f5I64:
      draft.durableHlc = toUint64(reader.fixed64()) as HLCTimestamp;
      return;
    case T.f6Len:
      draft.gatewayId = readText(reader, 'SyncResponse', STANDALONE, 'gatewayId');
      return;
    case T.f7I64:
      draft.gatewayEpoch = toUint64(reader.fixed64()) as HLCTimestamp;
      return;
    case T.f8I64:
      draft.clientAcceptedHlc = toUint64(reader.fixed64()) as HLCTimestamp;
      return;
    case T.f9I64:
      draft.clientDurableHlc = toUint64(reader.fixed64()) as HLCTimestamp;
      return;
    case T.f10Varint:
      draft.snapshot = reader.bool();
      return;
    case T.f11Len:
      draft.error = readErrorReply(reader, end, draft.error);
      return;
    default:
      skipField(reader, fieldTag, 'SyncResponse');
  }
}
