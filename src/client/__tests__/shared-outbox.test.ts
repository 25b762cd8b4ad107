import { describe, expect, it } from 'vitest';
import type { Transport } from '../../ports/transport';
import { decodeSyncPush } from '../../proto/codec';
import { MemoryQueue } from '../../queue/memory-queue';
import { unwrapOrThrow } from '../../result/result';
import { SyncClient } from '../sync-client';
import { memoryGateway } from './memory-gateway';

/**
 * Two sync loops over one outbox (two tabs, or overlapping rounds): claims are exclusive, a batch
 * never skips an entry another loop is sending (a hole would lose it), and a loop that closes
 * gives its batch back.
 */
async function world() {
  const { clock, timers, gateway, transport: inner } = await memoryGateway();
  const pushed: string[][] = [];
  /** Records every push's delta ids; `hold` keeps the next push's reply back until released. */
  let held: (() => void) | null = null;
  let holdNext = false;
  const transport: Transport = {
    pull: (request) => inner.pull(request),
    push: async (request) => {
      const push = unwrapOrThrow(decodeSyncPush(request));
      pushed.push(push.deltas.map((d) => d.deltaId));
      if (holdNext) {
        holdNext = false;
        await new Promise<void>((resolve) => {
          held = resolve;
        });
      }
      return inner.push(request);
    },
  };
  const queue = new MemoryQueue();
  const open = async (recoverSending = true) =>
    unwrapOrThrow(
      await SyncClient.open({ clientId: 'ann', clock, timers, transport, queue, recoverSending }),
    );
  return {
    gateway,
    queue,
    open,
    pushed,
    holdNextPush: () => {
      holdNext = true;
    },
    release: () => held?.(),
  };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('two sync loops over one outbox', () => {
  it('never pushes a batch with a hole where the other loop is sending, and loses nothing', async () => {
    const w = await world();
    const tabA = await w.open();
    const tabB = await w.open(false);
    const first = unwrapOrThrow(await tabA.insert('todos', 't1', { title: 'a' }));
    // A's round claims t1 and its push is held in flight.
    w.holdNextPush();
    const roundA = tabA.syncOnce();
    await flush();
    const later = unwrapOrThrow(await tabA.insert('todos', 't2', { title: 'b' }));
    // B claims t2 (t1 is A's); its base is t1, which the gateway does not hold yet: refused.
    unwrapOrThrow(await tabB.syncOnce());
    w.release();
    unwrapOrThrow(await roundA);
    unwrapOrThrow(await tabB.syncOnce());
    const everyPush = w.pushed.flat();
    expect(everyPush.filter((id) => id === first.deltaId).length).toBeGreaterThanOrEqual(1);
    const held = w.gateway.log().map((entry) => entry.delta.deltaId);
    expect(held).toEqual([first.deltaId, later.deltaId]);
  });

  it('cuts a claimed batch at an entry the other loop is sending', async () => {
    const w = await world();
    const tab = await w.open();
    const ids: string[] = [];
    for (const row of ['t1', 't2', 't3', 't4']) {
      ids.push(unwrapOrThrow(await tab.insert('todos', row, { title: row })).deltaId);
    }
    // Another loop holds t3 in flight; t1, t2, t4 are pending.
    unwrapOrThrow(await w.queue.markSending([ids[2] as string]));
    unwrapOrThrow(await tab.syncOnce());
    expect(w.pushed[0]).toEqual([ids[0], ids[1]]);
    const entries = unwrapOrThrow(await w.queue.entries());
    expect(entries.map((entry) => entry.status)).toEqual([
      'accepted',
      'accepted',
      'sending',
      'pending',
    ]);
    // The other loop's push lands; now the rest follows in order and nothing is lost.
    unwrapOrThrow(await w.queue.nack([ids[2] as string]));
    unwrapOrThrow(await tab.syncOnce());
    expect(w.gateway.log().map((entry) => entry.delta.deltaId)).toEqual(ids);
  });

  it('gives its batch in flight back when it closes, so the other loop sends it', async () => {
    const w = await world();
    const tabA = await w.open();
    const written = unwrapOrThrow(await tabA.insert('todos', 't1', { title: 'a' }));
    w.holdNextPush();
    const round = tabA.syncOnce();
    await flush();
    expect(unwrapOrThrow(await w.queue.entries())[0]?.status).toBe('sending');
    tabA.close();
    await flush();
    expect(unwrapOrThrow(await w.queue.entries())[0]?.status).toBe('pending');
    w.release();
    expect((await round).ok).toBe(false); // abandoned: closed mid-round
    const tabB = await w.open(false);
    unwrapOrThrow(await tabB.syncOnce());
    expect(w.gateway.log().map((entry) => entry.delta.deltaId)).toEqual([written.deltaId]);
  });

  it('leaves a live loop’s batch alone when a second client opens with recoverSending false', async () => {
    const w = await world();
    const tabA = await w.open();
    unwrapOrThrow(await tabA.insert('todos', 't1', { title: 'a' }));
    w.holdNextPush();
    const round = tabA.syncOnce();
    await flush();
    await w.open(false);
    expect(unwrapOrThrow(await w.queue.entries())[0]?.status).toBe('sending');
    await w.open(true); // a restart after a crash would reset it
    expect(unwrapOrThrow(await w.queue.entries())[0]?.status).toBe('pending');
    w.release();
    await round;
  });

  it('keeps a write that lands mid-round: shown at once, pushed once by the next batch', async () => {
    const w = await world();
    const tab = await w.open();
    const first = unwrapOrThrow(await tab.insert('todos', 't1', { title: 'a' }));
    w.holdNextPush();
    const round = tab.syncOnce();
    await flush();
    const mid = unwrapOrThrow(await tab.insert('todos', 't2', { title: 'b' }));
    expect(tab.get('todos', 't2')).toEqual({ title: 'b' });
    w.release();
    unwrapOrThrow(await round); // the same round goes on to push the new write
    unwrapOrThrow(await tab.syncOnce());
    expect(w.pushed).toEqual([[first.deltaId], [mid.deltaId]]);
    expect(w.gateway.log().map((entry) => entry.delta.deltaId)).toEqual([
      first.deltaId,
      mid.deltaId,
    ]);
  });
});
