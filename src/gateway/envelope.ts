import type { ColumnDelta, DeltaOp, RowDelta } from '../delta/types';
import { DELTA_OPS } from '../delta/types';
import type { HLCTimestamp } from '../hlc/types';
import { SchemaError } from '../result/errors';
import { Err, Ok, type Result } from '../result/result';
import { checkedDelta } from './push-verify';

/** Every envelope key starts with this prefix. */
export const ENVELOPE_PREFIX = 'deltas/';

/**
 * What a flush writes to the lake: a versioned JSON envelope around the original deltas, so that
 * readers (and a later Parquet writer) see one stable contract. `hlcRange` holds the gateway's
 * ingest HLCs of the first and last delta; HLCs travel as decimal strings.
 */
export interface FlushEnvelope {
  readonly version: 1;
  readonly gatewayId: string;
  /** ISO 8601 time of the first write attempt (retries reuse it, so the bytes never change). */
  readonly createdAt: string;
  readonly hlcRange: { readonly min: HLCTimestamp; readonly max: HLCTimestamp };
  readonly deltaCount: number;
  readonly byteSize: number;
  readonly deltas: readonly RowDelta[];
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });
const HLC_DECIMAL = /^(0|[1-9][0-9]{0,19})$/;
const HLC_MAX = (1n << 64n) - 1n;

/** Serialises an envelope as UTF-8 JSON; bigints become decimal strings. Deterministic. */
export function encodeEnvelope(envelope: FlushEnvelope): Uint8Array {
  const json = JSON.stringify({
    version: envelope.version,
    gatewayId: envelope.gatewayId,
    createdAt: envelope.createdAt,
    hlcRange: { min: envelope.hlcRange.min.toString(), max: envelope.hlcRange.max.toString() },
    deltaCount: envelope.deltaCount,
    byteSize: envelope.byteSize,
    deltas: envelope.deltas.map((delta) => ({
      op: delta.op,
      table: delta.table,
      rowId: delta.rowId,
      clientId: delta.clientId,
      columns: delta.columns.map((column) => ({ column: column.column, value: column.value })),
      hlc: delta.hlc.toString(),
      deltaId: delta.deltaId,
    })),
  });
  return encoder.encode(json);
}

/**
 * Parses and checks an envelope: its shape, each delta (everything `validateDelta` checks,
 * including that every `deltaId` matches its content, through the gateway's fast paths of the same
 * checks, `checkedDelta`) and that `deltaCount` agrees. Never throws; a corrupt object gives `SchemaError`.
 */
export function decodeEnvelope(bytes: Uint8Array): Result<FlushEnvelope, SchemaError> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(decoder.decode(bytes));
  } catch (caught) {
    return Err(new SchemaError(`envelope is not UTF-8 JSON: ${(caught as Error).message}`));
  }
  if (!isRecord(parsed)) return Err(new SchemaError('envelope is not a JSON object'));
  if (parsed.version !== 1)
    return Err(new SchemaError(`unsupported envelope version ${String(parsed.version)}`));
  const { gatewayId, createdAt, hlcRange, deltaCount, byteSize, deltas } = parsed;
  if (typeof gatewayId !== 'string' || typeof createdAt !== 'string') {
    return Err(new SchemaError('envelope gatewayId and createdAt must be strings'));
  }
  if (!isRecord(hlcRange)) return Err(new SchemaError('envelope hlcRange is missing'));
  const min = parseHlc(hlcRange.min);
  const max = parseHlc(hlcRange.max);
  if (min === null || max === null || min > max) {
    return Err(new SchemaError('envelope hlcRange must be two ordered decimal HLCs'));
  }
  if (typeof byteSize !== 'number' || !Array.isArray(deltas) || deltaCount !== deltas.length) {
    return Err(new SchemaError('envelope deltaCount must equal the number of deltas'));
  }
  const decoded: RowDelta[] = [];
  for (let position = 0; position < deltas.length; position++) {
    const delta = parseDelta(deltas[position]);
    if (!delta.ok)
      return Err(new SchemaError(`envelope delta ${position}: ${delta.error.message}`));
    decoded.push(delta.value);
  }
  return Ok({
    version: 1,
    gatewayId,
    createdAt,
    hlcRange: { min, max },
    deltaCount,
    byteSize,
    deltas: decoded,
  });
}

function parseDelta(raw: unknown): Result<RowDelta, SchemaError> {
  if (!isRecord(raw)) return Err(new SchemaError('not an object'));
  const { op, table, rowId, clientId, columns, hlc, deltaId } = raw;
  if (typeof op !== 'string' || !DELTA_OPS.includes(op as DeltaOp)) {
    return Err(new SchemaError(`unknown op ${JSON.stringify(op)}`));
  }
  if (
    typeof table !== 'string' ||
    typeof rowId !== 'string' ||
    typeof clientId !== 'string' ||
    typeof deltaId !== 'string'
  ) {
    return Err(new SchemaError('table, rowId, clientId and deltaId must be strings'));
  }
  const stamp = parseHlc(hlc);
  if (stamp === null) return Err(new SchemaError('hlc must be a decimal string'));
  if (!Array.isArray(columns)) return Err(new SchemaError('columns must be an array'));
  const parsedColumns: ColumnDelta[] = [];
  for (const column of columns) {
    if (!isRecord(column) || typeof column.column !== 'string' || !('value' in column)) {
      return Err(new SchemaError('each column needs a name and a value'));
    }
    parsedColumns.push({ column: column.column, value: column.value });
  }
  const delta: RowDelta = {
    op: op as DeltaOp,
    table,
    rowId,
    clientId,
    columns: parsedColumns,
    hlc: stamp,
    deltaId,
  };
  // Every check a push passes, the id included: the lake is not trusted to be intact.
  return checkedDelta(delta);
}

function parseHlc(value: unknown): HLCTimestamp | null {
  if (typeof value !== 'string' || !HLC_DECIMAL.test(value)) return null;
  const parsed = BigInt(value);
  return parsed <= HLC_MAX ? (parsed as HLCTimestamp) : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
