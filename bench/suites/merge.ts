import { resolveLWW } from '../../src/conflict/lww';
import { lwwResolver } from '../../src/conflict/resolver';
import { createRowState, mergeDelta } from '../../src/conflict/row-state';
import type { RowState } from '../../src/conflict/types';
import { makeDelta } from '../../src/delta/delta-id';
import type { RowDelta } from '../../src/delta/types';
import { generateDeltas, workload } from '../lib/inputs';
import { consume, measurePair } from '../lib/measure';
import { atLeast, rowFromQuantities } from '../lib/stats';
import type { Suite, SuiteContext } from '../lib/suite';
import type { BenchRow } from '../lib/types';

const MERGES_PER_SAMPLE = 10_000;
const MERGES_PER_SAMPLE_QUICK = 500;
const PAIRS_PER_SAMPLE = 2_000;
const PAIRS_PER_SAMPLE_QUICK = 100;
const BATCH_PAIRS = 100_000;
const BATCH_PAIRS_QUICK = 2_000;
/** Every this many pairs of the batch, the newer write carries one column only: a mixed result. */
const MIXED_EVERY = 10;

/**
 * The conflict core against the floor of storing the same column values in a `Map`:
 * - `mergeDelta` of a stream of deltas into per-row states (fresh states every sample), against
 *   `Map.set` of each delta's column values into a per-row `Map` (`clear` for a DELETE);
 * - `resolveLWW` of two writes to the same row, against `Map.set` of both writes' column values
 *   into a new `Map`. Every seeded write carries the same two columns, so one side always
 *   decides and `resolveLWW` returns it without hashing (ADR-009, amended);
 * - `ConflictResolver.resolve` over a batch of 100k conflicting pairs, one in ten of them a mixed
 *   result (a fresh `deltaId` hashed), against the same `Map.set` floor.
 */
export const mergeSuite: Suite = {
  id: 'merge',
  title: 'mergeDelta / resolveLWW',
  async run(context) {
    return {
      rows: [
        await mergeRow(context, this.id),
        await resolveRow(context, this.id),
        await resolverBatchRow(context, this.id),
      ],
    };
  },
};

async function mergeRow(context: SuiteContext, suite: string): Promise<BenchRow> {
  const count = context.quick ? MERGES_PER_SAMPLE_QUICK : MERGES_PER_SAMPLE;
  const shape = workload({ seed: 'bench/merge', count, rowsPerTable: Math.ceil(count / 30) });
  const deltas = generateDeltas(shape);
  const rowOf = rowPositions(deltas);
  const rowCount = Math.max(0, ...rowOf) + 1;
  let states: RowState[] = [];
  let maps: Map<string, unknown>[] = [];
  const measured = await measurePair(
    {
      label: 'mergeDelta',
      opsPerSample: count,
      prepare: () => {
        states = new Array(rowCount);
        for (let position = 0; position < count; position++) {
          const delta = deltas[position]!;
          states[rowOf[position]!] ??= createRowState(delta.table, delta.rowId);
        }
      },
      run: () => {
        let changed = 0;
        for (let position = 0; position < count; position++) {
          if (mergeDelta(states[rowOf[position]!]!, deltas[position]!)) changed++;
        }
        consume(changed);
      },
    },
    {
      label: 'Map.set of the column values',
      opsPerSample: count,
      prepare: () => {
        maps = Array.from({ length: rowCount }, () => new Map<string, unknown>());
      },
      run: () => {
        for (let position = 0; position < count; position++) {
          const delta = deltas[position]!;
          const row = maps[rowOf[position]!]!;
          if (delta.op === 'DELETE') row.clear();
          for (const change of delta.columns) row.set(change.column, change.value);
        }
        consume(maps.length);
      },
    },
    context.budget,
  );
  return rowFromQuantities({
    id: 'conflict.merge-delta',
    suite,
    title: 'mergeDelta into row states',
    subject: measured.subject,
    baseline: measured.baseline,
    ratioText: 'mergeDelta rate ÷ Map.set rate',
    target: atLeast(0.25, '≥ 25 % of the baseline rate'),
    note: `${count.toLocaleString('en-GB')} deltas per sample over ${rowCount.toLocaleString('en-GB')} rows (fresh states each sample), two small columns per write.`,
  });
}

async function resolveRow(context: SuiteContext, suite: string): Promise<BenchRow> {
  const pairCount = context.quick ? PAIRS_PER_SAMPLE_QUICK : PAIRS_PER_SAMPLE;
  const pairs = sameRowPairs(pairCount);
  for (const [local, remote] of pairs) {
    const resolved = resolveLWW(local, remote);
    if (!resolved.ok)
      throw new Error(`resolveLWW refused a seeded pair: ${resolved.error.message}`);
  }
  const measured = await measurePair(
    {
      label: 'resolveLWW',
      opsPerSample: pairs.length,
      run: () => {
        let resolved = 0;
        for (const [local, remote] of pairs) if (resolveLWW(local, remote).ok) resolved++;
        consume(resolved);
      },
    },
    mapSetOfBothWrites(pairs),
    context.budget,
  );
  return rowFromQuantities({
    id: 'conflict.resolve-lww',
    suite,
    title: 'resolveLWW of two writes to a row',
    subject: measured.subject,
    baseline: measured.baseline,
    ratioText: 'resolveLWW rate ÷ Map.set rate',
    target: atLeast(0.25, '≥ 25 % of the baseline rate'),
    note: `${pairs.length.toLocaleString('en-GB')} pairs per sample, ${describeOutcomes(pairs)}. One side deciding is returned as it is (no deltaId hashed); only a mixed result hashes one (ADR-009).`,
  });
}

