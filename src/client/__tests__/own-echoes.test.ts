import { describe, expect, it } from 'vitest';
import { makeDelta } from '../../delta/delta-id';
import type { RowDelta } from '../../delta/types';
import type { HLCTimestamp } from '../../hlc/types';
import type { QueueEntry } from '../../queue/types';
import { OwnEchoes } from '../own-echoes';

function write(clientId: string, hlc: number): RowDelta {
  return makeDelta({
    op: 'UPDATE',
    table: 'todos',
    rowId: `r${hlc}`,
    clientId,
    columns: [{ column: 'title', value: `t${hlc}` }],
    hlc: BigInt(hlc) as HLCTimestamp,
  });
}

function entry(delta: RowDelta, seq: number): QueueEntry {
  return { id: delta.deltaId, delta, status: 'pending', seq, retryCount: 0 };
}

describe('OwnEchoes', () => {
  it('remembers only the watched entries whose own delta came back, nothing else', () => {
    const [a, b, c] = [write('alice', 1), write('alice', 2), write('alice', 3)];
    const echoes = new OwnEchoes('alice');
    echoes.watch([entry(a, 1), entry(b, 2)]);
    expect(echoes.size).toBe(2);
    // Others' deltas and own deltas the outbox never held at open add nothing.
    echoes.notePage([write('bob', 1), c, write('alice', 9), b], false, false);
    expect(echoes.has(b.deltaId)).toBe(true);
    expect(echoes.has(a.deltaId)).toBe(false);
    expect(echoes.has(c.deltaId)).toBe(false);
    expect(echoes.size).toBe(2);
  });

  it('is at the head only after a page that says no more, and inexact for good after a snapshot', () => {
    const echoes = new OwnEchoes('alice');
    expect(echoes.atHead).toBe(false);
    echoes.notePage([], false, true);
    expect(echoes.atHead).toBe(false);
    echoes.notePage([], false, false);
    expect([echoes.atHead, echoes.exact]).toEqual([true, true]);
    echoes.notePage([], true, false);
    echoes.notePage([], false, false);
    expect([echoes.atHead, echoes.exact]).toEqual([true, false]);
  });

  it('shrinks as entries become durable or are stamped again', () => {
    const deltas = [1, 2, 3, 4].map((hlc) => write('alice', hlc));
    const echoes = new OwnEchoes('alice');
    echoes.watch(deltas.map((delta, index) => entry(delta, index + 1)));
    echoes.notePage([deltas[0] as RowDelta, deltas[2] as RowDelta], false, false);
    echoes.forgetDurable(2n as HLCTimestamp);
    expect(echoes.size).toBe(2);
    expect(echoes.has((deltas[2] as RowDelta).deltaId)).toBe(true);
    echoes.forget((deltas[3] as RowDelta).deltaId);
    echoes.forgetDurable(3n as HLCTimestamp);
    expect(echoes.size).toBe(0);
  });
});
