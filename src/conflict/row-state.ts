import { canonicalJson } from '../delta/canonical-json';
import { makeDelta } from '../delta/delta-id';
import { jsonEqual } from '../delta/json-equal';
import { rowKey } from '../delta/row-key';
import type { ColumnDelta, Row, RowDelta, RowKey } from '../delta/types';
import { assert } from '../result/assert';
import type { ColumnState, RowState, Version } from './types';
import { compareVersionParts, compareVersions, versionsEqual } from './version';

/** An empty row state: no columns, no tombstone (the lattice's bottom element for this row). */
export function createRowState(table: string, rowId: string): RowState {
  return { table, rowId, columns: new Map(), tombstone: null };
}

/**
 * Joins `delta` into `state` in place and returns true iff the state changed.
 * - DELETE raises the tombstone to `max(tombstone, version)` and prunes every column whose version
 *   is not newer than the tombstone;
 * - INSERT/UPDATE is ignored entirely when its version is not newer than the tombstone; otherwise
 *   each of its columns is set when the stored version is lower or absent.
 * Equal versions with different values (which a correct HLC never produces) keep the value with
 * the greater canonical JSON, so the merge stays deterministic even on forged input.
 *
 * The merge is commutative, associative and idempotent, and pruning makes any two states that saw
 * the same set of deltas structurally equal (`rowStatesEqual`), whatever the order or duplicates.
 * Hot path: allocates at most one `Version` and one `ColumnState` per column set, and nothing at
 * all when the state does not change (a redelivered, older or hidden delta). Asserts that `delta`
 * targets this state's table and row.
 */
export function mergeDelta(state: RowState, delta: RowDelta): boolean {
  if (delta.table !== state.table || delta.rowId !== state.rowId) {
    assert(
      false,
      `mergeDelta: delta for ${delta.table}/${delta.rowId} merged into ${state.table}/${state.rowId}`,
    );
  }
  return mergeDeltaIntoOwnRow(state, delta);
}

/**
 * `mergeDelta` without its check that `delta` targets `state`'s row, for a caller that found
 * `state` under the delta's own table and row id (a `Replica`'s index), where the check cannot
 * fail. Comparing the two pairs of decoded strings costs 20–80 ns a merge on Bun.
 */
export function mergeDeltaIntoOwnRow(state: RowState, delta: RowDelta): boolean {
  const { hlc, clientId } = delta;
  const tombstone = state.tombstone;
  if (
    tombstone !== null &&
    compareVersionParts(hlc, clientId, tombstone.hlc, tombstone.clientId) <= 0
  ) {
    return false;
  }
  if (delta.op === 'DELETE') {
    raiseTombstone(state, { hlc, clientId });
    return true;
  }
  let version: Version | null = null;
  let changed = false;
  // Columns set by one write share its `Version` object, so the delta's order against the last
  // stored version compared is reused while the next column holds the same one (BigInt
  // comparisons are not cheap, on Bun least of all).
  let compared: Version | null = null;
  let order = 0;
  const changes = delta.columns;
  const columns = state.columns;
  // A row with no columns (new, or emptied by a DELETE, which simulated runs make common) holds
  // nothing to compare with, so its lookups are skipped until a column is set (a delta naming a
  // column twice then finds the first).
  let empty = columns.size === 0;
  for (let index = 0; index < changes.length; index++) {
    const change = changes[index]!;
    const stored = empty ? undefined : columns.get(change.column);
    if (stored !== undefined) {
      if (stored.version !== compared) {
        compared = stored.version;
        order = compareVersionParts(hlc, clientId, compared.hlc, compared.clientId);
      }
      if (order < 0 || (order === 0 && !tieReplaces(stored.value, change.value))) continue;
    }
    version ??= { hlc, clientId };
    empty = false;
    state.columns.set(change.column, { value: change.value, version });
    changed = true;
  }
  return changed;
}

/**
 * Joins the whole of `source` into `target` in place (the lattice join of two row states) and
 * returns true iff `target` changed. Same laws as `mergeDelta`; `source` is not modified.
 */
