import { describe, expect, it } from 'vitest';
import type { QueueOptions, SyncQueue } from '../types';
import { delta, expectQueueError, hlc, idOf, ids, ok, pushAll, statuses } from './fixtures';
import { defineBatchContract } from './queue-contract-batch';
import { defineEdgeContract } from './queue-contract-edges';
import { defineRestampContract } from './queue-contract-restamp';
import { defineSinceContract } from './queue-contract-since';

/** Opens a fresh, empty queue with the given options; the caller's file disposes of it. */
export type QueueFactory = (options?: Partial<QueueOptions>) => Promise<SyncQueue>;

/**
 * Registers the `SyncQueue` contract suite for one implementation. Both `MemoryQueue` and
 * `IdbQueue` run exactly these tests, so they cannot drift apart.
 */
export function describeQueueContract(label: string, open: QueueFactory): void {
  describe(`${label}: SyncQueue contract`, () => {
    defineLifecycleContract(open);
    defineConcurrencyContract(open);
    defineEdgeContract(open);
    defineBatchContract(open);
    defineRestampContract(open);
    defineSinceContract(open);
  });
}

function defineLifecycleContract(open: QueueFactory): void {
  it('push adds a pending entry keyed by deltaId with no retries', async () => {
    const queue = await open();
    const entry = ok(await queue.push(delta(7)));
    expect(entry).toMatchObject({ id: idOf(7), status: 'pending', retryCount: 0 });
    expect(entry.delta).toEqual(delta(7));
    expect(typeof entry.delta.hlc).toBe('bigint');
    expect(ok(await queue.depth())).toBe(1);
  });

  it('peek returns pending entries in push order, not HLC order, with rising seq', async () => {
    const queue = await open();
    const pushed = await pushAll(queue, [30, 10, 20]);
    const peeked = ok(await queue.peek(10));
    expect(ids(peeked)).toEqual(pushed);
    expect(peeked[0]!.seq).toBeLessThan(peeked[1]!.seq);
    expect(peeked[1]!.seq).toBeLessThan(peeked[2]!.seq);
  });

  it('peek respects its limit and changes nothing', async () => {
    const queue = await open();
    const pushed = await pushAll(queue, [1, 2, 3, 4, 5]);
    expect(ids(ok(await queue.peek(2)))).toEqual(pushed.slice(0, 2));
    expect(ok(await queue.peek(0))).toEqual([]);
    expect(ids(ok(await queue.peek(2)))).toEqual(pushed.slice(0, 2));
    expect(ok(await queue.peek(99))).toHaveLength(5);
  });

  it('peek returns only pending entries', async () => {
    const queue = await open();
    const [a, b, c, d] = await pushAll(queue, [1, 2, 3, 4]);
    ok(await queue.markSending([a!, c!]));
    ok(await queue.markSending([b!]));
    ok(await queue.ack([b!]));
    expect(ids(ok(await queue.peek(10)))).toEqual([d]);
  });

  it('markSending moves pending entries to sending', async () => {
    const queue = await open();
    const [a, b, c] = await pushAll(queue, [1, 2, 3]);
    ok(await queue.markSending([c!, a!]));
    expect(await statuses(queue)).toEqual([
      [a, 'sending'],
      [b, 'pending'],
      [c, 'sending'],
    ]);
  });

  it('markSending is all or nothing: one id not pending refuses the whole batch', async () => {
    const queue = await open();
    const [a, b, c] = await pushAll(queue, [1, 2, 3]);
    ok(await queue.markSending([b!]));
    expectQueueError(await queue.markSending([a!, b!]), /sending/);
    expectQueueError(await queue.markSending([a!, idOf(99)]), /not queued/);
    expect(await statuses(queue)).toEqual([
      [a, 'pending'],
      [b, 'sending'],
      [c, 'pending'],
    ]);
    ok(await queue.markSending([a!, a!]));
    expect((await statuses(queue))[0]).toEqual([a, 'sending']);
  });

  it('claim takes the oldest pending entries and marks them sending', async () => {
    const queue = await open();
    const pushed = await pushAll(queue, [1, 2, 3, 4, 5]);
    const first = ok(await queue.claim(2));
    expect(ids(first)).toEqual(pushed.slice(0, 2));
    expect(first.every((entry) => entry.status === 'sending')).toBe(true);
    expect(ids(ok(await queue.claim(2)))).toEqual(pushed.slice(2, 4));
    expect(ids(ok(await queue.peek(10)))).toEqual(pushed.slice(4));
    expect(ok(await queue.claim(0))).toEqual([]);
  });

  it('ack moves sending to accepted and keeps the entry until it is durable', async () => {
    const queue = await open();
    const [a, b, c] = await pushAll(queue, [1, 2, 3]);
    ok(await queue.markSending([a!, b!]));
    ok(await queue.ack([a!, c!, idOf(404)]));
    expect(await statuses(queue)).toEqual([
      [a, 'accepted'],
      [b, 'sending'],
      [c, 'pending'],
    ]);
    expect(ok(await queue.depth())).toBe(3);
    expect(ids(ok(await queue.peek(10)))).toEqual([c]);
  });

  it('nack moves sending back to pending in its push position with retryCount + 1', async () => {
    const queue = await open();
    const [a, b, c] = await pushAll(queue, [1, 2, 3]);
    ok(await queue.claim(2));
    ok(await queue.nack([a!, c!, idOf(404)]));
    const peeked = ok(await queue.peek(10));
    expect(ids(peeked)).toEqual([a, c]);
    expect(peeked.map((entry) => entry.retryCount)).toEqual([1, 0]);
    ok(await queue.claim(1));
    ok(await queue.nack([a!]));
    expect(ok(await queue.peek(1))[0]).toMatchObject({ id: a, retryCount: 2, status: 'pending' });
    expect((await statuses(queue))[1]).toEqual([b, 'sending']);
  });

  it('nack and ack ignore entries that are not sending', async () => {
    const queue = await open();
    const [a, b] = await pushAll(queue, [1, 2]);
    ok(await queue.claim(1));
    ok(await queue.ack([a!]));
    ok(await queue.nack([a!, b!]));
    ok(await queue.ack([b!]));
    const entries = ok(await queue.entries());
    expect(entries.map((entry) => [entry.status, entry.retryCount])).toEqual([
      ['accepted', 0],
      ['pending', 0],
    ]);
  });

  it('depth counts entries in every state', async () => {
    const queue = await open();
    expect(ok(await queue.depth())).toBe(0);
    await pushAll(queue, [1, 2, 3, 4]);
    ok(await queue.claim(2));
    ok(await queue.ack([idOf(1)]));
    expect(ok(await queue.depth())).toBe(4);
  });

  it('clear empties the queue, keeps lastHlc and never reuses a seq', async () => {
    const queue = await open();
    await pushAll(queue, [5, 6]);
    ok(await queue.claim(1));
    const before = ok(await queue.entries());
    ok(await queue.clear());
    expect(ok(await queue.depth())).toBe(0);
    expect(ok(await queue.entries())).toEqual([]);
    expect(ok(await queue.peek(10))).toEqual([]);
    expect(ok(await queue.lastHlc())).toBe(hlc(6));
    const again = ok(await queue.push(delta(1)));
    expect(again.seq).toBeGreaterThan(Math.max(...before.map((entry) => entry.seq)));
  });

  it('push is idempotent by deltaId, whatever state the entry is in', async () => {
    const queue = await open();
    const first = ok(await queue.push(delta(1)));
    const second = ok(await queue.push(delta(1)));
    expect(second).toEqual(first);
    ok(await queue.claim(1));
    expect(ok(await queue.push(delta(1)))).toMatchObject({ status: 'sending', seq: first.seq });
    expect(ok(await queue.depth())).toBe(1);
  });

  it('removeDurable removes every entry with hlc <= the watermark, in any state', async () => {
    const queue = await open();
    const [a, b, , d, e, f] = await pushAll(queue, [1, 2, 3, 4, 5, 6]);
    ok(await queue.claim(4));
    ok(await queue.ack([a!, b!, e!]));
    ok(await queue.markSending([f!]));
    expect(ok(await queue.removeDurable(hlc(3)))).toBe(3);
    expect(await statuses(queue)).toEqual([
      [d, 'sending'],
      [e, 'pending'],
      [f, 'sending'],
    ]);
    expect(ok(await queue.removeDurable(hlc(3)))).toBe(0);
    expect(ok(await queue.removeDurable(hlc(100)))).toBe(3);
    expect(ok(await queue.depth())).toBe(0);
  });

  it('removeDurable is correct when HLCs do not rise in push order', async () => {
    const queue = await open();
    const [p5, , p8, , p9] = await pushAll(queue, [5, 2, 8, 1, 9]);
    ok(await queue.claim(2));
    ok(await queue.ack([p5!]));
    expect(ok(await queue.removeDurable(hlc(2)))).toBe(2);
    expect(await statuses(queue)).toEqual([
      [p5, 'accepted'],
      [p8, 'pending'],
      [p9, 'pending'],
    ]);
    expect(ids(ok(await queue.claim(5)))).toEqual([p8, p9]);
    expect(ok(await queue.removeDurable(hlc(8)))).toBe(2);
    expect(await statuses(queue)).toEqual([[p9, 'sending']]);
  });

  it('reopen moves only accepted entries above the watermark back to pending', async () => {
    const queue = await open();
    const [a, b, c, d, e] = await pushAll(queue, [1, 2, 3, 4, 5]);
    ok(await queue.claim(4));
    ok(await queue.ack([a!, b!, c!]));
    expect(ok(await queue.reopen(hlc(1)))).toBe(2);
    expect(await statuses(queue)).toEqual([
      [a, 'accepted'],
      [b, 'pending'],
      [c, 'pending'],
      [d, 'sending'],
      [e, 'pending'],
    ]);
    const peeked = ok(await queue.peek(10));
    expect(ids(peeked)).toEqual([b, c, e]);
    // Reopened entries are sent again: a retry each (`e` was never sent).
    expect(peeked.map((entry) => entry.retryCount)).toEqual([1, 1, 0]);
    expect(ok(await queue.reopen(hlc(0)))).toBe(1);
    expect(ok(await queue.reopen(hlc(0)))).toBe(0);
  });

  it('reopen is correct when HLCs do not rise in push order', async () => {
    const queue = await open();
    const [p7, p3, p9] = await pushAll(queue, [7, 3, 9]);
    ok(await queue.claim(3));
    ok(await queue.ack([p7!, p3!, p9!]));
    expect(ok(await queue.reopen(hlc(5)))).toBe(2);
    expect(await statuses(queue)).toEqual([
      [p7, 'pending'],
      [p3, 'accepted'],
      [p9, 'pending'],
    ]);
  });

  it('lastHlc is null when new, the max ever pushed, and survives removal and clear', async () => {
    const queue = await open();
    expect(ok(await queue.lastHlc())).toBeNull();
    await pushAll(queue, [5, 3]);
    expect(ok(await queue.lastHlc())).toBe(hlc(5));
    ok(await queue.removeDurable(hlc(10)));
    expect(ok(await queue.depth())).toBe(0);
    expect(ok(await queue.lastHlc())).toBe(hlc(5));
    await pushAll(queue, [4]);
    ok(await queue.clear());
    expect(ok(await queue.lastHlc())).toBe(hlc(5));
  });
}

