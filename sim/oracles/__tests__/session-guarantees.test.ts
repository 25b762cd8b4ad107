import { describe, expect, it } from 'vitest';
import { Replica } from '../../../src/client/replica';
import type { ReplicaEvent, ReplicaSource } from '../../../src/client/replica-event';
import type { RowDelta } from '../../../src/delta/types';
import type { HLCTimestamp } from '../../../src/hlc/types';
import { SessionWatch } from '../session-guarantees';

const hlc = (n: number): HLCTimestamp => (BigInt(n) << 16n) as HLCTimestamp;
const EPOCH = hlc(1);

function delta(n: number, fields: Partial<RowDelta> = {}): RowDelta {
  return {
    op: 'UPDATE',
    table: 'todos',
    rowId: 't1',
    clientId: 'bob',
    columns: [{ column: 'title', value: `v${n}` }],
    hlc: hlc(n),
    deltaId: `d${n}`.padEnd(64, '0'),
    ...fields,
  };
}

/** Merges `deltas` into `replica` (unless `merge` is false) and reports them to `watch`. */
function feed(
  watch: SessionWatch,
  replica: Replica,
  source: ReplicaSource,
  deltas: RowDelta[],
  options: { merge?: boolean; epoch?: HLCTimestamp } = {},
) {
  if (options.merge !== false) for (const d of deltas) replica.merge(d);
  const event: ReplicaEvent = { source, deltas, gatewayEpoch: options.epoch ?? EPOCH, replica };
  return watch.applied(event, 1_234);
}

describe('session-guarantee oracles', () => {
  it('pass a correct session: pulls, a write above them, a delete, a redelivery in a new epoch', () => {
    const watch = new SessionWatch('bob#1');
    const replica = new Replica();
    expect(feed(watch, replica, 'pull', [delta(10, { clientId: 'alice' })])).toEqual([]);
    expect(feed(watch, replica, 'write', [delta(11)])).toEqual([]);
    expect(feed(watch, replica, 'write', [delta(12, { op: 'DELETE', columns: [] })])).toEqual([]);
    const again = delta(10, { clientId: 'alice' });
    expect(feed(watch, replica, 'snapshot', [again], { epoch: hlc(2) })).toEqual([]);
    expect(feed(watch, replica, 'pull', [again], { epoch: hlc(2) })).toEqual([]);
    expect(watch.redeliveries).toBe(0);
  });

  it('catches a write stamped below what the writer showed (the lost edit), naming both versions', () => {
    const watch = new SessionWatch('bob#1');
    const replica = new Replica();
    feed(watch, replica, 'pull', [delta(20, { clientId: 'alice' })]);
    const problems = feed(watch, replica, 'write', [delta(17)]);
    expect(problems.map((p) => p.oracle)).toEqual(['writes-follow-reads']);
    expect(problems[0]?.message).toMatch(
      /bob#1 row todos:t1 at 1234 ms: UPDATE stamped 17\.0\/bob, not above 20\.0\/alice/,
    );
  });

  it('catches a write the replica does not show', () => {
    const watch = new SessionWatch('bob#1');
    const replica = new Replica();
    feed(watch, replica, 'pull', [delta(5, { clientId: 'alice' })]);
    const problems = feed(watch, replica, 'write', [delta(6)], { merge: false });
    expect(problems.map((p) => p.oracle)).toEqual(['read-your-writes']);
    expect(problems[0]?.message).toMatch(/"title" = "v5" instead of "v6"/);
  });

  it('catches a column going back, and a row vanishing at a snapshot page that does not touch it', () => {
    const watch = new SessionWatch('bob#1');
    let replica = new Replica();
    feed(watch, replica, 'pull', [delta(9, { clientId: 'alice' }), delta(3, { rowId: 't2' })]);
    replica = new Replica(); // a replica rebuilt from an older snapshot
    const older = delta(4, { clientId: 'alice' });
    const problems = feed(watch, replica, 'snapshot', [older]);
    expect(problems.map((p) => p.oracle)).toEqual(['monotonic-reads', 'monotonic-reads']);
    expect(problems[0]?.message).toMatch(
      /todos:t1 .*went back from version 9\.0\/alice to 4\.0\/alice/,
    );
    expect(problems[1]?.message).toMatch(/todos:t2 .*went back from version 3\.0\/bob to nothing/);
  });

  it('counts a delta delivered twice by the log within one epoch, reporting once', () => {
    const watch = new SessionWatch('bob#1');
    const replica = new Replica();
    const d = delta(7, { clientId: 'alice' });
    expect(feed(watch, replica, 'pull', [d])).toEqual([]);
    const problems = feed(watch, replica, 'pull', [d]);
    expect(problems.map((p) => p.oracle)).toEqual(['redelivery']);
    expect(feed(watch, replica, 'pull', [d])).toEqual([]);
    expect(watch.redeliveries).toBe(2);
  });
});
