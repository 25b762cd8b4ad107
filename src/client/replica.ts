import { createRowState, materialise, mergeDeltaIntoOwnRow } from '../conflict/row-state';
import type { RowState } from '../conflict/types';
import { rowKey } from '../delta/row-key';
import type { Row, RowDelta, RowKey } from '../delta/types';

/**
 * A client's local copy of the data: one lattice `RowState` per row, so merging what it wrote
 * and what it pulled gives the same state in any order, with any duplicates.
 *
 * The states live in one map keyed by `rowKey` (what `states()` hands out), and are found through
 * a second index, table → row id → the same `RowState` object: a pulled delta's row is then found
 * without building its `rowKey` string (a fresh string to copy and hash per delta). The index is
 * only ever added to together with the map; should the map be cleared behind the replica's back,
 * the size check in `#find` notices and the index is rebuilt from the map.
 */
export class Replica {
  readonly #rows = new Map<RowKey, RowState>();
  readonly #byTable = new Map<string, Map<string, RowState>>();
  /** Rows in the index: equal to `#rows.size` unless the map was changed from outside. */
  #indexed = 0;

  /** Joins a delta into the row it targets; true iff anything changed. */
  merge(delta: RowDelta): boolean {
    const { table, rowId } = delta;
    let state = this.#find(table, rowId);
    if (state === undefined) {
      state = createRowState(table, rowId);
      this.#rows.set(rowKey(table, rowId), state);
      this.#index(state);
    }
    // `state` is the one indexed under this delta's table and row id: no row check needed.
    return mergeDeltaIntoOwnRow(state, delta);
  }

  /** The visible row, or `null` when absent or deleted. */
  get(table: string, rowId: string): Row | null {
    const state = this.#find(table, rowId);
    return state === undefined ? null : materialise(state);
  }

  /** The lattice state of one row, or `undefined` when the replica holds nothing for it. */
  state(table: string, rowId: string): RowState | undefined {
    return this.#find(table, rowId);
  }

  /** Every visible row. */
  rows(): Map<RowKey, Row> {
    const visible = new Map<RowKey, Row>();
    this.#rows.forEach(addVisible, visible);
    return visible;
  }

  /** The lattice states (live view; do not mutate). */
  states(): ReadonlyMap<RowKey, RowState> {
    return this.#rows;
  }

  /** The state `#rows` holds under `rowKey(table, rowId)`, found through the index. */
  #find(table: string, rowId: string): RowState | undefined {
    if (this.#indexed !== this.#rows.size) this.#reindex();
    return this.#byTable.get(table)?.get(rowId);
  }

  #index(state: RowState): void {
    let rows = this.#byTable.get(state.table);
    if (rows === undefined) {
      rows = new Map();
      this.#byTable.set(state.table, rows);
    }
    rows.set(state.rowId, state);
    this.#indexed++;
  }

  #reindex(): void {
    this.#byTable.clear();
    this.#indexed = 0;
    for (const state of this.#rows.values()) this.#index(state);
  }
}

/** `Map.forEach` callback of `Replica.rows` (no closure, no entry arrays): `this` is the result. */
function addVisible(this: Map<RowKey, Row>, state: RowState, key: RowKey): void {
  const row = materialise(state);
  if (row !== null) this.set(key, row);
}
