import { WireType } from '@bufbuild/protobuf/wire';
import type { ColumnDelta, RowDelta } from '../delta/types';
import { ByteReader } from './byte-reader';
import type { CodecLimits } from './limits';
import { utf8RangeOrNull } from './utf8';
import {
  checkColumnCount,
  checkedRowDelta,
  columnFromWireRange,
  deltaPath,
  failDecode,
  STANDALONE,
} from './wire-checks';
import { FIELDS_MAX, T, type WireMessageName } from './wire-tags';

/**
 * The hand-written decoders of the hot path, built on `ByteReader` (`byte-reader.ts`). This file
 * holds the field helpers and `RowDelta`; `message-readers.ts` holds the request and response
 * messages. One pass over the bytes, no intermediate generated messages, values parsed straight
 * from the input buffer (strings and column values are read in place, without a `subarray`;
 * short texts come from the intern table of `text-intern.ts`). They follow the rules the
 * generated `fromBinary` follows (fields in any order, the last scalar wins, a repeated singular
 * message merges, unknown fields are skipped) and the shared checks of `wire-checks.ts`. A known
 * field number with the wrong wire type is refused, since fields are never retyped (ADR-008).
 * They throw `CodecError` (or the reader's own errors on malformed bytes); `codec.ts` turns every
 * throw into an `Err`. Error paths are built only on failure, never per field.
 */

/** The reader the decoders share: `ByteReader` (see `byte-reader.ts`). */
export type WireReader = ByteReader;

export function newReader(bytes: Uint8Array): WireReader {
  return new ByteReader(bytes);
}

/**
 * Reads a field tag. Refuses a tag varint that overflows 32 bits (the reader would silently keep
 * its low bits, which could alias a known field), as the generated decoder does.
 */
export function readTag(reader: WireReader, message: WireMessageName): number {
  const start = reader.pos;
  if (start < reader.len) {
    const byte = reader.input[start]!;
    if (byte < 0x80) {
      reader.pos = start + 1;
      return byte;
    }
  }
  const fieldTag = reader.uint32();
  const length = reader.pos - start;
  if (length > 4 && (length > 5 || reader.input[reader.pos - 1]! > 0x0f)) {
    failDecode(message, 'illegal tag: varint overflows 32 bits');
  }
  return fieldTag;
}

/** Skips a field the message does not know; refuses a known field with the wrong wire type. */
export function skipField(reader: WireReader, fieldTag: number, message: WireMessageName): void {
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
export function nestedEnd(reader: WireReader, parentEnd: number): number {
  const length = reader.uint32();
  const end = reader.pos + length;
  return end > parentEnd ? -1 : end;
}

export const TRUNCATED = 'truncated: a length runs past the end of the message';

/**
 * Reads a string field; on malformed UTF-8 names the field (the path is built only then). A
 * length that is malformed or runs past the input is reported the same way.
 */
export function readText(
  reader: WireReader,
  context: string,
  index: number,
  field: string,
): string {
  const input = reader.input;
  let start = reader.pos;
  let end: number;
  // A length below 128 is one byte: read it here; anything else goes through `lengthEnd`.
  const firstByte = start < reader.len ? input[start]! : 0x80;
  if (firstByte < 0x80) {
    start++;
    end = start + firstByte;
    if (end > reader.len) return failText(context, index, field);
  } else {
    try {
      end = reader.lengthEnd();
    } catch {
      return failText(context, index, field);
    }
    start = reader.pos;
  }
  const text = utf8RangeOrNull(input, start, end);
  if (text === null) failText(context, index, field);
  reader.pos = end;
  return text;
}

function failText(context: string, index: number, field: string): never {
  return failDecode(`${deltaPath(context, index)}.${field}`, 'not well-formed UTF-8');
}

/**
 * `readText` of a column's name: the field's path (`columns[2]`) is built only when the name is
 * refused, instead of a fresh string for every column read.
 */
function readColumnName(
  reader: WireReader,
  context: string,
  index: number,
  columnIndex: number,
): string {
  const input = reader.input;
  const start = reader.pos;
  const firstByte = start < reader.len ? input[start]! : 0x80;
  if (firstByte < 0x80 && start + 1 + firstByte <= reader.len) {
    const text = utf8RangeOrNull(input, start + 1, start + 1 + firstByte);
    if (text !== null) {
      reader.pos = start + 1 + firstByte;
      return text;
    }
  }
  return readText(reader, context, index, `columns[${columnIndex}]`);
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
  let valueStart = 0;
  let valueEnd = 0;
  while (reader.pos < end) {
    const fieldTag = readTag(reader, 'ColumnDelta');
    if (fieldTag === T.f1Len) name = readColumnName(reader, context, index, columnIndex);
    else if (fieldTag === T.f2Len) {
      valueEnd = reader.lengthEnd();
      valueStart = reader.pos;
      reader.pos = valueEnd;
    } else skipField(reader, fieldTag, 'ColumnDelta');
  }
  if (reader.pos !== end) failDecode(`${deltaPath(context, index)}.columns`, TRUNCATED);
  const input = reader.input;
  return columnFromWireRange(
    name,
    input,
    valueStart,
    valueEnd,
    limits,
    context,
    index,
    columnIndex,
  );
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
  let columnCount = 0;
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
        checkColumnCount(columnCount + 1, limits, context, index);
        columnScratch[columnCount] = readColumn(reader, end, limits, context, index, columnCount);
        columnCount++;
        break;
      case T.f5I64:
        hlc = reader.fixed64();
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
  return checkedRowDelta(
    op,
    table,
    rowId,
    clientId,
    deltaId,
    hlc,
    takeColumns(columnCount),
    context,
    index,
  );
}

/**
 * Where `readRowDeltaBody` collects a delta's columns before it knows how many there are (a
 * delta never nests another, so one array serves every read). Growing a fresh array by `push`
 * gives it room for 16 columns at the first one; a copy of the exact length is a third of that for
 * the usual two or three.
 */
const columnScratch: ColumnDelta[] = [];

/** The first `count` columns of `columnScratch`, as a new array; the scratch lets them go. */
function takeColumns(count: number): ColumnDelta[] {
  if (count === 0) return [];
  const columns = columnScratch.slice(0, count);
  for (let index = 0; index < count; index++) columnScratch[index] = UNUSED_COLUMN;
  return columns;
}

/** What `columnScratch` holds where no column is being read (it keeps no value alive). */
const UNUSED_COLUMN: ColumnDelta = Object.freeze({ column: '', value: null });

/** Reads one length-prefixed `RowDelta` that must end within `parentEnd`. */
export function readRowDelta(
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
