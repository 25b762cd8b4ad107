import type { ColumnDelta, DeltaOp, RowDelta } from '../delta/types';
import type { HLCTimestamp } from '../hlc/types';
import { CodecError } from '../result/errors';
import { DeltaOp as WireDeltaOp } from './gen/lakesync_pb';
import { INVALID_JSON_VALUE, jsonValueProblem, parseJsonValueRange } from './json-value';
import type { CodecLimits } from './limits';

/**
 * The structural checks every decoded message passes, shared by the hand-written wire reader and
 * the reference path through the generated schema, so both refuse exactly the same inputs with
 * the same messages. These helpers throw `CodecError`; the public decoders catch it once and return
 * it as an `Err`. Semantic checks (deltaId matches content, table-name rules, clientId equals the
 * pusher) belong to the gateway's `validateDelta`, not here.
 */

/** Core op → wire enum number. */
export const DELTA_OP_TO_WIRE: Readonly<Record<DeltaOp, number>> = Object.freeze({
  INSERT: WireDeltaOp.INSERT,
  UPDATE: WireDeltaOp.UPDATE,
  DELETE: WireDeltaOp.DELETE,
});

/** Raises a `CodecError` naming where in the message the problem is. */
export function failDecode(where: string, detail: string): never {
  throw new CodecError(`${where}: ${detail}`);
}

/**
 * `SyncPush.deltas[3]`: the path of a delta, built only when reporting a problem. An index of
 * `STANDALONE` names a `RowDelta` decoded on its own (the path is then just `RowDelta`).
 */
export function deltaPath(context: string, index: number): string {
  return index === STANDALONE ? context : `${context}.deltas[${index}]`;
}

/** The index passed for a delta that is a whole message, not an element of `deltas`. */
export const STANDALONE = -1;

/** Wire enum number → core op; refuses 0 (unspecified) and numbers this version does not know. */
export function deltaOpFromWire(wire: number, context: string, index: number): DeltaOp {
  switch (wire) {
    case WireDeltaOp.INSERT:
      return 'INSERT';
    case WireDeltaOp.UPDATE:
      return 'UPDATE';
    case WireDeltaOp.DELETE:
      return 'DELETE';
    case WireDeltaOp.UNSPECIFIED:
      return failDecode(`${deltaPath(context, index)}.op`, 'op is unspecified (0)');
    default:
      return failDecode(`${deltaPath(context, index)}.op`, `unknown op ${wire}`);
  }
}

/** Refuses an empty required string field. */
export function requireText(value: string, where: string, field: string): string {
  if (value.length === 0) failDecode(`${where}.${field}`, `${field} is empty`);
  return value;
}

/** Refuses a message that carries more deltas than `limits.deltasMax`. */
export function checkDeltaCount(count: number, limits: CodecLimits, context: string): void {
  if (count > limits.deltasMax) {
    failDecode(`${context}.deltas`, `more than ${limits.deltasMax} deltas`);
  }
}

/** Refuses a delta that carries more columns than `limits.columnsMax`. */
export function checkColumnCount(
  count: number,
  limits: CodecLimits,
  context: string,
  index: number,
): void {
  if (count > limits.columnsMax) {
    failDecode(`${deltaPath(context, index)}.columns`, `more than ${limits.columnsMax} columns`);
  }
}

/**
 * Turns a wire column (name + JSON bytes) into a core column: the name must be non-empty and the
 * value at most `limits.valueBytesMax` bytes of well-formed UTF-8 holding one JSON value.
 */
export function columnFromWire(
  name: string,
  valueBytes: Uint8Array,
  limits: CodecLimits,
  context: string,
  index: number,
  columnIndex: number,
): ColumnDelta {
  return columnFromWireRange(
    name,
    valueBytes,
    0,
    valueBytes.length,
    limits,
    context,
    index,
    columnIndex,
  );
}

/** `columnFromWire` of the value `bytes[start, end)`, read in place. */
export function columnFromWireRange(
  name: string,
  bytes: Uint8Array,
  start: number,
  end: number,
  limits: CodecLimits,
  context: string,
  index: number,
  columnIndex: number,
): ColumnDelta {
  if (name.length === 0) {
    failDecode(`${deltaPath(context, index)}.columns[${columnIndex}]`, 'column name is empty');
  }
  if (end - start > limits.valueBytesMax) {
    failDecode(
      `${deltaPath(context, index)}.columns[${columnIndex}]`,
      `value of column ${JSON.stringify(name)} is over ${limits.valueBytesMax} bytes`,
    );
  }
  const value = parseJsonValueRange(bytes, start, end);
  if (value === INVALID_JSON_VALUE) {
    failDecode(
      `${deltaPath(context, index)}.columns[${columnIndex}]`,
      `${jsonValueProblem(bytes.subarray(start, end))} (column ${JSON.stringify(name)})`,
    );
  }
  return { column: name, value };
}

/** The fields of a wire `RowDelta` once read, before the checks. */
export interface WireRowDeltaFields {
  readonly op: number;
  readonly table: string;
  readonly rowId: string;
  readonly clientId: string;
  readonly deltaId: string;
  readonly hlc: bigint;
  readonly columns: ColumnDelta[];
}

/**
 * Checks a delta's structure (known op, non-empty table, rowId, clientId and deltaId, distinct
 * column names) and builds the core `RowDelta`.
 */
export function rowDeltaFromWire(
  fields: WireRowDeltaFields,
  context: string,
  index: number,
): RowDelta {
  return checkedRowDelta(
    fields.op,
    fields.table,
    fields.rowId,
    fields.clientId,
    fields.deltaId,
    fields.hlc,
    fields.columns,
    context,
    index,
  );
}

/** `rowDeltaFromWire` of fields passed one by one (the hot path builds no fields object). */
export function checkedRowDelta(
  wireOp: number,
  table: string,
  rowId: string,
  clientId: string,
  deltaId: string,
  hlc: bigint,
  columns: ColumnDelta[],
  context: string,
  index: number,
): RowDelta {
  const op = deltaOpFromWire(wireOp, context, index);
  if (table.length === 0 || rowId.length === 0) {
    const field = table.length === 0 ? 'table' : 'rowId';
    failDecode(`${deltaPath(context, index)}.${field}`, `${field} is empty`);
  }
  if (clientId.length === 0 || deltaId.length === 0) {
    const field = clientId.length === 0 ? 'clientId' : 'deltaId';
    failDecode(`${deltaPath(context, index)}.${field}`, `${field} is empty`);
  }
  checkDistinctColumns(columns, context, index);
  return { op, table, rowId, clientId, columns, hlc: hlc as HLCTimestamp, deltaId };
}

/** Below this many columns a pairwise scan beats building a `Set`. */
const PAIRWISE_COLUMNS_MAX = 12;

function checkDistinctColumns(columns: readonly ColumnDelta[], context: string, index: number) {
  const count = columns.length;
  if (count <= PAIRWISE_COLUMNS_MAX) {
    for (let outer = 1; outer < count; outer++) {
      const name = columns[outer]!.column;
      for (let inner = 0; inner < outer; inner++) {
        if (columns[inner]!.column === name) reportDuplicate(name, context, index);
      }
    }
    return;
  }
  const seen = new Set<string>();
  for (const column of columns) {
    if (seen.has(column.column)) reportDuplicate(column.column, context, index);
    seen.add(column.column);
  }
}

function reportDuplicate(name: string, context: string, index: number): never {
  return failDecode(
    `${deltaPath(context, index)}.columns`,
    `duplicate column ${JSON.stringify(name)}`,
  );
}
