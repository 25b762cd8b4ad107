import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import type { RowDelta } from '../../../src/delta/types';
import type { HLCTimestamp } from '../../../src/hlc/types';
import { ReferenceModel } from '../reference-model';
import { canonicalValue, type RowsView } from '../rows-view';

/**
 * `ReferenceModel` finds a write's row by table then row id; its first version found it by the key
 * text `table:rowId`. The same view after any writes, tables and row ids with colons included (so
 * two pairs can share a key text, and then a row).
 */

interface Stamp {
  readonly hlc: bigint;
  readonly clientId: string;
}

/** The model as first written: rows by key text. */
class ModelByKeyText {
  readonly #rows = new Map<
    string,
    { columns: Map<string, { value: unknown; stamp: Stamp }>; tombstone: Stamp | null }
  >();

  apply(delta: RowDelta): void {
    const key = `${delta.table}:${delta.rowId}`;
    let row = this.#rows.get(key);
    if (row === undefined) {
      row = { columns: new Map(), tombstone: null };
      this.#rows.set(key, row);
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
}

function above(a: Stamp, b: Stamp): boolean {
  return a.hlc > b.hlc || (a.hlc === b.hlc && a.clientId > b.clientId);
}

const PAIRS = [
  ['todos', 'r0'],
  ['todos', 'r1'],
  ['a:b', 'c'],
  ['a', 'b:c'],
  ['notes', 'r:2'],
  ['notes:r', '2'],
] as const;

const deltaArb: fc.Arbitrary<RowDelta> = fc
  .record({
    pair: fc.integer({ min: 0, max: PAIRS.length - 1 }),
    op: fc.constantFrom('UPDATE' as const, 'INSERT' as const, 'DELETE' as const),
    columns: fc.uniqueArray(fc.constantFrom('title', 'done', '__proto__'), { maxLength: 3 }),
    value: fc.integer({ min: 0, max: 3 }),
    hlc: fc.integer({ min: 1, max: 20 }),
    client: fc.integer({ min: 0, max: 2 }),
  })
  .map(({ pair, op, columns, value, hlc, client }) => {
    const [table, rowId] = PAIRS[pair] as readonly [string, string];
    return {
      op,
      table,
      rowId,
      clientId: `c${client}`,
      columns: op === 'DELETE' ? [] : columns.map((column) => ({ column, value })),
      hlc: (BigInt(hlc) << 16n) as HLCTimestamp,
      deltaId: `${pair}-${hlc}-${client}-${op}`,
    };
  });

describe('ReferenceModel by table and row id', () => {
  test.prop([fc.array(deltaArb, { maxLength: 40 })], { numRuns: 500 })(
    'gives the view its key-text version gave',
    (deltas) => {
      const model = new ReferenceModel();
      const reference = new ModelByKeyText();
      for (const delta of deltas) {
        model.apply(delta);
        reference.apply(delta);
      }
      expect([...model.view()]).toEqual([...reference.view()]);
    },
  );
});
