import type { Row, RowDelta } from './types';

/**
 * Applies `delta` to `row` without touching either: DELETE gives `null`; INSERT and UPDATE give a
 * new null-prototype object holding the row's own columns overlaid with the delta's. Because the
 * result has no prototype, column names such as `__proto__`, `constructor` and `prototype` become
 * ordinary own properties and `Object.prototype` is never modified. Values are shared, not copied:
 * treat rows and deltas as immutable.
 */
export function applyDelta(row: Row | null, delta: RowDelta): Row | null {
  if (delta.op === 'DELETE') return null;
  const result: Row = Object.create(null);
  if (row !== null) {
    for (const column of Object.keys(row)) result[column] = row[column];
  }
  for (const change of delta.columns) result[change.column] = change.value;
  return result;
}
