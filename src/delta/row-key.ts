import { assert } from '../result/assert';
import type { RowKey } from './types';

/**
 * The composite key of a row: `${table}:${rowId}`. Unambiguous because a valid table name
 * (`/^[A-Za-z_][A-Za-z0-9_]*$/`, see `validateDelta`) cannot contain ':'; the row id may. Asserts
 * that `table` has no ':' (callers pass validated deltas).
 */
export function rowKey(table: string, rowId: string): RowKey {
  if (table.includes(':'))
    assert(false, `rowKey: table name ${JSON.stringify(table)} contains ':'`);
  return `${table}:${rowId}` as RowKey;
}

/** Splits a `RowKey` back into table and row id (at the first ':'); asserts it has one. */
export function parseRowKey(key: RowKey): { table: string; rowId: string } {
  const colon = key.indexOf(':');
  if (colon < 0) assert(false, `parseRowKey: ${JSON.stringify(key)} has no ':'`);
  return { table: key.slice(0, colon), rowId: key.slice(colon + 1) };
}
