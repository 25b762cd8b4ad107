import { expect, it } from 'vitest';
import { OUTBOX_START, type OutboxMark } from '../types';
import { delta, expectQueueError, hlc, idOf, ids, ok, pushAll } from './fixtures';
import type { QueueFactory } from './queue-contract';

/**
 * The `entriesSince` part of the `SyncQueue` contract: a reader reads each entry once, in push
 * order, and reads everything again after a restamp (the same seq, a new delta).
 */
export function defineSinceContract(open: QueueFactory): void {
  it('entriesSince from the start reads every entry, whatever its state, and marks the last seq', async () => {
    const queue = await open();
    const pushed = await pushAll(queue, [3, 1, 2]);
    ok(await queue.claimBatch(1));
    const read = ok(await queue.entriesSince(OUTBOX_START));
    expect(read.complete).toBe(true);
    expect(ids(read.entries)).toEqual(pushed);
    expect(read.entries[0]?.status).toBe('sending');
    expect(read.mark.seq).toBe(read.entries[2]?.seq);
    expect(read.mark.restamps).not.toBeNull();
  });

  it('entriesSince from a mark reads only the entries pushed after it', async () => {
    const queue = await open();
    await pushAll(queue, [1, 2]);
    const first = ok(await queue.entriesSince(OUTBOX_START));
    const later = await pushAll(queue, [3, 4]);
    ok(await queue.claimBatch(1)); // a status change is no delta change: not read again
    const next = ok(await queue.entriesSince(first.mark));
    expect(next.complete).toBe(false);
    expect(ids(next.entries)).toEqual(later);
    const none = ok(await queue.entriesSince(next.mark));
    expect(none).toEqual({ entries: [], complete: false, mark: next.mark });
  });

  it('entriesSince: a mark covers removed entries, and clear keeps seq rising', async () => {
    const queue = await open();
    await pushAll(queue, [1, 2, 3]);
    ok(await queue.removeDurable(hlc(3)));
    const empty = ok(await queue.entriesSince(OUTBOX_START));
    expect(empty.entries).toEqual([]);
    await pushAll(queue, [4]);
    ok(await queue.clear());
    const [b] = await pushAll(queue, [5]);
    const read = ok(await queue.entriesSince(empty.mark));
    expect(ids(read.entries)).toEqual([b]);
    expect(read.entries[0]?.seq).toBeGreaterThan(empty.mark.seq);
  });

  it('entriesSince reads everything again after a restamp replaced a delta', async () => {
    const queue = await open();
    await pushAll(queue, [1, 2, 3]);
    const before = ok(await queue.entriesSince(OUTBOX_START));
    const stamped = delta(2, { hlc: hlc(50), deltaId: idOf(50) });
    expect(ok(await queue.restamp([{ id: idOf(2), delta: stamped }]))).toBe(1);
    const after = ok(await queue.entriesSince(before.mark));
    expect(after.complete).toBe(true);
    expect(ids(after.entries)).toEqual([idOf(1), idOf(50), idOf(3)]);
    expect(after.entries[1]?.delta).toEqual(stamped);
    expect(after.mark.restamps).not.toBe(before.mark.restamps);
    // Once read, the restamp is behind the reader: back to reading only what is new.
    const [next] = await pushAll(queue, [60]);
    const again = ok(await queue.entriesSince(after.mark));
    expect(again.complete).toBe(false);
    expect(ids(again.entries)).toEqual([next]);
  });

  it('entriesSince: a restamp that replaces nothing changes no delta, so reads stay partial', async () => {
    const queue = await open();
    await pushAll(queue, [1, 2]);
    const before = ok(await queue.entriesSince(OUTBOX_START));
    ok(await queue.restamp([], { held: [idOf(1)], lastHlcMin: hlc(40) }));
    const after = ok(await queue.entriesSince(before.mark));
    expect(after).toEqual({ entries: [], complete: false, mark: before.mark });
  });

  it('entriesSince: the first push names the incarnation, which nothing after it changes', async () => {
    const queue = await open();
    expect(ok(await queue.entriesSince(OUTBOX_START)).mark.incarnation).toBeNull();
    await pushAll(queue, [1, 2]);
    const first = ok(await queue.entriesSince(OUTBOX_START)).mark;
    expect(first.incarnation).toBe(idOf(1));
    ok(
      await queue.restamp([{ id: idOf(1), delta: delta(1, { hlc: hlc(30), deltaId: idOf(30) }) }]),
    );
    ok(await queue.removeDurable(hlc(30)));
    ok(await queue.clear());
    await pushAll(queue, [40]);
    expect(ok(await queue.entriesSince(first)).mark.incarnation).toBe(idOf(1));
  });

  it('entriesSince: a mark from another outbox reads everything, even past its seq', async () => {
    const old = await open();
    await pushAll(old, [1, 2, 3]);
    const mark = ok(await old.entriesSince(OUTBOX_START)).mark;
    // A new outbox (a database created again): its seqs start at 1 and pass the old mark's.
    const renewed = await open();
    const pushed = await pushAll(renewed, [11, 12, 13, 14, 15]);
    const read = ok(await renewed.entriesSince(mark));
    expect(read.complete).toBe(true);
    expect(ids(read.entries)).toEqual(pushed);
    expect(read.mark.incarnation).toBe(idOf(11));
    expect(ok(await renewed.entriesSince(read.mark)).complete).toBe(false);
  });

  it('entriesSince: a mark beyond every seq handed out reads everything', async () => {
    const queue = await open();
    const pushed = await pushAll(queue, [1, 2]);
    const { mark } = ok(await queue.entriesSince(OUTBOX_START));
    const read = ok(await queue.entriesSince({ ...mark, seq: mark.seq + 5 }));
    expect(read.complete).toBe(true);
    expect(ids(read.entries)).toEqual(pushed);
    expect(read.mark).toEqual(mark);
  });

  it('entriesSince refuses what is not a mark, and reads nothing', async () => {
    const queue = await open();
    await pushAll(queue, [1]);
    const bad: unknown[] = [
      null,
      7,
      { seq: -1, restamps: 0, incarnation: null },
      { seq: 1.5, restamps: 0, incarnation: null },
      { seq: 0, restamps: -1, incarnation: null },
      { seq: 0, restamps: '0', incarnation: null },
      { seq: 0 },
      { seq: 0, restamps: 0 },
      { seq: 0, restamps: 0, incarnation: 7 },
    ];
    for (const since of bad) {
      expectQueueError(await queue.entriesSince(since as OutboxMark), /mark/);
    }
  });
}
