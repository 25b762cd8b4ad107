import { makeDelta } from '../delta/delta-id';
import type { ColumnDelta, RowDelta } from '../delta/types';
import { ConflictError } from '../result/errors';
import { Err, Ok, type Result } from '../result/result';
import { createRowState, mergeDelta } from './row-state';
import type { Version } from './types';
import { compareVersionParts, compareVersions } from './version';

/**
 * Most column-name comparisons the covering check makes before it leaves the pair to the general
 * path (a pair of 16-column writes); wider writes are rare and still resolved exactly.
 */
const COVER_COMPARISONS_MAX = 256;

/**
 * Resolves two deltas for the same row with column-level last-write-wins, agreeing with the
 * `RowState` lattice (`mergeDelta`) on which value every column shows:
 * - if the row is then not visible, the result is a DELETE at the tombstone version;
 * - otherwise it is an UPDATE (an INSERT when both inputs were INSERTs) of the visible columns in
 *   name order, stamped with the highest version among them.
 *
 * Identity (ADR-009, amended): when one input alone decides the outcome (a DELETE that hides the
 * other, or a write whose version is newer and whose columns cover every column of the other),
 * the result is that input itself, or a copy that differs only in `op` or column order and keeps
 * its `deltaId` (neither is hashed). Only a genuinely mixed result, columns from both writes, is
 * a new write and gets a freshly computed `deltaId`. Symmetric: both argument orders give equal
 * results. One delta has one version, so a mixed result cannot say that its columns won at
 * different versions: keep `RowState`, not a resolved delta, wherever state accumulates
 * (DESIGN.md §3). `Err(ConflictError)` when the deltas are for different tables or rows, or
 * neither carries anything (an INSERT/UPDATE without columns).
 */
export function resolveLWW(local: RowDelta, remote: RowDelta): Result<RowDelta, ConflictError> {
  if (local.table !== remote.table || local.rowId !== remote.rowId) {
    return Err(
      new ConflictError(
        `cannot resolve deltas for different rows: ${JSON.stringify(local.table)}/` +
          `${JSON.stringify(local.rowId)} vs ${JSON.stringify(remote.table)}/${JSON.stringify(remote.rowId)}`,
      ),
    );
  }
  const order = compareVersionParts(local.hlc, local.clientId, remote.hlc, remote.clientId);
  if (order !== 0) {
    const newer = order > 0 ? local : remote;
    const older = order > 0 ? remote : local;
    const decided = decidedByOne(newer, older);
    if (decided !== null) return Ok(decided);
  }
  return resolveThroughState(local, remote);
}

/**
 * The outcome when one side decides it alone, without hashing; `null` when the result mixes both
 * sides or the inputs are unusual (no columns, duplicate column names, very wide writes), which
 * `resolveThroughState` handles. `newer`'s version is strictly higher than `older`'s.
 */
function decidedByOne(newer: RowDelta, older: RowDelta): RowDelta | null {
  if (newer.op === 'DELETE') return newer; // hides every column of the older write
  const columns = newer.columns;
  if (columns.length === 0) return null;
  if (older.op !== 'DELETE') {
    const olderColumns = older.columns;
    if (olderColumns.length === 0 || olderColumns.length * columns.length > COVER_COMPARISONS_MAX)
      return null;
    for (let index = 0; index < olderColumns.length; index++) {
      if (!hasColumn(columns, olderColumns[index]!.column)) return null;
    }
  }
  const op = newer.op === 'INSERT' && older.op === 'INSERT' ? 'INSERT' : 'UPDATE';
  const sorted = inNameOrder(columns);
  if (sorted === null) return null;
  if (op === newer.op && sorted === columns) return newer;
  const { table, rowId, clientId, hlc, deltaId } = newer;
  // Same key order as makeDelta, so resolved deltas share one hidden class with made ones.
  return { op, table, rowId, clientId, columns: sorted, hlc, deltaId };
}

function hasColumn(columns: readonly ColumnDelta[], name: string): boolean {
  for (let index = 0; index < columns.length; index++) {
    if (columns[index]!.column === name) return true;
  }
  return false;
}

/**
 * `columns` itself when strictly in name order, else a sorted copy; `null` when two columns share
 * a name (the lattice keeps one of them, so the result is not the input's content).
 */
function inNameOrder(columns: readonly ColumnDelta[]): readonly ColumnDelta[] | null {
  let index = 1;
  while (index < columns.length && columns[index - 1]!.column < columns[index]!.column) index++;
  if (index >= columns.length) return columns;
  const sorted = [...columns].sort(byColumnName);
  for (let next = 1; next < sorted.length; next++) {
    if (sorted[next - 1]!.column === sorted[next]!.column) return null;
  }
  return sorted;
}

/** The general path: both deltas merged into an empty `RowState`, the result rebuilt and hashed. */
function resolveThroughState(local: RowDelta, remote: RowDelta): Result<RowDelta, ConflictError> {
  const { table, rowId } = local;
  const state = createRowState(table, rowId);
  mergeDelta(state, local);
  mergeDelta(state, remote);
  if (state.columns.size === 0) {
    const tombstone = state.tombstone;
    if (tombstone === null) {
      return Err(
        new ConflictError(`nothing to resolve for ${table}/${rowId}: neither delta has columns`),
      );
    }
    const { hlc, clientId } = tombstone;
    return Ok(makeDelta({ op: 'DELETE', table, rowId, clientId, hlc, columns: [] }));
  }
  let newest: Version | null = null;
  const columns: ColumnDelta[] = [];
  for (const [column, { value, version }] of state.columns) {
    columns.push({ column, value });
    if (newest === null || compareVersions(version, newest) > 0) newest = version;
  }
  columns.sort(byColumnName);
  const op = local.op === 'INSERT' && remote.op === 'INSERT' ? 'INSERT' : 'UPDATE';
  const { hlc, clientId } = newest!;
  return Ok(makeDelta({ op, table, rowId, clientId, hlc, columns }));
}

function byColumnName(a: ColumnDelta, b: ColumnDelta): number {
  return a.column < b.column ? -1 : a.column > b.column ? 1 : 0;
}
