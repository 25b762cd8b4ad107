import type { RowDelta } from '../../src/delta/types';
import { canonicalValue, type RowsBaseline, type RowsView } from './rows-view';

/** A write stamp: HLC, ties broken by the higher client id (plain string order). */
interface Stamp {
  readonly hlc: bigint;
  readonly clientId: string;
}

interface ModelRow {
  readonly columns: Map<string, { readonly value: unknown; readonly stamp: Stamp }>;
  tombstone: Stamp | null;
}

/**
 * The simplest correct answer, written from DESIGN.md section 3 without `src/conflict`: for every
 * row, each column holds the value of its highest-stamped write, the tombstone is the highest
 * DELETE stamp, and a column is visible iff its stamp is above the tombstone (an UPDATE newer than
 * a DELETE resurrects the row with just the columns written after the delete). Order and
 * duplicates of `apply` calls do not matter (max is a join), which is why it is a valid oracle.
 */
export class ReferenceModel {
  /** Every row by key (`table:rowId`), in the order first written. */
  readonly #rows = new Map<string, ModelRow>();
  /**
   * The same rows by table then row id: a write finds its row without building and hashing its
   * key text (the key is built once, for a new row).
   */
  readonly #byTable = new Map<string, Map<string, ModelRow>>();

  /** Folds one write in. */
  apply(delta: RowDelta): void {
    let rows = this.#byTable.get(delta.table);
    if (rows === undefined) {
      rows = new Map();
      this.#byTable.set(delta.table, rows);
    }
    let row = rows.get(delta.rowId);
    if (row === undefined) {
      // Keyed as before: a table and row id whose key text another pair already has (`a:b` +
      // `c`, `a` + `b:c`) share that pair's row.
      const key = `${delta.table}:${delta.rowId}`;
      row = this.#rows.get(key);
      if (row === undefined) {
        row = { columns: new Map(), tombstone: null };
        this.#rows.set(key, row);
      }
      rows.set(delta.rowId, row);
    }
    const stamp: Stamp = { hlc: delta.hlc, clientId: delta.clientId };
    if (delta.op === 'DELETE') {
      if (row.tombstone === null || above(stamp, row.tombstone)) row.tombstone = stamp;
      return;
    }
    for (const { column, value } of delta.columns) {
      const held = row.columns.get(column);
      if (held === undefined || above(stamp, held.stamp)) row.columns.set(column, { value, stamp });
    }
  }

  /** What a correct replica shows after every applied write. */
  view(): RowsView {
    const view: RowsView = new Map();
    for (const [key, row] of this.#rows) {
      const columns = new Map<string, string>();
      for (const [column, held] of row.columns) {
        if (row.tombstone === null || above(held.stamp, row.tombstone)) {
          columns.set(column, canonicalValue(held.value));
        }
      }
      if (columns.size > 0) view.set(key, columns);
    }
    return view;
  }

  /**
   * True iff a correct replica shows exactly what `baseline` shows — then `view()` equals the
   * baseline's view, and comparing the two finds nothing; false when they differ (build `view()`
   * to say how). Values are compared as `RowsBaseline.holds` does: identical, or the same
   * canonical JSON.
   */
  shows(baseline: RowsBaseline): boolean {
    let visible = 0;
    for (const [key, row] of this.#rows) {
      const shown = baseline.rowOf(key);
      let columns = 0;
      for (const [column, held] of row.columns) {
        if (row.tombstone !== null && !above(held.stamp, row.tombstone)) continue;
        if (shown === undefined || !baseline.holds(shown, column, held.value)) return false;
        columns++;
      }
      if (columns === 0) continue;
      visible++;
      if (shown?.columns !== columns) return false;
    }
    return visible === baseline.size;
  }
}

function above(a: Stamp, b: Stamp): boolean {
  return a.hlc > b.hlc || (a.hlc === b.hlc && a.clientId > b.clientId);
}
