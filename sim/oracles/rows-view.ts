import { materialise } from '../../src/conflict/row-state';
import type { RowState } from '../../src/conflict/types';
import type { Row, RowKey } from '../../src/delta/types';

/**
 * What a replica shows, in a form every oracle can compare: row key → (column → canonical JSON of
 * the value). Only visible rows appear. Equality of two views is equality of what two replicas
 * show, whatever they store internally (DESIGN.md section 3).
 */
export type RowsView = Map<string, Map<string, string>>;

/**
 * Canonical JSON of a JSON value: object keys sorted by UTF-16 code units at every depth, no
 * whitespace. Own keys only, so a key named `__proto__` is kept like any other. Independent of
 * `src/` on purpose: the oracles must not share a bug with the code they check.
 */
export function canonicalValue(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    return value === undefined ? 'undefined' : JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    let text = '[';
    for (let index = 0; index < value.length; index++) {
      if (index > 0) text += ',';
      text += canonicalValue(value[index]);
    }
    return `${text}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let text = '{';
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index] as string;
    if (index > 0) text += ',';
    text += `${JSON.stringify(key)}:${canonicalValue(record[key])}`;
  }
  return `${text}}`;
}

/**
 * True only if `a` and `b` have the same `canonicalValue` (false means "not shown equal": compare
 * their canonical texts to know). Walks both values without building text: identical values,
 * then arrays element by element, then objects with the same own keys (in any order) holding
 * values that pass again. Cheaper than two `canonicalValue` calls when equal values are different
 * objects, which is how every replica holds the objects it decoded.
 */
export function surelySameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  const array = Array.isArray(a);
  if (array !== Array.isArray(b)) return false;
  if (array) {
    const left = a as unknown[];
    const right = b as unknown[];
    if (left.length !== right.length) return false;
    for (let index = 0; index < left.length; index++) {
      if (!surelySameValue(left[index], right[index])) return false;
    }
    return true;
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left);
  const otherKeys = Object.keys(right);
  if (keys.length !== otherKeys.length) return false;
  for (const key of keys) {
    if (!otherKeys.includes(key) || !surelySameValue(left[key], right[key])) return false;
  }
  return true;
}

/** The view of materialised rows (a client's `rows()`). */
export function viewOfRows(rows: ReadonlyMap<RowKey | string, Row>): RowsView {
  const view: RowsView = new Map();
  for (const [key, row] of rows) {
    const columns = new Map<string, string>();
    for (const column of Object.keys(row)) columns.set(column, canonicalValue(row[column]));
    if (columns.size > 0) view.set(key, columns);
  }
  return view;
}

/**
 * True iff the materialised `rows` show exactly what `view` shows. A fast path for the common
 * agreeing case (no view is built; it stops at the first difference); use `diffViews` on
 * `viewOfRows(rows)` to explain a mismatch.
 */
export function rowsMatchView(view: RowsView, rows: ReadonlyMap<RowKey | string, Row>): boolean {
  let visible = 0;
  for (const [key, row] of rows) {
    const columns = Object.keys(row);
    if (columns.length === 0) continue;
    visible++;
    const expected = view.get(key);
    if (expected === undefined || expected.size !== columns.length) return false;
    for (const column of columns) {
      if (expected.get(column) !== canonicalValue(row[column])) return false;
    }
  }
  return visible === view.size;
}

/**
 * The view of `RowState`s (the gateway's index, a fold of the lake), through the core's own
 * `materialise`: what a reader of that replica is shown.
 */
export function viewOfStates(states: ReadonlyMap<RowKey | string, RowState>): RowsView {
  return shownOfStates(states).view;
}

/**
 * What a replica of `states` shows, both as its view and as a `RowsBaseline` of the very rows the
 * view was made from (one `materialise` per row), to compare other replicas against it quickly.
 */
export function shownOfStates(states: ReadonlyMap<RowKey | string, RowState>): {
  view: RowsView;
  baseline: RowsBaseline;
} {
  const view: RowsView = new Map();
  const rows = new Map<string, BaselineRow>();
  for (const [key, state] of states) {
    const row = materialise(state);
    if (row === null) continue;
    const names = Object.keys(row);
    const columns = new Map<string, string>();
    for (const column of names) columns.set(column, canonicalValue(row[column]));
    if (columns.size === 0) continue;
    view.set(key, columns);
    rows.set(key, { row, columns: names.length });
  }
  return { view, baseline: new RowsBaseline(rows) };
}

/** The `RowsBaseline` of `states` alone: what `shownOfStates` gives, without the view. */
export function baselineOfStates(states: ReadonlyMap<RowKey | string, RowState>): RowsBaseline {
  const rows = new Map<string, BaselineRow>();
  for (const [key, state] of states) {
    const row = materialise(state);
    if (row === null) continue;
    const columns = Object.keys(row).length;
    if (columns > 0) rows.set(key, { row, columns });
  }
  return new RowsBaseline(rows);
}

/** A visible row of a `RowsBaseline` and its number of columns. */
export interface BaselineRow {
  readonly row: Row;
  readonly columns: number;
}

/**
 * The visible rows of one replica, kept as values (not canonical text) so that many replicas can
 * be compared against it cheaply: a value identical (`===`) to the baseline's has the same
 * canonical JSON, so only values that are not identical — in practice objects and arrays, which
 * every replica decodes afresh — are compared by `canonicalValue` (the baseline's side computed
 * once per value and remembered). Use it within one synchronous check: it holds the rows as they
 * were, and the canonical texts of their values then.
 */
export class RowsBaseline {
  readonly #rows: ReadonlyMap<string, BaselineRow>;
  readonly #canonical = new Map<unknown, string>();

  /** `rows`: the visible rows (each with at least one column). */
  constructor(rows: ReadonlyMap<string, BaselineRow>) {
    this.#rows = rows;
  }

  /** How many rows are visible. */
  get size(): number {
    return this.#rows.size;
  }

  /**
   * The view of the baseline's rows: for a baseline of `states`, what `viewOfStates(states)`
   * gives (the same rows, materialised once), built when first asked.
   */
  view(): RowsView {
    if (this.#view !== null) return this.#view;
    const view: RowsView = new Map();
    for (const [key, { row }] of this.#rows) {
      const columns = new Map<string, string>();
      for (const column of Object.keys(row)) columns.set(column, canonicalValue(row[column]));
      view.set(key, columns);
    }
    this.#view = view;
    return view;
  }

  #view: RowsView | null = null;

  /** A visible row and its number of columns, `undefined` when the row is not visible. */
  rowOf(key: string): BaselineRow | undefined {
    return this.#rows.get(key);
  }

  /**
   * True iff visible row `row` (from `rowOf`) has `column`, with a value of the same canonical JSON
   * as `value`.
   */
  holds(row: BaselineRow, column: string, value: unknown): boolean {
    if (!Object.hasOwn(row.row, column)) return false;
    const held = row.row[column];
    // Identical first, inline: most values are primitives, and this also runs in code too cold
    // for the engine to inline a call.
    return held === value || this.#sameValue(held, value);
  }

  /**
   * True iff the materialised `rows` show exactly what the baseline shows: the same visible rows,
   * each with the same columns and values of the same canonical JSON — then `rowsMatchView` of the
   * baseline's view is true and `diffViews` of the two views is empty. It stops at the first
   * difference; ask those to explain one.
   */
  shownBy(rows: ReadonlyMap<RowKey | string, Row>): boolean {
    let visible = 0;
    for (const [key, row] of rows) {
      const columns = Object.keys(row);
      if (columns.length === 0) continue;
      visible++;
      const expected = this.#rows.get(key);
      if (expected === undefined || expected.columns !== columns.length) return false;
      for (const column of columns) if (!this.holds(expected, column, row[column])) return false;
    }
    return visible === this.#rows.size;
  }

  /** Values not identical: the same canonical JSON? (the baseline's side computed once). */
  #sameValue(held: unknown, value: unknown): boolean {
    if (surelySameValue(held, value)) return true;
    let text = this.#canonical.get(held);
    if (text === undefined) {
      text = canonicalValue(held);
      this.#canonical.set(held, text);
    }
    return text === canonicalValue(value);
  }
}

/**
 * Every difference between two views, as specific sentences ("row todos:r1 column title: expected
 * "a" (gateway) but client-3 has "b""), at most `limit` of them, then a count of the rest.
 */
export function diffViews(
  expectedName: string,
  expected: RowsView,
  actualName: string,
  actual: RowsView,
  limit = 5,
): string[] {
  if (sameViews(expected, actual)) return [];
  const differences: string[] = [];
  let more = 0;
  const note = (text: string): void => {
    if (differences.length < limit) differences.push(text);
    else more++;
  };
  for (const key of [...expected.keys()].sort()) {
    const want = expected.get(key) as Map<string, string>;
    const got = actual.get(key);
    if (got === undefined) {
      note(
        `row ${key} is visible at ${expectedName} ${describeRow(want)} but missing at ${actualName}`,
      );
      continue;
    }
    for (const column of unionSorted(want, got)) {
      const wantValue = want.get(column);
      const gotValue = got.get(column);
      if (wantValue === gotValue) continue;
      note(
        `row ${key} column ${JSON.stringify(column)}: ${expectedName} has ${wantValue ?? '(absent)'} ` +
          `but ${actualName} has ${gotValue ?? '(absent)'}`,
      );
    }
  }
  for (const key of [...actual.keys()].sort()) {
    if (!expected.has(key)) {
      note(
        `row ${key} is visible at ${actualName} ${describeRow(actual.get(key) as Map<string, string>)} but not at ${expectedName}`,
      );
    }
  }
  if (more > 0)
    differences.push(`… and ${more} more difference(s) between ${expectedName} and ${actualName}`);
  return differences;
}

/** True iff two views are identical: the same rows, each with the same columns and texts. */
export function sameViews(a: RowsView, b: RowsView): boolean {
  if (a.size !== b.size) return false;
  for (const [key, columns] of a) {
    const other = b.get(key);
    if (other === undefined || other.size !== columns.size) return false;
    for (const [column, text] of columns) {
      const got = other.get(column);
      if (got !== text || (got === undefined && !other.has(column))) return false;
    }
  }
  return true;
}

function unionSorted(a: Map<string, string>, b: Map<string, string>): string[] {
  const names = new Set(a.keys());
  for (const name of b.keys()) names.add(name);
  return [...names].sort();
}

function describeRow(columns: Map<string, string>): string {
  const text = [...columns].map(([column, value]) => `${column}=${value}`).join(', ');
  return `{${text.length > 120 ? `${text.slice(0, 117)}...` : text}}`;
}
