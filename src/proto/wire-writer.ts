import type { RowDelta } from '../delta/types';
import { assert } from '../result/assert';
import { ByteWriter } from './byte-writer';
import { columnValueToJson } from './json-value';
import type { SyncPull, SyncPush, SyncResponse } from './types';
import { DELTA_OP_TO_WIRE } from './wire-checks';
import { T } from './wire-tags';

/**
 * The hand-written encoders of the hot path: core messages straight to bytes with `ByteWriter`,
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
function writeUint32(writer: ByteWriter, fieldTag: number, value: number, name: string): void {
  if (value === 0) return;
  if (!(Number.isInteger(value) && value > 0 && value <= UINT32_MAX)) {
    assert(false, `${name} must be a uint32, got ${value}`);
  }
  writer.tag(fieldTag);
  writer.varint32(value);
}

function writeFixed64(writer: ByteWriter, fieldTag: number, value: bigint, name: string): void {
  if (value === 0n) return;
  if (!(value > 0n && value <= UINT64_MAX)) {
    assert(false, `${name} must fit in 64 unsigned bits, got ${value}`);
  }
  writer.tag(fieldTag);
  writer.fixed64(value);
}

function writeText(writer: ByteWriter, fieldTag: number, value: string): void {
  if (value.length === 0) return;
  writer.tag(fieldTag);
  writer.string(value);
}

/** Writes the fields of one delta (the body, without a length prefix). */
function writeRowDeltaBody(writer: ByteWriter, delta: RowDelta): void {
  const op = DELTA_OP_TO_WIRE[delta.op];
  if (op === undefined) assert(false, `unknown delta op ${String(delta.op)}`);
  writer.tag(T.f1Varint);
  writer.varint32(op);
  writeText(writer, T.f2Len, delta.table);
  writeText(writer, T.f3Len, delta.rowId);
  const columns = delta.columns;
  for (let index = 0; index < columns.length; index++) {
    const { column, value } = columns[index]!;
    writer.tag(T.f4Len);
    const start = writer.begin();
    writeText(writer, T.f1Len, column);
    writer.tag(T.f2Len);
    if (typeof value !== 'string' || !writer.plainJsonString(value)) {
      writer.string(columnValueToJson(value));
    }
    writer.end(start);
  }
  writeFixed64(writer, T.f5I64, delta.hlc, 'RowDelta.hlc');
  writeText(writer, T.f6Len, delta.clientId);
  writeText(writer, T.f7Len, delta.deltaId);
}

function writeDeltas(writer: ByteWriter, fieldTag: number, deltas: readonly RowDelta[]): void {
  for (let index = 0; index < deltas.length; index++) {
    writer.tag(fieldTag);
    const start = writer.begin();
    writeRowDeltaBody(writer, deltas[index]!);
    writer.end(start);
  }
}

/**
 * The encoded body of every delta a response has carried, by delta object. A gateway sends the
 * same logged delta to every client that pulls it (and the same snapshot deltas to every client
 * that needs a snapshot), so each is encoded once and copied after that. Deltas are immutable;
 * entries go when the delta object does.
 */
const responseBodies = new WeakMap<RowDelta, Uint8Array>();

function writeResponseDeltas(
  writer: ByteWriter,
  fieldTag: number,
  deltas: readonly RowDelta[],
): void {
  for (let index = 0; index < deltas.length; index++) {
    const delta = deltas[index]!;
    writer.tag(fieldTag);
    const body = responseBodies.get(delta);
    if (body !== undefined) {
      writer.lengthPrefixed(body);
      continue;
    }
    const start = writer.begin();
    writeRowDeltaBody(writer, delta);
    responseBodies.set(delta, writer.copyFrom(writer.end(start)));
  }
}

/** Encodes one `RowDelta` as a whole message. */
export function writeRowDelta(delta: RowDelta): Uint8Array {
  const writer = new ByteWriter();
  writeRowDeltaBody(writer, delta);
  return writer.finish();
}

/** Encodes a `SyncPush`. */
export function writeSyncPush(message: SyncPush): Uint8Array {
  const writer = new ByteWriter();
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
  const writer = new ByteWriter();
  writeText(writer, T.f1Len, message.clientId);
  writeFixed64(writer, T.f2I64, message.sinceHlc, 'SyncPull.sinceHlc');
  if (maxDeltas !== 0) {
    writer.tag(T.f3Varint);
    writer.varint32(maxDeltas);
  }
  writeFixed64(writer, T.f4I64, message.gatewayEpoch, 'SyncPull.gatewayEpoch');
  writeUint32(writer, T.f5Varint, message.snapshotOffset, 'SyncPull.snapshotOffset');
  return writer.finish();
}

/** Encodes a `SyncResponse`. */
export function writeSyncResponse(message: SyncResponse): Uint8Array {
  const writer = new ByteWriter();
  writeResponseDeltas(writer, T.f1Len, message.deltas);
  writeFixed64(writer, T.f2I64, message.serverHlc, 'SyncResponse.serverHlc');
  if (message.hasMore) {
    writer.tag(T.f3Varint);
    writer.true();
  }
  writeFixed64(writer, T.f4I64, message.cursor, 'SyncResponse.cursor');
  writeFixed64(writer, T.f5I64, message.durableHlc, 'SyncResponse.durableHlc');
  writeText(writer, T.f6Len, message.gatewayId);
  writeFixed64(writer, T.f7I64, message.gatewayEpoch, 'SyncResponse.gatewayEpoch');
  writeFixed64(writer, T.f8I64, message.clientAcceptedHlc, 'SyncResponse.clientAcceptedHlc');
  writeFixed64(writer, T.f9I64, message.clientDurableHlc, 'SyncResponse.clientDurableHlc');
  if (message.snapshot) {
    writer.tag(T.f10Varint);
    writer.true();
  }
  if (message.error !== null) {
    writer.tag(T.f11Len);
    const start = writer.begin();
    writeText(writer, T.f1Len, message.error.code);
    writeText(writer, T.f2Len, message.error.message);
    writer.end(start);
  }
  writeUint32(writer, T.f12Varint, message.snapshotNext, 'SyncResponse.snapshotNext');
  return writer.finish();
}
