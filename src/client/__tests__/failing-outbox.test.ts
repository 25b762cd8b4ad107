import { describe, expect, it } from 'vitest';
import type { Transport } from '../../ports/transport';
import { MemoryQueue } from '../../queue/memory-queue';
import type { SyncQueue } from '../../queue/types';
import { QueueError, TransportError } from '../../result/errors';
import { Err, unwrapOrThrow } from '../../result/result';
import { SyncClient } from '../sync-client';
import { memoryGateway } from './memory-gateway';

/**
 * An outbox whose storage fails now and then (a full disk, an aborted IndexedDB transaction):
 * every failure is atomic, the call changes nothing. A write the app was told succeeded must still
 * reach the gateway, and one it was told failed must appear nowhere.
 */

/** The calls of `SyncQueue` that `failNext` can make fail. */
type Call = 'push' | 'ack' | 'nack' | 'entries';

/** `MemoryQueue` behind a switch: `failNext(call)` makes that call's next use fail, unchanged. */
function failingQueue(inner: MemoryQueue) {
  const armed = new Set<Call>();
  const refuse = (call: Call) => {
    if (!armed.delete(call)) return null;
    return Promise.resolve(Err(new QueueError(`${call} failed (test)`)));
  };
  const queue: SyncQueue = {
    push: (delta) => refuse('push') ?? inner.push(delta),
    peek: (limit) => inner.peek(limit),
    markSending: (ids) => inner.markSending(ids),
    claim: (limit) => inner.claim(limit),
    claimBatch: (limit) => inner.claimBatch(limit),
    ack: (ids) => refuse('ack') ?? inner.ack(ids),
    nack: (ids) => refuse('nack') ?? inner.nack(ids),
    reopen: (hlc) => inner.reopen(hlc),
    removeDurable: (hlc) => inner.removeDurable(hlc),
    entries: () => refuse('entries') ?? inner.entries(),
    entriesSince: (since) => inner.entriesSince(since),
    depth: () => inner.depth(),
    lastHlc: () => inner.lastHlc(),
    restamp: (replacements) => inner.restamp(replacements),
    clear: () => inner.clear(),
  };
  return { queue, failNext: (call: Call) => armed.add(call) };
}

async function world() {
  const { clock, timers, gateway, transport: inner } = await memoryGateway();
  let dropNext = false;
  let holdNext = false;
  let held: (() => void) | null = null;
  const transport: Transport = {
    pull: (request) => inner.pull(request),
    push: async (request) => {
      if (dropNext) {
        dropNext = false;
        return Err(new TransportError('push lost (test)'));
      }
      if (holdNext) {
        holdNext = false;
        await new Promise<void>((resolve) => {
          held = resolve;
        });
        return Err(new TransportError('push lost after a wait (test)'));
      }
      return inner.push(request);
    },
  };
  const stored = new MemoryQueue();
  const { queue, failNext } = failingQueue(stored);
  const open = async (recoverSending = true) =>
    unwrapOrThrow(
      await SyncClient.open({ clientId: 'ann', clock, timers, transport, queue, recoverSending }),
    );
  const statuses = async () => unwrapOrThrow(await stored.entries()).map((entry) => entry.status);
  const logged = () => gateway.log().map((entry) => entry.delta.deltaId);
  const dropNextPush = () => {
    dropNext = true;
  };
  const holdNextPush = () => {
    holdNext = true;
  };
  const releasePush = () => held?.();
  return {
    gateway,
    stored,
    failNext,
    dropNextPush,
    holdNextPush,
    releasePush,
    open,
    statuses,
    logged,
  };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('a client over a failing outbox', () => {
  it('does not leave an accepted batch stuck in sending when its ack fails', async () => {
    const w = await world();
    const client = await w.open();
    const first = unwrapOrThrow(await client.insert('todos', 't1', { title: 'a' }));
    w.failNext('ack');
    const round = await client.syncOnce();
    expect(round.ok).toBe(false); // the ack failed: the round says so
    expect(w.logged()).toEqual([first.deltaId]); // the gateway took it
    expect(await w.statuses()).toEqual(['sending']);
    // A later write queues behind it; the next round releases the batch, re-pushes it (taken as a
    // duplicate) and pushes the new one: nothing waits behind a batch no loop is sending.
    const second = unwrapOrThrow(await client.insert('todos', 't2', { title: 'b' }));
    unwrapOrThrow(await client.syncOnce());
    expect(w.logged()).toEqual([first.deltaId, second.deltaId]);
    expect(await w.statuses()).toEqual(['accepted', 'accepted']);
  });

  it('does not leave a batch stuck in sending when its push and then its nack fail', async () => {
    const w = await world();
    const client = await w.open();
    const written = unwrapOrThrow(await client.insert('todos', 't1', { title: 'a' }));
    w.dropNextPush();
    w.failNext('nack');
    expect((await client.syncOnce()).ok).toBe(false);
    expect(await w.statuses()).toEqual(['sending']);
    expect(w.logged()).toEqual([]);
    unwrapOrThrow(await client.syncOnce());
    expect(w.logged()).toEqual([written.deltaId]);
    expect(await w.statuses()).toEqual(['accepted']);
  });

  it('refuses a write whose outbox push fails, and shows it nowhere', async () => {
    const w = await world();
    const client = await w.open();
    w.failNext('push');
    const refused = await client.insert('todos', 't1', { title: 'lost' });
    expect(refused.ok).toBe(false);
    expect(client.get('todos', 't1')).toBeNull();
    unwrapOrThrow(await client.syncOnce());
    expect(w.logged()).toEqual([]);
    expect(await w.statuses()).toEqual([]);
  });

  it('releases what a closed loop left sending once told no other loop is left', async () => {
    const w = await world();
    const first = await w.open();
    const second = await w.open(false);
    const written = unwrapOrThrow(await second.insert('todos', 't1', { title: 'a' }));
    // The second loop's push is in flight when it closes, and its close cannot give the batch back
    // (the outbox's nack fails): the entry stays sending with no loop left to send it.
    w.holdNextPush();
    const round = second.syncOnce();
    await flush();
    expect(await w.statuses()).toEqual(['sending']);
    w.failNext('nack');
    second.close();
    await flush();
    w.releasePush();
    expect((await round).ok).toBe(false); // abandoned: closed mid-round
    expect(await w.statuses()).toEqual(['sending']);
    // The first loop's own write queues behind it and cannot go: the gateway lacks the entry
    // before it, and no claim takes an entry that is sending.
    // (It reads the outbox first, as a tab does, so that it stamps above the other loop's write.)
    unwrapOrThrow(await first.mergeOutbox());
    const later = unwrapOrThrow(await first.insert('todos', 't2', { title: 'b' }));
    await first.syncOnce();
    expect(w.logged()).toEqual([]);
    first.releaseOrphans();
    unwrapOrThrow(await first.syncOnce());
    expect(w.logged()).toEqual([written.deltaId, later.deltaId]);
    expect(await w.statuses()).toEqual(['accepted', 'accepted']);
  });

  it('asks again next round when releasing orphans meets a failing outbox', async () => {
    const w = await world();
    const client = await w.open();
    const written = unwrapOrThrow(await client.insert('todos', 't1', { title: 'a' }));
    unwrapOrThrow(await w.stored.claimBatch(10)); // a dead loop's claim
    client.releaseOrphans();
    w.failNext('entries');
    expect((await client.syncOnce()).ok).toBe(false);
    unwrapOrThrow(await client.syncOnce());
    expect(w.logged()).toEqual([written.deltaId]);
  });
});
