import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { IdbQueue } from '../idb-queue';
import { delta, expectQueueError, hlc, idOf, ok, pushAll } from './fixtures';

const opened: IdbQueue[] = [];

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  for (const queue of opened.splice(0)) queue.close();
});

/** Opens a queue on a fresh factory (or the given one); returns both. */
async function openWithFactory(
  name: string,
  factory = new IDBFactory(),
): Promise<{ queue: IdbQueue; factory: IDBFactory }> {
  const queue = ok(await IdbQueue.open(name, { indexedDB: factory }));
  opened.push(queue);
  return { queue, factory };
}

describe('IdbQueue failures resolve to Err(QueueError) with the cause, never a rejection', () => {
  it('every method after close', async () => {
    const { queue } = await openWithFactory('closed');
    await pushAll(queue, [1]);
    queue.close();
    const calls = [
      queue.push(delta(2)),
      queue.peek(1),
      queue.markSending([idOf(1)]),
      queue.claim(1),
      queue.ack([idOf(1)]),
      queue.nack([idOf(1)]),
      queue.reopen(hlc(0)),
      queue.removeDurable(hlc(5)),
      queue.entries(),
      queue.depth(),
      queue.lastHlc(),
      queue.clear(),
    ];
    for (const settled of await Promise.allSettled(calls)) {
      expect(settled.status).toBe('fulfilled');
      if (settled.status !== 'fulfilled') continue;
      const error = expectQueueError(settled.value, /failed: InvalidStateError/);
      expect(error.cause?.name).toBe('InvalidStateError');
    }
  });

  it('a transaction aborted underneath leaves nothing half done', async () => {
    const { queue, factory } = await openWithFactory('aborted');
    await pushAll(queue, [1, 2]);
    const put = IDBObjectStore.prototype.put;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (
      this: IDBObjectStore,
      ...args: Parameters<IDBObjectStore['put']>
    ) {
      const request = put.apply(this, args);
      this.transaction.abort();
      return request;
    });
    // Later requests in the aborted transaction fail too; whichever surfaces first is the cause.
    const pushed = expectQueueError(await queue.push(delta(3)), /push failed: \w+Error/);
    expect(pushed.cause).toBeInstanceOf(Error);
    expectQueueError(await queue.claim(2), /claim failed/);
    vi.restoreAllMocks();
    expect(ok(await queue.lastHlc())).toBe(hlc(2));
    expect(ok(await queue.peek(5)).map((entry) => entry.id)).toEqual([idOf(1), idOf(2)]);
    queue.close();
    const reopened = ok(await IdbQueue.open('aborted', { indexedDB: factory }));
    opened.push(reopened);
    expect(ok(await reopened.depth())).toBe(2);
  });

  it('a quota failure on the second write of a push rolls back the first', async () => {
    const { queue, factory } = await openWithFactory('quota');
    await pushAll(queue, [1]);
    const put = IDBObjectStore.prototype.put;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (
      this: IDBObjectStore,
      ...args: Parameters<IDBObjectStore['put']>
    ) {
      if (this.name === 'meta') throw new DOMException('disk full', 'QuotaExceededError');
      return put.apply(this, args);
    });
    const error = expectQueueError(await queue.push(delta(2)), /push failed: QuotaExceededError/);
    expect(error.cause?.name).toBe('QuotaExceededError');
    vi.restoreAllMocks();
    expect(ok(await queue.depth())).toBe(1);
    expect(ok(await queue.lastHlc())).toBe(hlc(1));
    queue.close();
    const reopened = ok(await IdbQueue.open('quota', { indexedDB: factory }));
    opened.push(reopened);
    expect(ok(await reopened.entries()).map((entry) => entry.id)).toEqual([idOf(1)]);
  });

  it('another connection upgrading the database closes this one instead of blocking it', async () => {
    const { queue, factory } = await openWithFactory('upgraded');
    await pushAll(queue, [1]);
    const upgrade = factory.open('upgraded', 2);
    const upgraded = await new Promise<IDBDatabase>((resolve, reject) => {
      upgrade.onsuccess = () => resolve(upgrade.result);
      upgrade.onerror = () => reject(upgrade.error);
    });
    expect(upgraded.version).toBe(2);
    upgraded.close();
    expectQueueError(await queue.depth(), /InvalidStateError/);
  });

  it('opening refuses a newer database, bad options, a bad name and a missing IndexedDB', async () => {
    const factory = new IDBFactory();
    const newer = factory.open('newer', 5);
    await new Promise((resolve) => {
      newer.onsuccess = () => resolve(newer.result.close());
    });
    const version = expectQueueError(await IdbQueue.open('newer', { indexedDB: factory }));
    expect(version.cause?.name).toBe('VersionError');
    expectQueueError(await IdbQueue.open('x', { indexedDB: factory, entriesMax: 0 }), /entriesMax/);
    expectQueueError(await IdbQueue.open('', { indexedDB: factory }), /name/);
    const broken = {
      open: () => {
        throw new TypeError('no storage in this context');
      },
    } as unknown as IDBFactory;
    const thrown = expectQueueError(await IdbQueue.open('x', { indexedDB: broken }), /no storage/);
    expect(thrown.cause).toBeInstanceOf(TypeError);
    vi.stubGlobal('indexedDB', undefined);
    expectQueueError(await IdbQueue.open('x'), /not available/);
  });

  it('uses the global IndexedDB when none is passed', async () => {
    const queue = ok(await IdbQueue.open('global-default'));
    opened.push(queue);
    ok(await queue.push(delta(1)));
    expect(ok(await queue.depth())).toBe(1);
    ok(await queue.clear());
  });
});