async function resolverBatchRow(context: SuiteContext, suite: string): Promise<BenchRow> {
  const pairCount = context.quick ? BATCH_PAIRS_QUICK : BATCH_PAIRS;
  const pairs = withMixedPairs(sameRowPairs(pairCount));
  const resolver = lwwResolver;
  for (const [local, remote] of pairs) {
    if (!resolver.resolve(local, remote).ok) throw new Error('the resolver refused a seeded pair');
  }
  const measured = await measurePair(
    {
      label: 'ConflictResolver.resolve',
      opsPerSample: pairs.length,
      run: () => {
        let resolved = 0;
        for (const [local, remote] of pairs) if (resolver.resolve(local, remote).ok) resolved++;
        consume(resolved);
      },
    },
    mapSetOfBothWrites(pairs),
    // A sample is a whole batch (tens of ms), so fewer samples still give a stable median.
    {
      ...context.budget,
      samplesMin: Math.min(context.budget.samplesMin, 5),
      rounds: Math.min(context.budget.rounds, 3),
    },
  );
  return rowFromQuantities({
    id: 'conflict.resolver-batch',
    suite,
    title: `ConflictResolver over ${pairs.length.toLocaleString('en-GB')} conflicting pairs`,
    subject: measured.subject,
    baseline: measured.baseline,
    ratioText: 'resolve rate ÷ Map.set rate',
    target: atLeast(0.25, '≥ 25 % of the baseline rate'),
    note: `One batch of ${pairs.length.toLocaleString('en-GB')} pairs per sample through lwwResolver, ${describeOutcomes(pairs)}.`,
  });
}

/**
 * Every `MIXED_EVERY`-th pair of writes rebuilt so that the newer write carries only its `title`:
 * the older write's `done` survives, so the result mixes both and hashes a fresh id.
 */
function withMixedPairs(pairs: [RowDelta, RowDelta][]): [RowDelta, RowDelta][] {
  return pairs.map(([local, remote], index) => {
    if (index % MIXED_EVERY !== 0 || local.op === 'DELETE' || remote.op === 'DELETE')
      return [local, remote];
    const columns = remote.columns.filter((change) => change.column === 'title');
    return [local, makeDelta({ ...remote, columns })];
  });
}

/** How many pairs resolve to one side unchanged, one side relabelled, a mixed write. */
function describeOutcomes(pairs: readonly [RowDelta, RowDelta][]): string {
  let same = 0;
  let mixed = 0;
  for (const [local, remote] of pairs) {
    const resolved = resolveLWW(local, remote);
    if (!resolved.ok) continue;
    const id = resolved.value.deltaId;
    if (resolved.value === local || resolved.value === remote) same++;
    else if (id !== local.deltaId && id !== remote.deltaId) mixed++;
  }
  const relabelled = pairs.length - same - mixed;
  return `${same.toLocaleString('en-GB')} decided by one side as it is, ${relabelled.toLocaleString('en-GB')} relabelled (INSERT → UPDATE, same id), ${mixed.toLocaleString('en-GB')} mixed (hashed)`;
}

/** For each delta, a dense index of its row (first-seen order). */
function rowPositions(deltas: readonly RowDelta[]): number[] {
  const positions = new Map<string, number>();
  return deltas.map((delta) => {
    const key = `${delta.table}:${delta.rowId}`;
    let position = positions.get(key);
    if (position === undefined) {
      position = positions.size;
      positions.set(key, position);
    }
    return position;
  });
}

/** Pairs of consecutive writes to the same row, from a seeded stream, `count` of them. */
function sameRowPairs(count: number): [RowDelta, RowDelta][] {
  const deltas = generateDeltas(
    workload({ seed: 'bench/resolve', count: count * 4, rowsPerTable: Math.ceil(count / 6) }),
  );
  const previous = new Map<string, RowDelta>();
  const pairs: [RowDelta, RowDelta][] = [];
  for (const delta of deltas) {
    const key = `${delta.table}:${delta.rowId}`;
    const before = previous.get(key);
    if (before !== undefined && pairs.length < count) pairs.push([before, delta]);
    previous.set(key, delta);
  }
  return pairs;
}

/** The floor both resolver rows are measured against: each pair's columns set into a fresh `Map`. */
function mapSetOfBothWrites(pairs: readonly (readonly [RowDelta, RowDelta])[]) {
  return {
    label: 'Map.set of both writes',
    opsPerSample: pairs.length,
    run: () => {
      let size = 0;
      for (const [local, remote] of pairs) {
        const row = new Map<string, unknown>();
        for (const change of local.columns) row.set(change.column, change.value);
        for (const change of remote.columns) row.set(change.column, change.value);
        size += row.size;
      }
      consume(size);
    },
  };
}
