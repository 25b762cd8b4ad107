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
  if (Array.isArray(value)) return `[${value.map(canonicalValue).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalValue(record[key])}`).join(',')}}`;
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
  const view: RowsView = new Map();
  for (const [key, state] of states) {
    const row = materialise(state);
    if (row === null) continue;
    const columns = new Map<string, string>();
    for (const column of Object.keys(row)) columns.set(column, canonicalValue(row[column]));
    if (columns.size > 0) view.set(key, columns);
  }
  return view;
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

function unionSorted(a: Map<string, string>, b: Map<string, string>): string[] {
  const names = new Set(a.keys());
  for (const name of b.keys()) names.add(name);
  return [...names].sort();
}

function describeRow(columns: Map<string, string>): string {
  const text = [...columns].map(([column, value]) => `${column}=${value}`).join(', ');
  return `{${text.length > 120 ? `${text.slice(0, 117)}...` : text}}`;
}
