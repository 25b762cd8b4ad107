import type { HLCTimestamp } from '../hlc/types';

/** The kind of change a delta carries. */
export type DeltaOp = 'INSERT' | 'UPDATE' | 'DELETE';

/** All valid ops, for validation and generators. */
export const DELTA_OPS: readonly DeltaOp[] = ['INSERT', 'UPDATE', 'DELETE'];

/** One column's new value. `value` is JSON-serialisable and never `undefined` (use `null`). */
export interface ColumnDelta {
  readonly column: string;
  readonly value: unknown;
}

/**
 * A column-level change to one row, stamped by the writing client. `deltaId` is the SHA-256 of the
 * canonical JSON of `{clientId, hlc, table, rowId, columns}` (see `deltaId`), so the same write has
 * the same identity everywhere. DELETE carries no columns; INSERT and UPDATE carry at least one.
 */
export interface RowDelta {
  readonly op: DeltaOp;
  readonly table: string;
  readonly rowId: string;
  readonly clientId: string;
  readonly columns: readonly ColumnDelta[];
  readonly hlc: HLCTimestamp;
  readonly deltaId: string;
}

/** A materialised row: column name to value. Built with a null prototype, so any column name is safe. */
export type Row = Record<string, unknown>;

/** Minimal schema: a column allow-list with type hints. */
export interface TableSchema {
  readonly table: string;
  readonly columns: ReadonlyArray<{
    readonly name: string;
    readonly type: 'string' | 'number' | 'boolean' | 'json' | 'null';
  }>;
}

/** Composite key of a row, unambiguous because table names may not contain ':' (see `rowKey`). */
export type RowKey = string & { readonly __brand: 'RowKey' };