export function mergeRowState(target: RowState, source: RowState): boolean {
  if (!(target.table === source.table && target.rowId === source.rowId)) {
    assert(
      false,
      `mergeRowState: ${source.table}/${source.rowId} merged into ${target.table}/${target.rowId}`,
    );
  }
  let changed = false;
  const tombstone = source.tombstone;
  if (
    tombstone !== null &&
    (target.tombstone === null || compareVersions(tombstone, target.tombstone) > 0)
  ) {
    raiseTombstone(target, tombstone);
    changed = true;
  }
  for (const [name, incoming] of source.columns) {
    if (target.tombstone !== null && compareVersions(incoming.version, target.tombstone) <= 0)
      continue;
    const stored = target.columns.get(name);
    if (stored !== undefined) {
      const order = compareVersions(incoming.version, stored.version);
      if (order < 0 || (order === 0 && !tieReplaces(stored.value, incoming.value))) continue;
    }
    target.columns.set(name, incoming);
    changed = true;
  }
  return changed;
}

/** True iff the row shows: some column is newer than the tombstone (with pruning: any column). */
export function isVisible(state: RowState): boolean {
  return state.columns.size > 0;
}

/**
 * The row as a reader sees it: a new null-prototype object of the visible columns and their
 * values, or `null` when the row is not visible (deleted, or never written).
 */
export function materialise(state: RowState): Row | null {
  if (state.columns.size === 0) return null;
  const row = nullPrototypeRow();
  state.columns.forEach(copyValueInto, row);
  return row;
}

/**
 * An empty object without a prototype, as `Object.create(null)` makes it. V8 makes the result of
 * `Object.create(null)` a hash-table ("dictionary mode") object, whose every property write, read
 * and `Object.keys` is a hash lookup or a sort; an empty literal whose prototype is then set to
 * null keeps V8's ordinary fast properties. Same object either way (same own properties, in the
 * same order, and no prototype).
 */
export function nullPrototypeRow(): Row {
  return Object.setPrototypeOf({}, null) as Row;
}

/** `Map.forEach` callback of `materialise` (no closure, no entry arrays): `this` is the row. */
function copyValueInto(this: Row, column: ColumnState, name: string): void {
  this[name] = column.value;
}

/**
 * Synthetic deltas that rebuild `state` exactly when merged, in any order, into an empty state: a
 * DELETE at the tombstone version (if any), then one UPDATE per distinct column version, oldest
 * first, holding that version's columns in name order. Each carries a valid `deltaId`; a group that
 * matches an original write exactly has that write's id. Used to answer pulls with a snapshot.
 */
export function rowStateToDeltas(state: RowState): RowDelta[] {
  const { table, rowId, tombstone } = state;
  const deltas: RowDelta[] = [];
  if (tombstone !== null) {
    const { hlc, clientId } = tombstone;
    deltas.push(makeDelta({ op: 'DELETE', table, rowId, clientId, hlc, columns: [] }));
  }
  if (state.columns.size === 0) return deltas;
  const shared = sharedVersion(state.columns);
  if (shared !== null) {
    // The usual row, every column from one write: the general path below would make a single
    // group, its columns in name order. Same delta, without an entry pair per column.
    const names = namesInOrder(state.columns);
    const columns: ColumnDelta[] = new Array(names.length);
    for (let index = 0; index < names.length; index++) {
      const column = names[index]!;
      columns[index] = { column, value: (state.columns.get(column) as ColumnState).value };
    }
    const { hlc, clientId } = shared;
    deltas.push(makeDelta({ op: 'UPDATE', table, rowId, clientId, hlc, columns }));
    return deltas;
  }
  const entries = [...state.columns].sort(
    ([nameA, a], [nameB, b]) =>
      compareVersions(a.version, b.version) || (nameA < nameB ? -1 : nameA > nameB ? 1 : 0),
  );
  let index = 0;
  while (index < entries.length) {
    const version = entries[index]![1].version;
    const columns: ColumnDelta[] = [];
    for (; index < entries.length && versionsEqual(entries[index]![1].version, version); index++) {
      const [column, { value }] = entries[index]!;
      columns.push({ column, value });
    }
    const { hlc, clientId } = version;
    deltas.push(makeDelta({ op: 'UPDATE', table, rowId, clientId, hlc, columns }));
  }
  return deltas;
}

