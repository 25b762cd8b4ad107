import { BinaryWriter } from '@bufbuild/protobuf/wire';
import type { RowDelta } from '../delta/types';
import { assert } from '../result/assert';
import { columnValueToJson } from './json-value';
import type { SyncPull, SyncPush, SyncResponse } from './types';
import { DELTA_OP_TO_WIRE } from './wire-checks';
import { T } from './wire-tags';

/**
 * The hand-written encoders of the hot path: core messages straight to bytes with `BinaryWriter`,
 * no intermediate generated messages. Output is byte-identical to the generated `toBinary` of the
 * same message (a property test checks it): fields in field-number order, proto3 defaults (0,
 * empty string, false, no error) omitted. A column value is written as its JSON text; a `bytes`
 * field holding UTF-8 is wire-identical to a string field, so no intermediate byte array is made.
 *
 * Inputs are the core's own, already validated messages: an unknown op, an HLC outside 64 bits or
 * a value without a JSON form is a bug in the caller and fails an assertion.
 */

const UINT64_MAX = (1n << 64n) - 1n;
const UINT32_MAX = 0xffff_ffff;

/** Writes a uint32 field unless it is 0 (proto3 default); asserts the range. */
function writeUint32(writer: BinaryWriter, fieldTag: number, value: number, name: string): void {
  if (value === 0) return;
  if (!(Number.isInteger(value) && value > 0 && value <= UINT32_MAX)) {
    assert(false, `${name} must be a uint32, got ${value}`);
  }
  writer.uint32(fieldTag).uint32(value);
}

function writeFixed64(writer: BinaryWriter, fieldTag: number, value: bigint, name: string): void {
  if (value === 0n) return;
  if (!(value > 0n && value <= UINT64_MAX)) {
    assert(false, `${name} must fit in 64 unsigned bits, got ${value}`);
  }
  writer.uint32(fieldTag).fixed64(value);
}

function writeText(writer: BinaryWriter, fieldTag: number, value: string): void {
  if (value.length > 0) writer.uint32(fieldTag).string(value);
}

/** Writes the fields of one delta (the body, without a length prefix). */
function writeRowDeltaBody(writer: BinaryWriter, delta: RowDelta): void {
  const op = DELTA_OP_TO_WIRE[delta.op];
  if (op === undefined) assert(false, `unknown delta op ${String(delta.op)}`);
  writer.uint32(T.f1Varint).int32(op);
  writeText(writer, T.f2Len, delta.table);
  writeText(writer, T.f3Len, delta.rowId);
  for (const column of delta.columns) {
    writer.uint32(T.f4Len).fork();
    writeText(writer, T.f1Len, column.column);
    writer.uint32(T.f2Len).string(columnValueToJson(column.value));
    writer.join();
  }
  writeFixed64(writer, T.f5I64, delta.hlc, 'RowDelta.hlc');
  writeText(writer, T.f6Len, delta.clientId);
  writeText(writer, T.f7Len, delta.deltaId);
}

function writeDeltas(writer: BinaryWriter, fieldTag: number, deltas: readonly RowDelta[]): void {
  for (const delta of deltas) {
    writer.uint32(fieldTag).fork();
    writeRowDeltaBody(writer, delta);
    writer.join();
  }
}

/** Encodes one `RowDelta` as a whole message. */
export function writeRowDelta(delta: RowDelta): Uint8Array {
  const writer = new BinaryWriter();
  writeRowDeltaBody(writer, delta);
  return writer.finish();
}

/** Encodes a `SyncPush`. */
export function writeSyncPush(message: SyncPush): Uint8Array {
  const writer = new BinaryWriter();
  writeText(writer, T.f1Len, message.clientId);
  writeDeltas(writer, T.f2Len, message.deltas);
  writeFixed64(writer, T.f3I64, message.lastSeenHlc, 'SyncPush.lastSeenHlc');
  writeFixed64(writer, T.f4I64, message.baseHlc, 'SyncPush.baseHlc');
  return writer.finish();
}

/** Encodes a `SyncPull`. */
export function writeSyncPull(message: SyncPull): Uint8Array {
  const { maxDeltas } = message;
  if (!(Number.isInteger(maxDeltas) && maxDeltas >= 0 && maxDeltas <= UINT32_MAX)) {
    assert(false, `SyncPull.maxDeltas must be a uint32, got ${maxDeltas}`);
  }
  const writer = new BinaryWriter();
  writeText(writer, T.f1Len, message.clientId);
  writeFixed64(writer, T.f2I64, message.sinceHlc, 'SyncPull.sinceHlc');
  if (maxDeltas !== 0) writer.uint32(T.f3Varint).uint32(maxDeltas);
  writeFixed64(writer, T.f4I64, message.gatewayEpoch, 'SyncPull.gatewayEpoch');
  writeUint32(writer, T.f5Varint, message.snapshotOffset, 'SyncPull.snapshotOffset');
  return writer.finish();
}

/** Encodes a `SyncResponse`. */
export function writeSyncResponse(message: SyncResponse): Uint8Array {
  const writer = new BinaryWriter();
  writeDeltas(writer, T.f1Len, message.deltas);
  writeFixed64(writer, T.f2I64, message.serverHlc, 'SyncResponse.serverHlc');
  if (message.hasMore) writer.uint32(T.f3Varint).bool(true);
  writeFixed64(writer, T.f4I64, message.cursor, 'SyncResponse.cursor');
  writeFixed64(writer, T.f5I64, message.durableHlc, 'SyncResponse.durableHlc');
  writeText(writer, T.f6Len, message.gatewayId);
  writeFixed64(writer, T.f7I64, message.gatewayEpoch, 'SyncResponse.gatewayEpoch');
  writeFixed64(writer, T.f8I64, message.clientAcceptedHlc, 'SyncResponse.clientAcceptedHlc');
  writeFixed64(writer, T.f9I64, message.clientDurableHlc, 'SyncResponse.clientDurableHlc');
  if (message.snapshot) writer.uint32(T.f10Varint).bool(true);
  if (message.error !== null) {
    writer.uint32(T.f11Len).fork();
    writeText(writer, T.f1Len, message.error.code);
    writeText(writer, T.f2Len, message.error.message);
    writer.join();
  }
  writeUint32(writer, T.f12Varint, message.snapshotNext, 'SyncResponse.snapshotNext');
  return writer.finish();
}
