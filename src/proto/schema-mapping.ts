import { create } from '@bufbuild/protobuf';
import type { RowDelta } from '../delta/types';
import type { HLCTimestamp } from '../hlc/types';
import { assert } from '../result/assert';
import {
  RowDeltaSchema,
  SyncPullSchema,
  SyncPushSchema,
  SyncResponseSchema,
  type RowDelta as WireRowDelta,
  type SyncPull as WireSyncPull,
  type SyncPush as WireSyncPush,
  type SyncResponse as WireSyncResponse,
} from './gen/lakesync_pb';
import { columnValueToBytes } from './json-value';
import type { CodecLimits } from './limits';
import type { SyncPull, SyncPush, SyncResponse } from './types';
import {
  checkColumnCount,
  checkDeltaCount,
  columnFromWire,
  DELTA_OP_TO_WIRE,
  requireText,
  rowDeltaFromWire,
  STANDALONE,
} from './wire-checks';

/**
 * The explicit mapping between the core messages (`types.ts`: branded `HLCTimestamp`s, string
 * ops, JSON values) and the messages generated from `lakesync.proto`. `toWire*` never fails on a
 * validated core message; `fromWire*` applies the same structural checks as the hot-path decoder
 * and throws `CodecError` (callers in `codec.ts` catch it). The HLC crosses as the same 64-bit
 * unsigned integer both ways: the brand is added or dropped, the bits are never touched.
 */

/** Core delta → generated message. Values become their JSON text in UTF-8 (`undefined` → null). */
export function toWireRowDelta(delta: RowDelta): WireRowDelta {
  const op = DELTA_OP_TO_WIRE[delta.op];
  if (op === undefined) assert(false, `unknown delta op ${String(delta.op)}`);
  return create(RowDeltaSchema, {
    op,
    table: delta.table,
    rowId: delta.rowId,
    columns: delta.columns.map((column) => ({
      column: column.column,
      value: columnValueToBytes(column.value),
    })),
    hlc: delta.hlc,
    clientId: delta.clientId,
    deltaId: delta.deltaId,
  });
}

/** Generated message → core delta, refusing what the codec refuses. Throws `CodecError`. */
export function fromWireRowDelta(
  message: WireRowDelta,
  limits: CodecLimits,
  context = 'RowDelta',
  index = STANDALONE,
): RowDelta {
  checkColumnCount(message.columns.length, limits, context, index);
  const columns = message.columns.map((column, columnIndex) =>
    columnFromWire(column.column, column.value, limits, context, index, columnIndex),
  );
  return rowDeltaFromWire(
    {
      op: message.op,
      table: message.table,
      rowId: message.rowId,
      clientId: message.clientId,
      deltaId: message.deltaId,
      hlc: message.hlc,
      columns,
    },
    context,
    index,
  );
}

/** Core push → generated message. */
export function toWireSyncPush(message: SyncPush): WireSyncPush {
  return create(SyncPushSchema, {
    clientId: message.clientId,
    deltas: message.deltas.map(toWireRowDelta),
    lastSeenHlc: message.lastSeenHlc,
    baseHlc: message.baseHlc,
  });
}

/** Generated message → core push. Throws `CodecError`. */
export function fromWireSyncPush(message: WireSyncPush, limits: CodecLimits): SyncPush {
  checkDeltaCount(message.deltas.length, limits, 'SyncPush');
  const deltas = message.deltas.map((delta, index) =>
    fromWireRowDelta(delta, limits, 'SyncPush', index),
  );
  return {
    clientId: requireText(message.clientId, 'SyncPush', 'clientId'),
    deltas,
    lastSeenHlc: message.lastSeenHlc as HLCTimestamp,
    baseHlc: message.baseHlc as HLCTimestamp,
  };
}

/** Core pull → generated message. */
export function toWireSyncPull(message: SyncPull): WireSyncPull {
  return create(SyncPullSchema, {
    clientId: message.clientId,
    sinceHlc: message.sinceHlc,
    maxDeltas: message.maxDeltas,
    gatewayEpoch: message.gatewayEpoch,
    snapshotOffset: message.snapshotOffset,
  });
}

/** Generated message → core pull. Throws `CodecError`. */
export function fromWireSyncPull(message: WireSyncPull): SyncPull {
  return {
    clientId: requireText(message.clientId, 'SyncPull', 'clientId'),
    sinceHlc: message.sinceHlc as HLCTimestamp,
    maxDeltas: message.maxDeltas,
    gatewayEpoch: message.gatewayEpoch as HLCTimestamp,
    snapshotOffset: message.snapshotOffset,
  };
}

/** Core response → generated message; a `null` error leaves the field unset. */
export function toWireSyncResponse(message: SyncResponse): WireSyncResponse {
  return create(SyncResponseSchema, {
    deltas: message.deltas.map(toWireRowDelta),
    serverHlc: message.serverHlc,
    hasMore: message.hasMore,
    cursor: message.cursor,
    durableHlc: message.durableHlc,
    gatewayId: message.gatewayId,
    gatewayEpoch: message.gatewayEpoch,
    clientAcceptedHlc: message.clientAcceptedHlc,
    clientDurableHlc: message.clientDurableHlc,
    snapshot: message.snapshot,
    snapshotNext: message.snapshotNext,
    ...(message.error === null
      ? {}
      : { error: { code: message.error.code, message: message.error.message } }),
  });
}

/** Generated message → core response. Throws `CodecError`. */
export function fromWireSyncResponse(message: WireSyncResponse, limits: CodecLimits): SyncResponse {
  checkDeltaCount(message.deltas.length, limits, 'SyncResponse');
  const deltas = message.deltas.map((delta, index) =>
    fromWireRowDelta(delta, limits, 'SyncResponse', index),
  );
  const error =
    message.error === undefined
      ? null
      : {
          code: requireText(message.error.code, 'SyncResponse.error', 'code'),
          message: message.error.message,
        };
  return {
    deltas,
    serverHlc: message.serverHlc as HLCTimestamp,
    hasMore: message.hasMore,
    cursor: message.cursor as HLCTimestamp,
    durableHlc: message.durableHlc as HLCTimestamp,
    gatewayId: message.gatewayId,
    gatewayEpoch: message.gatewayEpoch as HLCTimestamp,
    clientAcceptedHlc: message.clientAcceptedHlc as HLCTimestamp,
    clientDurableHlc: message.clientDurableHlc as HLCTimestamp,
    snapshot: message.snapshot,
    error,
    snapshotNext: message.snapshotNext,
  };
}
