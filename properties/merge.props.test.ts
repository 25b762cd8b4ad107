import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { resolveLWW } from '../src/conflict/lww';
import {
  cloneRowState,
  createRowState,
  materialise,
  mergeDelta,
  mergeRowState,
  rowStatesEqual,
  rowStateToDeltas,
} from '../src/conflict/row-state';
import type { RowState } from '../src/conflict/types';
import { compareVersions } from '../src/conflict/version';
import { canonicalJson } from '../src/delta/canonical-json';
import { makeDelta } from '../src/delta/delta-id';
import { jsonEqual } from '../src/delta/json-equal';
import { rowKey } from '../src/delta/row-key';
import type { Row, RowDelta } from '../src/delta/types';
import { validateDelta } from '../src/delta/validate';
import { HLC } from '../src/hlc/hlc';

/**
 * The column-level LWW lattice: merge is commutative, associative and idempotent, so replicas that
 * saw the same deltas — in any order, with any duplicates — hold structurally equal states, and
 * those states show what a simple reference model says they should.
 *
 * Deltas range over 3 rows × 4 columns (two of them named `__proto__` and `constructor`), 3 clients
 * and a tiny HLC range, so equal HLCs from different clients, deletes racing updates, and
 * resurrections are common.
 */

const NUM_RUNS = 1_000;
const T0 = 1_700_000_000_000;
const TABLE = 'todos';
const ROW_IDS = ['r0', 'r1', 'r2'] as const;
const COLUMNS = ['title', 'done', '__proto__', 'constructor'] as const;
const CLIENTS = ['client-a', 'client-b', 'Client-c'] as const;

const valueArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({ min: 0, max: 2 }),
  fc.constantFrom('x', 'y'),
  fc.constant(null),
  fc.constantFrom<unknown>({ p: 1, q: [1, 2] }, { q: [1, 2], p: 1 }, { p: 2 }),
);

const deltaArb: fc.Arbitrary<RowDelta> = fc
  .record({
    op: fc.constantFrom('INSERT' as const, 'UPDATE' as const, 'UPDATE' as const, 'DELETE' as const),
    rowId: fc.constantFrom(...ROW_IDS),
    clientId: fc.constantFrom(...CLIENTS),
    wall: fc.integer({ min: 0, max: 4 }),
    counter: fc.integer({ min: 0, max: 1 }),
    columns: fc.uniqueArray(fc.tuple(fc.constantFrom(...COLUMNS), valueArb), {
      minLength: 1,
      maxLength: COLUMNS.length,
      selector: ([column]) => column,
    }),
  })
  .map(({ op, rowId, clientId, wall, counter, columns }) =>
    makeDelta({
      op,
      table: TABLE,
      rowId,
      clientId,
      hlc: HLC.encode(T0 + wall, counter),
      columns: op === 'DELETE' ? [] : columns.map(([column, value]) => ({ column, value })),
    }),
  );

const deltasArb = fc.array(deltaArb, { minLength: 0, maxLength: 16 });

type Replica = Map<string, RowState>;

function fold(deltas: readonly RowDelta[], into: Replica = new Map()): Replica {
  for (const delta of deltas) {
    const key = rowKey(delta.table, delta.rowId);
    let state = into.get(key);
    if (state === undefined) {
      state = createRowState(delta.table, delta.rowId);
      into.set(key, state);
    }
    mergeDelta(state, delta);
  }
  return into;
}

/** The lattice join of two replicas, as a new replica. */
function join(a: Replica, b: Replica): Replica {
  const result: Replica = new Map();
  for (const [key, state] of a) result.set(key, cloneRowState(state));
  for (const [key, state] of b) {
    const existing = result.get(key);
    if (existing === undefined) result.set(key, cloneRowState(state));
    else mergeRowState(existing, state);
  }
  return result;
}

function replicasEqual(a: Replica, b: Replica): boolean {
  if (a.size !== b.size) return false;
  for (const [key, state] of a) {
    const other = b.get(key);
    if (other === undefined || !rowStatesEqual(state, other)) return false;
  }
  return true;
}

/**
 * The reference model, written independently of `mergeDelta`: a row's tombstone is its newest
 * DELETE; each column shows its newest write (ties on the same version: greater canonical JSON)
 * among the writes newer than the tombstone.
 */
function modelRow(deltas: readonly RowDelta[], rowId: string): Row | null {
  const mine = deltas.filter((delta) => delta.rowId === rowId);
  const deletes = mine.filter((delta) => delta.op === 'DELETE');
  const tombstone = deletes.reduce<RowDelta | null>(
    (best, delta) => (best === null || compareVersions(delta, best) > 0 ? delta : best),
    null,
  );
  const winners = new Map<string, { delta: RowDelta; value: unknown }>();
  for (const delta of mine) {
    if (delta.op === 'DELETE') continue;
    if (tombstone !== null && compareVersions(delta, tombstone) <= 0) continue;
    for (const { column, value } of delta.columns) {
      const current = winners.get(column);
      const order = current === undefined ? 1 : compareVersions(delta, current.delta);
      const wins =
        order > 0 ||
        (order === 0 &&
          current !== undefined &&
          (canonicalJson(value) ?? '') > (canonicalJson(current.value) ?? ''));
      if (wins) winners.set(column, { delta, value });
    }
  }
  if (winners.size === 0) return null;
  const row: Row = Object.create(null);
  for (const [column, { value }] of winners) row[column] = value;
  return row;
}

