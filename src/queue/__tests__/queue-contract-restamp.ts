import { expect, it } from 'vitest';
import type { RowDelta } from '../../delta/types';
import type { HLCTimestamp } from '../../hlc/types';
import type { Restamp, SyncQueue } from '../types';
import { delta, expectQueueError, hlc, idOf, ids, ok, pushAll, statuses } from './fixtures';
import type { QueueFactory } from './queue-contract';

/** Delta number `n` stamped again at `hlc(stamp)`, under the id of `stamp`. */
function restamped(n: number, stamp: number): RowDelta {
  return delta(n, { hlc: hlc(stamp), deltaId: idOf(stamp) });
}

/** The replacement of entry `n` by delta `n` stamped at `stamp`. */
const replace = (n: number, stamp: number): Restamp => ({
  id: idOf(n),
  delta: restamped(n, stamp),
});

/**
 * The `restamp` part of the `SyncQueue` contract: entries replaced in place, all or none, never
 * while a loop has one in flight.
 */
export function defineRestampContract(open: QueueFactory): void {
  it('restamp replaces entries in place: same seq and order, new id and HLC, pending', async () => {
    const queue = await open();
    await pushAll(queue, [1, 2, 3, 4]);
    const positions = ok(await queue.entries()).map((entry) => entry.seq);
    ok(await queue.claimBatch(1));
    ok(await queue.ack([idOf(1)]));
    ok(await queue.claimBatch(1));
    ok(await queue.nack([idOf(2)]));
    expect(ok(await queue.restamp([replace(2, 102), replace(3, 103), replace(4, 104)]))).toBe(3);
    const after = ok(await queue.entries());
    expect(ids(after)).toEqual([idOf(1), idOf(102), idOf(103), idOf(104)]);
    expect(after.map((entry) => entry.seq)).toEqual(positions);
    expect(after.map((entry) => entry.status)).toEqual([
      'accepted',
      'pending',
      'pending',
      'pending',
    ]);
    expect(after.map((entry) => entry.retryCount)).toEqual([0, 1, 0, 0]);
    expect(after[2]?.delta).toEqual(restamped(3, 103));
    expect(ok(await queue.lastHlc())).toBe(hlc(104));
    const batch = ok(await queue.claimBatch(10));
    expect(ids(batch.entries)).toEqual([idOf(102), idOf(103), idOf(104)]);
    expect(batch.baseHlc).toBe(hlc(1));
  });

  it('restamp turns accepted entries pending; the watermarks then see the new HLCs', async () => {
    const queue = await open();
    await pushAll(queue, [1, 2, 3]);
    ok(await queue.claimBatch(3));
    ok(await queue.ack([idOf(1), idOf(2), idOf(3)]));
    ok(await queue.restamp([replace(2, 52), replace(3, 53)]));
    expect(await statuses(queue)).toEqual([
      [idOf(1), 'accepted'],
      [idOf(52), 'pending'],
      [idOf(53), 'pending'],
    ]);
    expect(ok(await queue.removeDurable(hlc(3)))).toBe(1);
    expect(ok(await queue.reopen(hlc(3)))).toBe(0);
    expect(ids(ok(await queue.peek(10)))).toEqual([idOf(52), idOf(53)]);
    expect(ok(await queue.removeDurable(hlc(52)))).toBe(1);
    expect(ids(ok(await queue.entries()))).toEqual([idOf(53)]);
  });

  it('restamp refuses an entry in flight, and changes nothing', async () => {
    const queue = await open();
    await pushAll(queue, [1, 2, 3]);
    ok(await queue.markSending([idOf(3)]));
    expectQueueError(await queue.restamp([replace(2, 12), replace(3, 13)]), /sending/);
    expect(await statuses(queue)).toEqual([
      [idOf(1), 'pending'],
      [idOf(2), 'pending'],
      [idOf(3), 'sending'],
    ]);
    expect(ok(await queue.lastHlc())).toBe(hlc(3));
  });

  it('restamp is all or none: unknown, repeated or clashing ids and bad deltas refuse', async () => {
    const queue = await open();
    await pushAll(queue, [1, 2, 3]);
    expectQueueError(await queue.restamp([replace(2, 12), replace(9, 19)]), /not queued/);
    expectQueueError(await queue.restamp([replace(2, 12), replace(2, 13)]), /twice/);
    expectQueueError(
      await queue.restamp([replace(1, 21), { id: idOf(2), delta: restamped(2, 21) }]),
      /share deltaId/,
    );
    // The new id of entry 1 would be entry 3's, which stays.
    expectQueueError(await queue.restamp([replace(1, 3)]), /already queued/);
    const bad = { id: idOf(1), delta: { ...restamped(1, 11), hlc: -1n } } as unknown as Restamp;
    expectQueueError(await queue.restamp([bad]), /hlc/);
    expectQueueError(await queue.restamp('x' as unknown as Restamp[]), /array/);
    expect(ids(ok(await queue.entries()))).toEqual([idOf(1), idOf(2), idOf(3)]);
    expect(ok(await queue.lastHlc())).toBe(hlc(3));
    expect(ok(await queue.restamp([]))).toBe(0);
  });

  it('restamp may reuse the id of an entry it replaces in the same call', async () => {
    const queue = await open();
    await pushAll(queue, [1, 2]);
    // Entry 1 takes entry 2's id, entry 2 a new one: both old ids go before the new ones land.
    ok(await queue.restamp([replace(1, 2), replace(2, 40)]));
    expect(ids(ok(await queue.entries()))).toEqual([idOf(2), idOf(40)]);
    expect(ok(await queue.entries())[0]?.delta.rowId).toBe('row-1');
  });

  it('restamp holds entries the gateway has: accepted, same delta, id, seq and retries', async () => {
    const queue = await open();
    await pushAll(queue, [1, 2, 3, 4]);
    ok(await queue.claimBatch(1));
    ok(await queue.nack([idOf(1)]));
    const before = ok(await queue.entries());
    expect(
      ok(await queue.restamp([replace(3, 103), replace(4, 104)], { held: [idOf(1), idOf(2)] })),
    ).toBe(2);
    const after = ok(await queue.entries());
    expect(await statuses(queue)).toEqual([
      [idOf(1), 'accepted'],
      [idOf(2), 'accepted'],
      [idOf(103), 'pending'],
      [idOf(104), 'pending'],
    ]);
    expect(after.slice(0, 2).map((entry) => [entry.delta, entry.seq, entry.retryCount])).toEqual(
      before.slice(0, 2).map((entry) => [entry.delta, entry.seq, entry.retryCount]),
    );
    expect(after[0]?.retryCount).toBe(1);
    // Held entries are neither claimed nor sent again; the watermarks treat them as accepted.
    const batch = ok(await queue.claimBatch(10));
    expect(ids(batch.entries)).toEqual([idOf(103), idOf(104)]);
    expect(batch.baseHlc).toBe(hlc(2));
    expect(ok(await queue.reopen(hlc(2)))).toBe(0);
    expect(ok(await queue.removeDurable(hlc(2)))).toBe(2);
  });

  it('restamp with only held entries and a floor: lastHlc rises to the watermark', async () => {
    const queue = await open();
    await pushAll(queue, [1, 2]);
    expect(ok(await queue.restamp([], { held: [idOf(1), idOf(2)], lastHlcMin: hlc(50) }))).toBe(0);
    expect(await statuses(queue)).toEqual([
      [idOf(1), 'accepted'],
      [idOf(2), 'accepted'],
    ]);
    expect(ok(await queue.peek(10))).toEqual([]);
    expect(ok(await queue.lastHlc())).toBe(hlc(50));
    // A floor below lastHlc lowers nothing; a held accepted entry stays as it is.
    ok(await queue.restamp([], { held: [idOf(1)], lastHlcMin: hlc(7) }));
    expect(ok(await queue.lastHlc())).toBe(hlc(50));
    expect(await statuses(queue)).toEqual([
      [idOf(1), 'accepted'],
      [idOf(2), 'accepted'],
    ]);
  });

  it('restamp refuses bad held ids, all or none', async () => {
    const queue = await open();
    await pushAll(queue, [1, 2, 3]);
    ok(await queue.markSending([idOf(3)]));
    const cases: Array<[Parameters<SyncQueue['restamp']>[1], RegExp]> = [
      [{ held: [idOf(9)] }, /not queued/],
      [{ held: [idOf(3)] }, /sending/],
      [{ held: [idOf(1), idOf(1)] }, /held twice/],
      [{ held: [idOf(2)] }, /held and restamped/],
      [{ held: 'x' as unknown as string[] }, /array/],
      [{ lastHlcMin: -1n as HLCTimestamp }, /lastHlcMin/],
    ];
    for (const [options, pattern] of cases) {
      expectQueueError(await queue.restamp([replace(2, 12)], options), pattern);
    }
    expect(await statuses(queue)).toEqual([
      [idOf(1), 'pending'],
      [idOf(2), 'pending'],
      [idOf(3), 'sending'],
    ]);
    expect(ok(await queue.lastHlc())).toBe(hlc(3));
  });

  it('restamp and claimBatch at once: one wins, the batch never holds a replaced id', async () => {
    const queue = await open();
    await pushAll(queue, [1, 2, 3]);
    const [claimed, done] = await Promise.all([
      queue.claimBatch(10),
      queue.restamp([replace(1, 31), replace(2, 32), replace(3, 33)]),
    ]);
    const batch = ids(ok(claimed).entries);
    if (done.ok) expect(batch).toEqual([idOf(31), idOf(32), idOf(33)]);
    else expect(batch).toEqual([idOf(1), idOf(2), idOf(3)]);
    expect(ok(await queue.depth())).toBe(3);
  });
}
