import { materialise, mergeIntoStates } from '../conflict/row-state';
import type { RowState } from '../conflict/types';
import { rowKey } from '../delta/row-key';
import type { Row, RowDelta, RowKey } from '../delta/types';

/**
 * A client's local copy of the data: one lattice `RowState` per row, so merging what it wrote
 * and what it pulled gives the same state in any order, with any duplicates.
 */
export class Replica {
  readonly #rows = new Map<RowKey, RowState>();

  /** Joins a delta into the row it targets; true iff anything changed. */
  merge(delta: RowDelta): boolean {
    return mergeIntoStates(this.#rows, delta);
  }

  /** The visible row, or `null` when absent or deleted. */
  get(table: string, rowId: string): Row | null {
    const state = this.#rows.get(rowKey(table, rowId));
    return state === undefined ? null : materialise(state);
  }

  /** The lattice state of one row, or `undefined` when the replica holds nothing for it. */
  state(table: string, rowId: string): RowState | undefined {
    return this.#rows.get(rowKey(table, rowId));
  }

  /** Every visible row. */
  rows(): Map<RowKey, Row> {
    const visible = new Map<RowKey, Row>();
    for (const [key, state] of this.#rows) {
      const row = materialise(state);
      if (row !== null) visible.set(key, row);
    }
    return visible;
  }

  /** The lattice states (live view; do not mutate). */
  states(): ReadonlyMap<RowKey, RowState> {
    return this.#rows;
  }
}
