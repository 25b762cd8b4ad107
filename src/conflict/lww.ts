import { makeDelta } from '../delta/delta-id';
import type { ColumnDelta, RowDelta } from '../delta/types';
import { ConflictError } from '../result/errors';
import { Err, Ok, type Result } from '../result/result';
import { createRowState, mergeDelta } from './row-state';
import type { Version } from './types';
import { compareVersions } from './version';

/**
 * Resolves two deltas for the same row with column-level last-write-wins, built on the
 * `RowState` lattice (so it agrees with `mergeDelta` on which value every column shows):
 * - both are merged into an empty state, in either order with the same outcome;
 * - if the row is then not visible, the result is a DELETE at the tombstone version;
 * - otherwise it is an UPDATE (an INSERT when both inputs were INSERTs) of the visible columns in
 *   name order, stamped with the highest version among them, with a recomputed `deltaId`.
 *
 * One delta has one version, so the result cannot say that its columns won at different versions:
 * keep `RowState`, not a resolved delta, wherever state accumulates (DESIGN.md §3).
 * `Err(ConflictError)` when the deltas are for different tables or rows, or neither carries
 * anything (an INSERT/UPDATE without columns).
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
  columns.sort((a, b) => (a.column < b.column ? -1 : a.column > b.column ? 1 : 0));
  const op = local.op === 'INSERT' && remote.op === 'INSERT' ? 'INSERT' : 'UPDATE';
  const { hlc, clientId } = newest!;
  return Ok(makeDelta({ op, table, rowId, clientId, hlc, columns }));
}
