import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { IdbQueue } from '../idb-queue';
import { OUTBOX_START, type QueueOptions } from '../types';
import { delta, expectQueueError, hlc, idOf, ids, ok, pushAll, statuses } from './fixtures';
import { describeQueueContract } from './queue-contract';

const opened: IdbQueue[] = [];

afterEach(() => {
  for (const queue of opened.splice(0)) queue.close();
});

async function openQueue(
  factory: IDBFactory,
  name = 'outbox',
  options: Partial<QueueOptions> = {},
): Promise<IdbQueue> {
  const queue = ok(await IdbQueue.open(name, { ...options, indexedDB: factory }));
  opened.push(queue);
  return queue;
}

describeQueueContract('IdbQueue', (options) => openQueue(new IDBFactory(), 'outbox', options));

describe('IdbQueue', () => {
  it('recovers entries, statuses, retries and lastHlc after close and reopen', async () => {
    const factory = new IDBFactory();
    const first = await openQueue(factory, 'restart');
    await pushAll(first, [1, 2, 3, 4, 9, 5]);
    ok(await first.claim(3));
    ok(await first.ack([idOf(2)]));
    ok(await first.nack([idOf(3)]));
    ok(await first.markSending([idOf(4)]));
    ok(await first.removeDurable(hlc(1)));
    const before = ok(await first.entries());
    first.close();

    const second = await openQueue(factory, 'restart');
    expect(ok(await second.entries())).toEqual(before);
    expect(await statuses(second)).toEqual([
      [idOf(2), 'accepted'],
      [idOf(3), 'pending'],
      [idOf(4), 'sending'],
      [idOf(9), 'pending'],
      [idOf(5), 'pending'],
    ]);
    expect(ok(await second.peek(1))[0]).toMatchObject({ id: idOf(3), retryCount: 1 });
    expect(ok(await second.lastHlc())).toBe(hlc(9));
    expect(ok(await second.push(delta(6))).seq).toBeGreaterThan(before.at(-1)!.seq);
  });

  it('keeps the restamp count across a restart, and reads a meta record written without it (or an incarnation) as 0', async () => {
    const factory = new IDBFactory();
    const first = await openQueue(factory, 'restamps');
    await pushAll(first, [1, 2]);
    const before = ok(await first.entriesSince(OUTBOX_START));
    ok(await first.restamp([{ id: idOf(2), delta: delta(2, { hlc: hlc(9), deltaId: idOf(9) }) }]));
    first.close();
    const second = await openQueue(factory, 'restamps');
    const after = ok(await second.entriesSince(before.mark));
    expect(after.complete).toBe(true);
    expect(after.mark.restamps).toBe((before.mark.restamps ?? 0) + 1);
    second.close();
    // The record as a build before the count existed wrote it: no `restamps` field.
    const raw = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = factory.open('restamps');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    await new Promise<void>((resolve, reject) => {
      const tx = raw.transaction('meta', 'readwrite');
      tx.objectStore('meta').put({ nextSeq: 3, lastHlc: hlc(9) }, 'outbox');
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
    raw.close();
    const third = await openQueue(factory, 'restamps');
    // Nor any incarnation: that reads as `null`, and stays so (its seq 1 was pushed long ago).
    const legacy = { seq: 2, restamps: 0, incarnation: null };
    const read = ok(await third.entriesSince(legacy));
    expect(read).toEqual({ entries: [], complete: false, mark: legacy });
    const pushed = ok(await third.push(delta(10)));
    expect(ok(await third.entriesSince(read.mark)).entries).toEqual([pushed]);
  });

  it('keeps its incarnation across a restart; a database deleted and created again has a new one', async () => {
    const factory = new IDBFactory();
    const first = await openQueue(factory, 'lives');
    await pushAll(first, [1, 2, 3]);
    const mark = ok(await first.entriesSince(OUTBOX_START)).mark;
    first.close();
    const restarted = await openQueue(factory, 'lives');
    const [next] = await pushAll(restarted, [4]);
    expect(ok(await restarted.entriesSince(mark))).toMatchObject({
      complete: false,
      entries: [{ id: next }],
    });
    // Deleting the database closes the connection (`versionchange`); a new one starts at seq 1.
    await new Promise<void>((resolve, reject) => {
      const request = factory.deleteDatabase('lives');
      request.onsuccess = () => resolve();
      request.onerror = () => reject(request.error);
    });
    const renewed = await openQueue(factory, 'lives');
    const pushed = await pushAll(renewed, [11, 12, 13, 14, 15]);
    const read = ok(await renewed.entriesSince(mark));
    expect(read.complete).toBe(true);
    expect(ids(read.entries)).toEqual(pushed);
    expect(read.mark.incarnation).not.toBe(mark.incarnation);
  });

  it('keeps lastHlc and the seq counter across a restart after clear', async () => {
    const factory = new IDBFactory();
    const first = await openQueue(factory, 'cleared');
    const last = ok(await first.push(delta(7)));
    ok(await first.clear());
    first.close();
    const second = await openQueue(factory, 'cleared');
    expect(ok(await second.depth())).toBe(0);
    expect(ok(await second.lastHlc())).toBe(hlc(7));
    expect(ok(await second.push(delta(1))).seq).toBeGreaterThan(last.seq);
  });

  it('keeps databases of different names apart', async () => {
    const factory = new IDBFactory();
    const a = await openQueue(factory, 'a');
    const b = await openQueue(factory, 'b');
    await pushAll(a, [1, 2]);
    expect(ok(await b.depth())).toBe(0);
    expect(ok(await b.lastHlc())).toBeNull();
  });

  it('never hands an entry to two connections (two tabs) claiming at once', async () => {
    const factory = new IDBFactory();
    const tabA = await openQueue(factory, 'shared');
    const tabB = await openQueue(factory, 'shared');
    await pushAll(tabA, [1, 2, 3, 4, 5, 6, 7]);
    const batches = await Promise.all([tabA.claim(3), tabB.claim(3), tabA.claim(3)]);
    const claimed = batches.flatMap((batch) => ok(batch).map((entry) => entry.id));
    expect(new Set(claimed).size).toBe(7);
    expect(claimed).toHaveLength(7);
  });

  it('with requireRisingHlc refuses a stamp at or below lastHlc, even from another connection', async () => {
    const factory = new IDBFactory();
    const tabA = ok(await IdbQueue.open('rising', { indexedDB: factory, requireRisingHlc: true }));
    const tabB = ok(await IdbQueue.open('rising', { indexedDB: factory, requireRisingHlc: true }));
    opened.push(tabA, tabB);
    ok(await tabA.push(delta(5)));
    expectQueueError(await tabB.push(delta(5, { deltaId: idOf(55) })), /not above/);
    expectQueueError(await tabB.push(delta(4)), /not above the outbox's last 5/);
    expect(ok(await tabB.push(delta(5))).seq).toBe(1); // the same delta again is still idempotent
    ok(await tabB.push(delta(6)));
    ok(await tabA.removeDurable(hlc(10)));
    expectQueueError(await tabA.push(delta(6, { deltaId: idOf(66) })), /not above/);
    expect(ok(await tabA.depth())).toBe(0);
  });

  it('keeps a restamp across a restart, and a later rising push goes above it', async () => {
    const factory = new IDBFactory();
    const first = ok(
      await IdbQueue.open('restamp', { indexedDB: factory, requireRisingHlc: true }),
    );
    opened.push(first);
    await pushAll(first, [1, 2]);
    ok(
      await first.restamp([{ id: idOf(2), delta: delta(2, { hlc: hlc(70), deltaId: idOf(70) }) }]),
    );
    first.close();
    const second = ok(
      await IdbQueue.open('restamp', { indexedDB: factory, requireRisingHlc: true }),
    );
    opened.push(second);
    expect(await statuses(second)).toEqual([
      [idOf(1), 'pending'],
      [idOf(70), 'pending'],
    ]);
    expect(ok(await second.lastHlc())).toBe(hlc(70));
    expectQueueError(await second.push(delta(69)), /not above the outbox's last 70/);
    expect(ok(await second.push(delta(71))).seq).toBe(3);
  });

  it('keeps held entries and the raised lastHlc across a restart', async () => {
    const factory = new IDBFactory();
    const first = ok(await IdbQueue.open('held', { indexedDB: factory }));
    opened.push(first);
    await pushAll(first, [1, 2, 3]);
    ok(await first.restamp([], { held: [idOf(1), idOf(2)], lastHlcMin: hlc(90) }));
    first.close();
    const second = ok(await IdbQueue.open('held', { indexedDB: factory }));
    opened.push(second);
    expect(await statuses(second)).toEqual([
      [idOf(1), 'accepted'],
      [idOf(2), 'accepted'],
      [idOf(3), 'pending'],
    ]);
    expect(ok(await second.lastHlc())).toBe(hlc(90));
  });
});
