import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { Replica } from '../../../src/client/replica';
import type { ReplicaSource } from '../../../src/client/replica-event';
import type { RowDelta } from '../../../src/delta/types';
import type { HLCTimestamp } from '../../../src/hlc/types';
import { DeliveryRecord, SessionWatch } from '../session-guarantees';
import { SessionWatchByMaps } from './session-watch-by-maps';

/**
 * The incremental `SessionWatch` (row maps by table, versions overwritten in place, a serial
 * instead of a set of touched keys) reports exactly what the first version reported — the same
 * problems, messages and order, the same redelivery count — over random sessions that include
 * broken ones: batches not merged, replicas swapped for older ones mid-snapshot, writes stamped
 * low, deltas delivered twice, epochs changing — with a second session sharing the first's
 * `DeliveryRecord` and fed the same deltas in other epochs.
 */

const ROWS = ['todos:r0', 'todos:r1', 'notes:r0', 'notes:r:2'] as const;
const COLUMNS = ['title', 'done', 'meta'] as const;

interface DeltaSpec {
  readonly row: number;
  readonly op: 'UPDATE' | 'DELETE';
  readonly columns: readonly number[];
  readonly hlc: number;
  readonly client: number;
  readonly value: number;
}

type Step =
  | {
      readonly kind: 'batch';
      readonly source: ReplicaSource;
      readonly deltas: readonly DeltaSpec[];
      readonly merge: boolean;
      readonly epoch: number;
    }
  | { readonly kind: 'swap'; readonly keep: number }
  | { readonly kind: 'again'; readonly epoch: number };

const deltaArb: fc.Arbitrary<DeltaSpec> = fc.record({
  row: fc.integer({ min: 0, max: ROWS.length - 1 }),
  op: fc.constantFrom('UPDATE' as const, 'UPDATE' as const, 'UPDATE' as const, 'DELETE' as const),
  columns: fc.uniqueArray(fc.integer({ min: 0, max: COLUMNS.length - 1 }), {
    minLength: 1,
    maxLength: 3,
  }),
  hlc: fc.integer({ min: 1, max: 30 }),
  client: fc.integer({ min: 0, max: 2 }),
  value: fc.integer({ min: 0, max: 3 }),
});

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('batch' as const),
      source: fc.constantFrom<ReplicaSource>('pull', 'pull', 'snapshot', 'write', 'restore'),
      deltas: fc.array(deltaArb, { minLength: 1, maxLength: 5 }),
      merge: fc.integer({ min: 0, max: 5 }).map((draw) => draw > 0),
      epoch: fc.integer({ min: 1, max: 2 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('swap' as const), keep: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('again' as const),
      epoch: fc.integer({ min: 1, max: 2 }),
    }),
  },
);

function toDelta(spec: DeltaSpec): RowDelta {
  const key = ROWS[spec.row] as string;
  const colon = key.indexOf(':');
  const hlc = (BigInt(spec.hlc) << 16n) as HLCTimestamp;
  return {
    op: spec.op,
    table: key.slice(0, colon),
    rowId: key.slice(colon + 1),
    clientId: `c${spec.client}`,
    columns:
      spec.op === 'DELETE'
        ? []
        : spec.columns.map((column) => ({
            column: COLUMNS[column] as string,
            value: column === 2 ? { n: spec.value } : spec.value,
          })),
    hlc,
    deltaId: `${spec.hlc}-${spec.client}-${spec.row}-${spec.op}`.padEnd(64, '0'),
  };
}

describe('SessionWatch against its first version', () => {
  test.prop([fc.array(stepArb, { maxLength: 25 })], { numRuns: 400 })(
    'reports the same problems, in the same order, with the same messages',
    (steps) => {
      const deliveries = new DeliveryRecord();
      const fast = new SessionWatch('bob#1', deliveries);
      const reference = new SessionWatchByMaps('bob#1');
      const otherFast = new SessionWatch('eve#2', deliveries);
      const otherReference = new SessionWatchByMaps('eve#2');
      let replica = new Replica();
      const otherReplica = new Replica();
      const merged: RowDelta[] = [];
      let last: RowDelta[] = [];
      let atMs = 0;
      for (const step of steps) {
        atMs += 10;
        if (step.kind === 'swap') {
          // A replica rebuilt from an older snapshot: only some of what was merged.
          replica = new Replica();
          const keep = merged.length === 0 ? 0 : step.keep % (merged.length + 1);
          for (const delta of merged.slice(0, keep)) replica.merge(delta);
          continue;
        }
        const deltas =
          step.kind === 'again'
            ? last
            : step.deltas
                .map(toDelta)
                .slice(0, step.kind === 'batch' && step.source === 'write' ? 1 : undefined);
        if (deltas.length === 0) continue;
        const source = step.kind === 'again' ? 'pull' : step.source;
        if (step.kind === 'again' || step.merge) {
          for (const delta of deltas) {
            replica.merge(delta);
            merged.push(delta);
          }
        }
        last = deltas;
        const event = {
          source,
          deltas,
          gatewayEpoch: (BigInt(step.epoch) << 16n) as HLCTimestamp,
          replica,
        };
        expect(fast.applied(event, atMs)).toEqual(reference.applied(event, atMs));
        expect(fast.redeliveries).toBe(reference.redeliveries);
        // The other session pulls the same deltas, in the other epoch, from its own replica.
        const otherEvent = {
          source: 'pull' as const,
          deltas,
          gatewayEpoch: (BigInt(3 - step.epoch) << 16n) as HLCTimestamp,
          replica: otherReplica,
        };
        for (const delta of deltas) otherReplica.merge(delta);
        expect(otherFast.applied(otherEvent, atMs)).toEqual(
          otherReference.applied(otherEvent, atMs),
        );
        expect(otherFast.redeliveries).toBe(otherReference.redeliveries);
      }
    },
  );
});
