import { rowStateToDeltas } from '../conflict/row-state';
import type { ColumnState, RowState, Version } from '../conflict/types';
import type { RowDelta } from '../delta/types';

/** What a row's snapshot deltas were built from: the exact column and tombstone objects. */
interface Built {
  readonly columns: readonly ColumnState[];
  readonly tombstone: Version | null;
  readonly deltas: readonly RowDelta[];
}

/**
 * `rowStateToDeltas` with memory: a row's snapshot deltas (each with a hashed `deltaId`) are
 * rebuilt only after the row changed. A change is seen by identity: merging never mutates a
 * `ColumnState` or a `Version`, it replaces them, so the same objects in the same order mean the
 * same state. Held weakly by row state, so the cache never outlives the index it serves.
 */
export class SnapshotCache {
  readonly #built = new WeakMap<RowState, Built>();

  /** The deltas that rebuild `state` (see `rowStateToDeltas`); do not mutate the array. */
  deltasOf(state: RowState): readonly RowDelta[] {
    const built = this.#built.get(state);
    if (built !== undefined && unchanged(built, state)) return built.deltas;
    const deltas = rowStateToDeltas(state);
    this.#built.set(state, {
      columns: [...state.columns.values()],
      tombstone: state.tombstone,
      deltas,
    });
    return deltas;
  }
}

function unchanged(built: Built, state: RowState): boolean {
  if (built.tombstone !== state.tombstone || built.columns.length !== state.columns.size) {
    return false;
  }
  let index = 0;
  for (const column of state.columns.values()) {
    if (column !== built.columns[index++]) return false;
  }
  return true;
}