/** The version every column holds (equal, if not the same object), or `null` if they differ. */
function sharedVersion(columns: ReadonlyMap<string, ColumnState>): Version | null {
  let shared: Version | null = null;
  for (const column of columns.values()) {
    if (shared === null) shared = column.version;
    else if (shared !== column.version && !versionsEqual(shared, column.version)) return null;
  }
  return shared;
}

/** Widest row whose names `namesInOrder` sorts by insertion (quadratic); wider ones use `sort`. */
const INSERTION_SORT_NAMES_MAX = 32;

/**
 * The column names in UTF-16 order, by insertion as they are read: rows are a handful of columns,
 * and `sort` would copy the array into a work area first.
 */
function namesInOrder(columns: ReadonlyMap<string, ColumnState>): string[] {
  if (columns.size > INSERTION_SORT_NAMES_MAX) return [...columns.keys()].sort();
  const names: string[] = [];
  for (const name of columns.keys()) {
    let index = names.length;
    while (index > 0 && names[index - 1]! > name) {
      names[index] = names[index - 1]!;
      index--;
    }
    names[index] = name;
  }
  return names;
}

/** An independent copy: merging into it never affects `state` (column states are immutable). */
export function cloneRowState(state: RowState): RowState {
  return {
    table: state.table,
    rowId: state.rowId,
    columns: new Map(state.columns),
    tombstone: state.tombstone,
  };
}

/**
 * Structural equality: same row, same tombstone version, same column names with equal versions
 * and deep-equal values (key order inside values does not matter).
 */
export function rowStatesEqual(a: RowState, b: RowState): boolean {
  if (a.table !== b.table || a.rowId !== b.rowId) return false;
  if (a.tombstone === null || b.tombstone === null) {
    if (a.tombstone !== b.tombstone) return false;
  } else if (!versionsEqual(a.tombstone, b.tombstone)) {
    return false;
  }
  if (a.columns.size !== b.columns.size) return false;
  for (const [name, columnA] of a.columns) {
    const columnB = b.columns.get(name);
    if (columnB === undefined || !columnsEqual(columnA, columnB)) return false;
  }
  return true;
}

function columnsEqual(a: ColumnState, b: ColumnState): boolean {
  return versionsEqual(a.version, b.version) && jsonEqual(a.value, b.value);
}

/** Sets the tombstone (known to be newer) and prunes the columns it now hides. */
function raiseTombstone(state: RowState, tombstone: Version): void {
  state.tombstone = tombstone;
  const columns = state.columns;
  if (columns.size === 0) return;
  // The usual DELETE hides every column: one `clear` instead of a `delete` per column, each of
  // which may shrink the map's table again.
  if (hidesEvery(columns, tombstone)) {
    columns.clear();
    return;
  }
  // Deleting the entry being visited is allowed during `Map.forEach`, and visits every other entry.
  columns.forEach(pruneHidden, tombstone);
}

/** True iff no column's version is newer than `tombstone`. */
function hidesEvery(columns: ReadonlyMap<string, ColumnState>, tombstone: Version): boolean {
  let checked: Version | null = null;
  for (const column of columns.values()) {
    if (column.version === checked) continue; // columns set by one write share its version
    checked = column.version;
    if (compareVersions(checked, tombstone) > 0) return false;
  }
  return true;
}

/** `Map.forEach` callback of `raiseTombstone`: `this` is the new tombstone. */
function pruneHidden(
  this: Version,
  column: ColumnState,
  name: string,
  columns: Map<string, ColumnState>,
): void {
  if (compareVersions(column.version, this) <= 0) columns.delete(name);
}

/** Tiebreak for two values written at the same version: the greater canonical JSON wins. */
function tieReplaces(stored: unknown, incoming: unknown): boolean {
  if (jsonEqual(stored, incoming)) return false;
  return (canonicalJson(incoming) ?? '') > (canonicalJson(stored) ?? '');
}

/**
 * Joins a delta into the row it targets within a map of row states, creating the row's state on
 * first sight; true iff anything changed. How lake folds and indexes grow (a `Replica` does the
 * same through its own row index).
 */
export function mergeIntoStates(states: Map<RowKey, RowState>, delta: RowDelta): boolean {
  const key = rowKey(delta.table, delta.rowId);
  let state = states.get(key);
  if (state === undefined) {
    state = createRowState(delta.table, delta.rowId);
    states.set(key, state);
  }
  return mergeDelta(state, delta);
}
