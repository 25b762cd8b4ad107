import { describe, expect, it } from 'vitest';
import type { HLCTimestamp } from '../../hlc/types';
import { MemoryQueue } from '../memory-queue';
import type { QueueCheckpoint } from '../queue-checkpoint';
import { delta, expectQueueError, hlc, idOf, ids, ok, pushAll, statuses } from './fixtures';

/** A queue with one entry of each state and a `lastHlc` above every held entry. */
async function busyQueue(): Promise<MemoryQueue> {
  const queue = new MemoryQueue();
  await pushAll(queue, [1, 2, 3, 4, 5]);
  ok(await queue.claimBatch(2));
  ok(await queue.ack([idOf(1), idOf(2)]));
  ok(await queue.removeDurable(hlc(1)));
  ok(await queue.claimBatch(1));
  ok(await queue.nack([idOf(3)]));
  ok(await queue.claimBatch(1));
  return queue; // 2 accepted, 3 sending (retried once), 4 and 5 pending; lastHlc 5
}

describe('MemoryQueue checkpoint and restore (a backup of the device)', () => {
  it('restores exactly the state at the checkpoint, whatever the queue did since', async () => {
    const queue = await busyQueue();
    const checkpoint = queue.checkpoint();
    const then = ok(await queue.entries());
    ok(await queue.ack([idOf(3)]));
    ok(await queue.push(delta(6)));
    ok(await queue.removeDurable(hlc(4)));

    const restored = ok(MemoryQueue.restore(checkpoint));

    expect(ok(await restored.entries())).toEqual(then);
    expect(await statuses(restored)).toEqual([
      [idOf(2), 'accepted'],
      [idOf(3), 'sending'],
      [idOf(4), 'pending'],
      [idOf(5), 'pending'],
    ]);
    expect(ok(await restored.lastHlc())).toBe(hlc(5));
    expect(ids(ok(await queue.entries()))).toEqual([idOf(5), idOf(6)]);
    // The restored queue goes on from the checkpoint's seq, and is independent of the original.
    expect(ok(await restored.push(delta(7))).seq).toBe(6);
    expect(ids(ok(await restored.peek(10)))).toEqual([idOf(4), idOf(5), idOf(7)]);
    ok(await restored.reopen(hlc(1)));
    expect(await statuses(queue)).toEqual([
      [idOf(5), 'pending'],
      [idOf(6), 'pending'],
    ]);
  });

  it('keeps a lastHlc above every held entry (entries removed before the checkpoint)', async () => {
    const queue = new MemoryQueue();
    await pushAll(queue, [1, 2]);
    ok(await queue.removeDurable(hlc(2)));
    const restored = ok(MemoryQueue.restore(queue.checkpoint()));
    expect(ok(await restored.depth())).toBe(0);
    expect(ok(await restored.lastHlc())).toBe(hlc(2));
  });

  it('refuses a checkpoint no queue could have taken', async () => {
    const good = (await busyQueue()).checkpoint();
    const [first, second] = good.entries;
    const bad: Array<[QueueCheckpoint, RegExp]> = [
      [{ ...good, lastHlc: hlc(4) }, /above its lastHlc/],
      [{ ...good, lastHlc: null }, /no lastHlc/],
      [{ ...good, lastHlc: -1n as HLCTimestamp }, /lastHlc/],
      [{ ...good, nextSeq: 3 }, /seq order/],
      [{ ...good, entries: [second!, first!] }, /seq order/],
      [{ ...good, entries: [first!, first!] }, /twice/],
      [{ ...good, entries: [{ ...first!, id: idOf(9) }] }, /mislabelled/],
      [{ ...good, entries: [{ ...first!, retryCount: -1 }] }, /retryCount/],
      [{ ...good, entries: [{ ...first!, status: 'lost' as 'pending' }] }, /status/],
    ];
    for (const [checkpoint, pattern] of bad) {
      expectQueueError(MemoryQueue.restore(checkpoint), pattern);
    }
    expectQueueError(MemoryQueue.restore(good, { entriesMax: 2 }), /over 2/);
  });
});
