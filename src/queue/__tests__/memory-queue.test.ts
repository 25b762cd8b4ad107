import { describe, expect, it } from 'vitest';
import { MemoryQueue } from '../memory-queue';
import { DEFAULT_QUEUE_OPTIONS } from '../types';
import { delta, hlc, ok, pushAll, statuses } from './fixtures';
import { describeQueueContract } from './queue-contract';

describeQueueContract('MemoryQueue', async (options) => new MemoryQueue(options));

describe('MemoryQueue', () => {
  it('defaults to DEFAULT_QUEUE_OPTIONS and refuses a bound that is not a positive integer', () => {
    expect(new MemoryQueue().options).toEqual(DEFAULT_QUEUE_OPTIONS);
    expect(new MemoryQueue({ entriesMax: 5 }).options.entriesMax).toBe(5);
    for (const entriesMax of [0, -1, 2.5, Number.NaN]) {
      expect(() => new MemoryQueue({ entriesMax })).toThrow(/entriesMax/);
    }
  });

  it('keeps its whole state when handed to a restarted client (the same object)', async () => {
    const queue = new MemoryQueue();
    await pushAll(queue, [1, 2, 3, 4]);
    ok(await queue.claim(3));
    ok(await queue.ack([delta(1).deltaId]));
    ok(await queue.removeDurable(hlc(1)));
    const before = ok(await queue.entries());
    // A restarted client finds the sending entries and puts them back, as SyncClient.open does.
    const sending = before.filter((entry) => entry.status === 'sending').map((entry) => entry.id);
    ok(await queue.nack(sending));
    expect(await statuses(queue)).toEqual([
      [delta(2).deltaId, 'pending'],
      [delta(3).deltaId, 'pending'],
      [delta(4).deltaId, 'pending'],
    ]);
    expect(ok(await queue.lastHlc())).toBe(hlc(4));
    expect(ok(await queue.push(delta(5))).seq).toBeGreaterThan(before.at(-1)!.seq);
  });

  it('switches between its ordered and unordered paths without losing track', async () => {
    const queue = new MemoryQueue();
    await pushAll(queue, [10, 11, 3, 12]);
    ok(await queue.claim(4));
    ok(await queue.ack([10, 11, 3, 12].map((n) => delta(n).deltaId)));
    expect(ok(await queue.removeDurable(hlc(3)))).toBe(1);
    // Back in HLC order: the cheap paths apply again and must agree with a full scan.
    await pushAll(queue, [13, 14]);
    expect(ok(await queue.reopen(hlc(11)))).toBe(1);
    expect(ok(await queue.removeDurable(hlc(12)))).toBe(3);
    expect((await statuses(queue)).map(([id, status]) => [id.slice(-1), status])).toEqual([
      ['d', 'pending'],
      ['e', 'pending'],
    ]);
  });
});
