import { expect, it } from 'vitest';
import { expectQueueError, hlc, idOf, ids, ok, pushAll, statuses } from './fixtures';
import type { QueueFactory } from './queue-contract';

/**
 * The `claimBatch` part of the `SyncQueue` contract: a run of pending entries adjacent in push
 * order, marked sending at once, with the HLC of the entry just before it.
 */
export function defineBatchContract(open: QueueFactory): void {
  it('claimBatch takes the oldest pending run and names the entry before it', async () => {
    const queue = await open();
    const pushed = await pushAll(queue, [1, 2, 3, 4, 5]);
    const first = ok(await queue.claimBatch(2));
    expect(ids(first.entries)).toEqual(pushed.slice(0, 2));
    expect(first.baseHlc).toBe(hlc(0));
    expect(first.entries.every((entry) => entry.status === 'sending')).toBe(true);
    const second = ok(await queue.claimBatch(10));
    expect(ids(second.entries)).toEqual(pushed.slice(2));
    expect(second.baseHlc).toBe(hlc(2));
    expect(ok(await queue.peek(10))).toEqual([]);
    expect(ok(await queue.claimBatch(3))).toEqual({ entries: [], baseHlc: hlc(0) });
  });

  it('claimBatch stops at the first entry that is not pending, which stays as it is', async () => {
    const queue = await open();
    const pushed = await pushAll(queue, [1, 2, 3, 4, 5, 6]);
    ok(await queue.markSending([idOf(3)]));
    const before = ok(await queue.claimBatch(10));
    expect(ids(before.entries)).toEqual(pushed.slice(0, 2));
    expect(before.baseHlc).toBe(hlc(0));
    const after = ok(await queue.claimBatch(10));
    expect(ids(after.entries)).toEqual(pushed.slice(3));
    expect(after.baseHlc).toBe(hlc(3));
    expect(ok(await queue.entries()).map((entry) => entry.retryCount)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('claimBatch counts accepted entries before the batch and forgets removed ones', async () => {
    const queue = await open();
    await pushAll(queue, [1, 2, 3, 4]);
    ok(await queue.claimBatch(2));
    ok(await queue.ack([idOf(1)]));
    ok(await queue.nack([idOf(2)]));
    const retried = ok(await queue.claimBatch(10));
    expect(ids(retried.entries)).toEqual([idOf(2), idOf(3), idOf(4)]);
    expect(retried.entries[0]?.retryCount).toBe(1);
    expect(retried.baseHlc).toBe(hlc(1));
    ok(await queue.nack([idOf(3), idOf(4)]));
    ok(await queue.removeDurable(hlc(2)));
    const rest = ok(await queue.claimBatch(10));
    expect(ids(rest.entries)).toEqual([idOf(3), idOf(4)]);
    expect(rest.baseHlc).toBe(hlc(0));
  });

  it('claimBatch with limit 0 changes nothing; a bad limit is a QueueError', async () => {
    const queue = await open();
    await pushAll(queue, [1, 2]);
    expect(ok(await queue.claimBatch(0))).toEqual({ entries: [], baseHlc: hlc(0) });
    expect((await statuses(queue)).map(([, status]) => status)).toEqual(['pending', 'pending']);
    expectQueueError(await queue.claimBatch(-1), /limit/);
    expectQueueError(await queue.claimBatch(1.5), /limit/);
  });

  it('concurrent claimBatch calls take disjoint runs that together cover every entry', async () => {
    const queue = await open();
    const pushed = await pushAll(queue, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const batches = await Promise.all([1, 2, 3, 4].map(() => queue.claimBatch(3)));
    const claimed = batches.flatMap((batch) => ids(ok(batch).entries));
    expect(claimed).toHaveLength(10);
    expect([...claimed].sort()).toEqual([...pushed].sort());
    const bases = batches.map((batch) => ok(batch).baseHlc).sort((a, b) => Number(a - b));
    expect(bases).toEqual([hlc(0), hlc(3), hlc(6), hlc(9)]);
  });
}