function defineConcurrencyContract(open: QueueFactory): void {
  it('concurrent peek + markSending never hands an entry to two callers', async () => {
    const queue = await open();
    await pushAll(queue, [1, 2, 3, 4]);
    const [seenByA, seenByB] = await Promise.all([queue.peek(3), queue.peek(3)]);
    const outcomes = await Promise.all([
      queue.markSending(ids(ok(seenByA))),
      queue.markSending(ids(ok(seenByB))),
    ]);
    expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(1);
    expect((await statuses(queue)).map(([, status]) => status)).toEqual([
      'sending',
      'sending',
      'sending',
      'pending',
    ]);
  });

  it('concurrent claims take disjoint batches that together cover every entry', async () => {
    const queue = await open();
    const pushed = await pushAll(queue, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const batches = await Promise.all([1, 2, 3, 4].map(() => queue.claim(3)));
    const claimed = batches.flatMap((batch) => ids(ok(batch)));
    expect(claimed).toHaveLength(10);
    expect([...claimed].sort()).toEqual([...pushed].sort());
    expect(ok(await queue.peek(10))).toEqual([]);
  });

  it('concurrent pushes of the same delta queue it once', async () => {
    const queue = await open();
    const results = await Promise.all([queue.push(delta(1)), queue.push(delta(1))]);
    expect(ok(results[0]!).seq).toBe(ok(results[1]!).seq);
    expect(ok(await queue.depth())).toBe(1);
  });
}
