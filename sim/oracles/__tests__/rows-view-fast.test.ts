import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import type { RowState } from '../../../src/conflict/types';
import type { Row, RowDelta } from '../../../src/delta/types';
import type { HLCTimestamp } from '../../../src/hlc/types';
import { foldDeltas } from '../lake-contents';
import { ReferenceModel } from '../reference-model';
import {
  baselineOfStates,
  canonicalValue,
  diffViews,
  type RowsView,
  rowsMatchView,
  sameViews,
  shownOfStates,
  surelySameValue,
  viewOfRows,
  viewOfStates,
} from '../rows-view';

/**
 * The oracles' fast paths against the plain definitions they stand for: `canonicalValue` against
 * the map-and-join text it replaced, `surelySameValue` against equal canonical texts, `RowsBaseline.shownBy` and `ReferenceModel.shows` against
 * comparing views, `sameViews` against `diffViews` finding nothing. Replicas are drawn so that
 * they often agree (the case the fast paths exist for) and often differ by one value, one column
 * or one row.
 */

/** The definition `canonicalValue` was first written as (map and join). */
function canonicalByJoin(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    return value === undefined ? 'undefined' : JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalByJoin).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalByJoin(record[key])}`).join(',')}}`;
}

const valueArb = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, 0, -0, 1, 1.5, '', 'a', 'ü', '__proto__'),
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom<unknown>({ b: 1, a: [1, { d: 2, c: 3 }] }, { a: [1, { c: 3, d: 2 }], b: 1 }),
);
const TABLES = ['todos', 'notes'] as const;
const COLUMNS = ['title', 'done', 'meta', '__proto__', '1'] as const;

interface Write {
  readonly table: number;
  readonly row: number;
  readonly op: 'UPDATE' | 'DELETE';
  readonly columns: readonly { readonly column: number; readonly value: unknown }[];
  readonly hlc: number;
  readonly client: number;
}

const writeArb: fc.Arbitrary<Write> = fc.record({
  table: fc.integer({ min: 0, max: 1 }),
  row: fc.integer({ min: 0, max: 3 }),
  op: fc.constantFrom('UPDATE' as const, 'UPDATE' as const, 'DELETE' as const),
  columns: fc.array(
    fc.record({ column: fc.integer({ min: 0, max: COLUMNS.length - 1 }), value: valueArb }),
    { minLength: 1, maxLength: 3 },
  ),
  hlc: fc.integer({ min: 1, max: 40 }),
  client: fc.integer({ min: 0, max: 2 }),
});

function toDelta(write: Write, index: number): RowDelta {
  const columns = new Map<string, unknown>();
  for (const { column, value } of write.columns) columns.set(COLUMNS[column] as string, value);
  return {
    op: write.op,
    table: TABLES[write.table] as string,
    rowId: `r${write.row}`,
    clientId: `c${write.client}`,
    columns:
      write.op === 'DELETE' ? [] : [...columns].map(([column, value]) => ({ column, value })),
    hlc: (BigInt(write.hlc) << 16n) as HLCTimestamp,
    deltaId: `${index}`.padStart(64, '0'),
  };
}

/** Materialised rows of `states` whose values are fresh copies (as a replica decodes them). */
function decodedRows(states: ReadonlyMap<string, RowState>): Map<string, Row> {
  const rows = new Map<string, Row>();
  for (const [key, state] of states) {
    if (state.columns.size === 0) continue;
    const row: Row = Object.create(null);
    for (const [name, column] of state.columns) {
      row[name] = column.value === undefined ? undefined : structuredClone(column.value);
    }
    rows.set(key, row);
  }
  return rows;
}

/** A deep copy of a JSON value with every object's keys in reverse order. */
function reordered(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(reordered);
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value).reverse()) {
    Object.defineProperty(copy, key, {
      value: reordered((value as Record<string, unknown>)[key]),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return copy;
}

/** Two lists of writes: the first, and it with a few writes dropped or added. */
const replicasArb = fc
  .tuple(
    fc.array(writeArb, { maxLength: 14 }),
    fc.array(writeArb, { maxLength: 2 }),
    fc.nat({ max: 3 }),
  )
  .map(([writes, extra, dropped]) => {
    const a = writes.map(toDelta);
    const b = [...writes.slice(dropped), ...extra].map(toDelta);
    return { a, b };
  });

describe('oracle fast paths', () => {
  test.prop([fc.jsonValue({ maxDepth: 4 })], { numRuns: 300 })(
    'canonicalValue gives the text of the map-and-join definition',
    (value) => {
      expect(canonicalValue(value)).toBe(canonicalByJoin(value));
    },
  );

  test.prop([valueArb, valueArb, fc.jsonValue({ maxDepth: 3 })], { numRuns: 300 })(
    'surelySameValue says "same" only for values of the same canonical text, and for every copy',
    (a, b, value) => {
      if (surelySameValue(a, b)) expect(canonicalValue(a)).toBe(canonicalValue(b));
      expect(surelySameValue(value, reordered(value))).toBe(true);
      expect(surelySameValue(value, structuredClone(value))).toBe(true);
    },
  );

  test.prop([replicasArb], { numRuns: 300 })(
    'RowsBaseline.shownBy is true exactly when the two views are equal; its view is the view',
    ({ a, b }) => {
      const statesA = foldDeltas(a);
      const rowsB = decodedRows(foldDeltas(b));
      const { view, baseline } = shownOfStates(statesA);
      expect(view).toEqual(viewOfStates(statesA));
      const inOrder = (shown: RowsView) => [...shown].map(([key, row]) => [key, [...row]]);
      expect(inOrder(baselineOfStates(statesA).view())).toEqual(inOrder(viewOfStates(statesA)));
      const equal = sameViews(view, viewOfRows(rowsB));
      expect(baseline.shownBy(rowsB)).toBe(equal);
      expect(baselineOfStates(statesA).shownBy(rowsB)).toBe(equal);
      if (equal) expect(rowsMatchView(view, rowsB)).toBe(true);
    },
  );

  test.prop([replicasArb], { numRuns: 300 })(
    'sameViews is true exactly when diffViews finds nothing',
    ({ a, b }) => {
      const viewA: RowsView = viewOfStates(foldDeltas(a));
      const viewB: RowsView = viewOfStates(foldDeltas(b));
      expect(sameViews(viewA, viewB)).toBe(diffViews('a', viewA, 'b', viewB, 1_000).length === 0);
    },
  );

  test.prop([replicasArb], { numRuns: 300 })(
    'ReferenceModel.shows is true exactly when its view equals the baseline view',
    ({ a, b }) => {
      const model = new ReferenceModel();
      for (const delta of a) model.apply(delta);
      const { view, baseline } = shownOfStates(foldDeltas(b));
      expect(model.shows(baseline)).toBe(sameViews(model.view(), view));
    },
  );
});