function rowsEqual(a: Row | null, b: Row | null): boolean {
  return a === null || b === null ? a === b : jsonEqual(a, b);
}

describe('merge lattice properties', () => {
  test.prop(
    [
      deltasArb.chain((deltas) =>
        fc.tuple(
          fc.constant(deltas),
          fc.shuffledSubarray(deltas, { minLength: deltas.length, maxLength: deltas.length }),
          fc.array(fc.nat(), { maxLength: 8 }),
        ),
      ),
    ],
    { numRuns: NUM_RUNS },
  )(
    'any permutation of a delta set, with duplicate deliveries, gives structurally equal states',
    ([deltas, permuted, duplicateIndices]) => {
      const duplicates =
        deltas.length === 0 ? [] : duplicateIndices.map((index) => deltas[index % deltas.length]!);
      const reference = fold(deltas);
      const other = fold([...duplicates, ...permuted, ...duplicates]);
      expect(replicasEqual(reference, other)).toBe(true);
    },
  );

  test.prop([deltasArb, deltasArb], { numRuns: NUM_RUNS })(
    'merge is commutative',
    (left, right) => {
      expect(replicasEqual(fold([...left, ...right]), fold([...right, ...left]))).toBe(true);
      const a = fold(left);
      const b = fold(right);
      expect(replicasEqual(join(a, b), join(b, a))).toBe(true);
    },
  );

  test.prop([deltasArb, deltasArb, deltasArb], { numRuns: NUM_RUNS })(
    'merge is associative',
    (first, second, third) => {
      const a = fold(first);
      const b = fold(second);
      const c = fold(third);
      expect(replicasEqual(join(join(a, b), c), join(a, join(b, c)))).toBe(true);
      expect(replicasEqual(join(join(a, b), c), fold([...first, ...second, ...third]))).toBe(true);
    },
  );

  test.prop([deltasArb], { numRuns: NUM_RUNS })('merge is idempotent', (deltas) => {
    const once = fold(deltas);
    expect(replicasEqual(fold([...deltas, ...deltas]), once)).toBe(true);
    expect(replicasEqual(join(once, once), once)).toBe(true);
    for (const delta of deltas) {
      const state = once.get(rowKey(delta.table, delta.rowId))!;
      expect(mergeDelta(state, delta)).toBe(false);
    }
  });

  test.prop([deltasArb, deltaArb], { numRuns: NUM_RUNS })(
    'mergeDelta returns true exactly when the state changed',
    (history, next) => {
      const replica = fold(history);
      const key = rowKey(next.table, next.rowId);
      const state = replica.get(key) ?? createRowState(next.table, next.rowId);
      const before = cloneRowState(state);
      const changed = mergeDelta(state, next);
      expect(changed).toBe(!rowStatesEqual(before, state));
    },
  );

  test.prop([deltasArb], { numRuns: NUM_RUNS })(
    'the materialised rows agree with the reference model',
    (deltas) => {
      const replica = fold(deltas);
      for (const rowId of ROW_IDS) {
        const state = replica.get(rowKey(TABLE, rowId));
        const shown = state === undefined ? null : materialise(state);
        expect(rowsEqual(shown, modelRow(deltas, rowId))).toBe(true);
      }
    },
  );

  test.prop([deltasArb], { numRuns: NUM_RUNS })(
    'rowStateToDeltas rebuilds each state exactly, with valid deltas, in any order',
    (deltas) => {
      for (const state of fold(deltas).values()) {
        const snapshot = rowStateToDeltas(state);
        for (const delta of snapshot) expect(validateDelta(delta).ok).toBe(true);
        const rebuilt =
          fold(snapshot).get(rowKey(state.table, state.rowId)) ??
          createRowState(state.table, state.rowId);
        expect(rowStatesEqual(rebuilt, state)).toBe(true);
        const reversed =
          fold([...snapshot].reverse()).get(rowKey(state.table, state.rowId)) ??
          createRowState(state.table, state.rowId);
        expect(rowStatesEqual(reversed, state)).toBe(true);
      }
    },
  );

  test.prop([deltaArb, deltaArb], { numRuns: NUM_RUNS })(
    'resolveLWW is symmetric and shows what the lattice shows',
    (first, second) => {
      const remote = makeDelta({ ...second, rowId: first.rowId });
      const forward = resolveLWW(first, remote);
      expect(forward).toEqual(resolveLWW(remote, first));
      if (!forward.ok) return;
      expect(validateDelta(forward.value).ok).toBe(true);
      const viaLattice = materialise(fold([first, remote]).get(rowKey(TABLE, first.rowId))!);
      const viaResolved = materialise(fold([forward.value]).get(rowKey(TABLE, first.rowId))!);
      expect(rowsEqual(viaResolved, viaLattice)).toBe(true);
    },
  );
});
