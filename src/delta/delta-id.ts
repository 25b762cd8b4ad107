import { sha256Hex } from '#sha256';
import type { HLCTimestamp } from '../hlc/types';
import { canonicalJson } from './canonical-json';
import { utf8DeltaId } from './delta-id-utf8';
import { quoteJsonString } from './json-quote';
import type { ColumnDelta, DeltaOp, RowDelta } from './types';

/** The fields of a delta that determine its identity. `op` is deliberately not among them (ADR-009). */
export interface DeltaIdFields {
  readonly clientId: string;
  readonly hlc: HLCTimestamp;
  readonly table: string;
  readonly rowId: string;
  readonly columns: readonly ColumnDelta[];
}

/** Everything needed to build a `RowDelta` except its derived `deltaId`. */
export interface DeltaFields extends DeltaIdFields {
  readonly op: DeltaOp;
}

/**
 * The canonical JSON text that `deltaId` hashes: the object
 * `{clientId, columns, hlc: hlc.toString(), rowId, table}` with keys sorted at every depth, each
 * column reduced to `{column, value}` and the columns sorted by name, so neither column order nor
 * key order inside values changes it. Equal to `fast-json-stable-stringify` of that normalised
 * object. Values must be JSON-safe (see `isJsonSafe`).
 */
export function deltaIdInput(fields: DeltaIdFields): string {
  const columns = sortedByColumnName(fields.columns);
  let out = `{"clientId":${quoteJsonString(fields.clientId)},"columns":[`;
  for (let index = 0; index < columns.length; index++) {
    const column = columns[index]!;
    if (index > 0) out += ',';
    const value = canonicalJson(column.value);
    out += `{"column":${quoteJsonString(column.column)}`;
    out += value === undefined ? '}' : `,"value":${value}}`;
  }
  out += `],"hlc":"${fields.hlc.toString()}","rowId":${quoteJsonString(fields.rowId)}`;
  return `${out},"table":${quoteJsonString(fields.table)}}`;
}

/**
 * The deterministic identity of a delta: the SHA-256 (lower-case hex, 64 characters) of
 * `deltaIdInput(fields)` (hashed from its UTF-8 written straight into a buffer when no string in
 * it needs an escape, see `utf8DeltaId`). The same write has the same id on every node and after every re-encode,
 * which is what makes pushes idempotent (ADR-009). Synchronous on every runtime: the `#sha256`
 * package import picks `node:crypto` on Node and Bun and `@noble/hashes` elsewhere (ADR-015).
 */
export function deltaId(fields: DeltaIdFields): string {
  return utf8DeltaId(fields) ?? sha256Hex(deltaIdInput(fields));
}

/**
 * Builds a `RowDelta` from its fields, computing `deltaId`. Does not validate: use
 * `validateDelta` on anything that did not come from trusted code.
 */
export function makeDelta(fields: DeltaFields): RowDelta {
  return {
    op: fields.op,
    table: fields.table,
    rowId: fields.rowId,
    clientId: fields.clientId,
    columns: fields.columns,
    hlc: fields.hlc,
    deltaId: deltaId(fields),
  };
}

/** Alias of `makeDelta`: the fields plus their computed `deltaId`. */
export const withDeltaId: (fields: DeltaFields) => RowDelta = makeDelta;

/** `columns` itself when already in name order (the usual case), else a sorted copy. */
function sortedByColumnName(columns: readonly ColumnDelta[]): readonly ColumnDelta[] {
  for (let index = 1; index < columns.length; index++) {
    if (columns[index - 1]!.column > columns[index]!.column) {
      return [...columns].sort(byColumnName);
    }
  }
  return columns;
}

function byColumnName(a: ColumnDelta, b: ColumnDelta): number {
  return a.column < b.column ? -1 : a.column > b.column ? 1 : 0;
}
