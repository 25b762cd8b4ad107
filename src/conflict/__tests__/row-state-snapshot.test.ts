import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { makeDelta } from '../../delta/delta-id';
import type { ColumnDelta, RowDelta } from '../../delta/types';
import { HLC } from '../../hlc/hlc';
import { createRowState, mergeDelta, rowStateToDeltas } from '../row-state';
import type { RowState } from '../types';
import { compareVersions, versionsEqual } from '../version';

/**
 * `rowStateToDeltas` has a fast path for the usual row, every column from one write. It must give
 * exactly what the general grouping gives, written out here as the reference (the grouping the
 * function used before the fast path): entries sorted by version then name, one UPDATE per
 * version, after the DELETE at the tombstone.
 */
function referenceSnapshot(state: RowState): RowDelta[] {
  const { table, rowId, tombstone } = state;
  const deltas: RowDelta[] = [];
  if (tombstone !== null) {
    const { hlc, clientId } = tombstone;
    deltas.push(makeDelta({ op: 'DELETE', table, rowId, clientId, hlc, columns: [] }));
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

const T0 = 1_700_000_000_000;
const COLUMNS = ['title', 'done', 'Zeta', '__proto__', 'é'] as const;
const WIDE_COLUMNS = Array.from({ length: 40 }, (_, index) => `c${(index * 7) % 40}`);

const deltaArb: fc.Arbitrary<RowDelta> = fc
  .record({
    op: fc.constantFrom('INSERT' as const, 'UPDATE' as const, 'DELETE' as const),
    clientId: fc.constantFrom('a', 'b'),
    wall: fc.integer({ min: 0, max: 3 }),
    columns: fc.uniqueArray(
      fc.tuple(fc.constantFrom(...COLUMNS), fc.oneof(fc.integer(), fc.string())),
      {
        minLength: 1,
        maxLength: COLUMNS.length,
        selector: ([column]) => column,
      },
    ),
  })
  .map(({ op, clientId, wall, columns }) =>
    makeDelta({
      op,
      table: 't',
      rowId: 'r',
      clientId,
      hlc: HLC.encode(T0 + wall, 0),
      columns: op === 'DELETE' ? [] : columns.map(([column, value]) => ({ column, value })),
    }),
  );

describe('rowStateToDeltas', () => {
  test.prop([fc.array(deltaArb, { maxLength: 5 })], { numRuns: 1_000 })(
    'equals the general grouping, fast path or not',
    (deltas) => {
      const state = createRowState('t', 'r');
      for (const delta of deltas) mergeDelta(state, delta);
      expect(rowStateToDeltas(state)).toEqual(referenceSnapshot(state));
    },
  );

  test.prop([fc.shuffledSubarray(WIDE_COLUMNS, { minLength: 30, maxLength: 40 })], {
    numRuns: 100,
  })(
    'orders the names of a wide one-write row too (both sides of the insertion-sort bound)',
    (names) => {
      const state = createRowState('t', 'r');
      const columns = names.map((column, index) => ({ column, value: index }));
      mergeDelta(
        state,
        makeDelta({
          op: 'INSERT',
          table: 't',
          rowId: 'r',
          clientId: 'a',
          hlc: HLC.encode(T0, 0),
          columns,
        }),
      );
      expect(rowStateToDeltas(state)).toEqual(referenceSnapshot(state));
    },
  );
});
