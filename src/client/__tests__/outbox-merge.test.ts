import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { rowKey } from '../../delta/row-key';
import type { HLCTimestamp } from '../../hlc/types';
import type { Clock } from '../../ports/clock';
import { MemoryQueue } from '../../queue/memory-queue';
import type { SyncQueue } from '../../queue/types';
import { unwrapOrThrow } from '../../result/result';
import { SyncClient } from '../sync-client';
import { memoryGateway } from './memory-gateway';
import { type Tab, TabWorld } from './tab-world';

/**
 * A client merging the outbox another client over it (a second tab) writes to reads only the
 * entries it has not merged (ADR-023), yet loses no write and shows restamped deltas.
 */

const ok = unwrapOrThrow;

/** `inner` behind a counter of the entries its whole and partial reads hand out. */
function countingQueue(inner: MemoryQueue): { queue: SyncQueue; read: { entries: number } } {
  const read = { entries: 0 };
  const queue: SyncQueue = {
    push: (delta) => inner.push(delta),
    peek: (limit) => inner.peek(limit),
    markSending: (ids) => inner.markSending(ids),
    claim: (limit) => inner.claim(limit),
    claimBatch: (limit) => inner.claimBatch(limit),
    ack: (ids) => inner.ack(ids),
    nack: (ids) => inner.nack(ids),
    reopen: (hlc) => inner.reopen(hlc),
    removeDurable: (hlc) => inner.removeDurable(hlc),
    entries: async () => {
      const listed = await inner.entries();
      if (listed.ok) read.entries += listed.value.length;
      return listed;
    },
    entriesSince: async (since) => {
      const listed = await inner.entriesSince(since);
      if (listed.ok) read.entries += listed.value.entries.length;
      return listed;
    },
    depth: () => inner.depth(),
    lastHlc: () => inner.lastHlc(),
    restamp: (replacements, options) => inner.restamp(replacements, options),
    clear: () => inner.clear(),
  };
  return { queue, read };
}

async function world() {
  const { clock, timers, gateway, transport } = await memoryGateway();
  const counted = countingQueue(new MemoryQueue());
  const open = async (offsetMs = 0) => {
    const own: Clock = { now: () => clock.now() + offsetMs };
    return ok(
      await SyncClient.open({
        clientId: 'ann',
        clock: own,
        timers,
        transport,
        queue: counted.queue,
        recoverSending: false,
      }),
    );
  };
  return { clock, gateway, open, read: counted.read };
}

/** The version the replica of `client` holds for `todos/<rowId>`'s title. */
function titleHlc(client: SyncClient, rowId: string): HLCTimestamp | undefined {
  return client.replica().get(rowKey('todos', rowId))?.columns.get('title')?.version.hlc;
}

describe('merging the outbox another client writes to', () => {
  it('after a backlog, a merge reads only the entries written since the last one', async () => {
    const w = await world();
    const tabA = await w.open();
    const tabB = await w.open();
    for (let n = 0; n < 200; n++) ok(await tabA.insert('todos', `t${n}`, { title: `${n}` }));
    expect(ok(await tabB.mergeOutbox())).toBe(200);
    w.read.entries = 0;
    ok(await tabA.insert('todos', 'new', { title: 'new' }));
    expect(ok(await tabB.mergeOutbox())).toBe(1);
    expect(w.read.entries).toBe(1);
    expect(tabB.get('todos', 'new')).toEqual({ title: 'new' });
    expect(tabB.rows().size).toBe(201);
  });

  it('a client opened over a backlog merges only later writes; its own writes move it on', async () => {
    const w = await world();
    const tabA = await w.open();
    for (let n = 0; n < 50; n++) ok(await tabA.insert('todos', `t${n}`, { title: `${n}` }));
    const tabB = await w.open();
    for (let n = 0; n < 20; n++) ok(await tabB.insert('todos', `b${n}`, { title: `${n}` }));
    w.read.entries = 0;
    expect(ok(await tabB.mergeOutbox())).toBe(0);
    expect(w.read.entries).toBe(0);
  });

  it('loses no write that lands between what it merged and its own', async () => {
    const w = await world();
    const tabA = await w.open();
    const tabB = await w.open();
    ok(await tabA.insert('todos', 'from-a', { title: 'a' }));
    // B writes before it hears of A's write: its own entry follows a gap it has not merged.
    ok(await tabB.insert('todos', 'from-b', { title: 'b' }));
    w.read.entries = 0;
    expect(ok(await tabB.mergeOutbox())).toBe(1);
    expect(w.read.entries).toBe(2);
    expect(tabB.get('todos', 'from-a')).toEqual({ title: 'a' });
  });

  it('calls made while a merge runs share one later merge, which sees their writes', async () => {
    const w = await world();
    const tabA = await w.open();
    const tabB = await w.open();
    ok(await tabA.insert('todos', 'one', { title: '1' }));
    const first = tabB.mergeOutbox();
    const second = tabB.mergeOutbox();
    expect(tabB.mergeOutbox()).toBe(second);
    expect([ok(await first), ok(await second)]).toEqual([1, 0]);
    expect(tabB.get('todos', 'one')).toEqual({ title: '1' });
  });

  it('a restamp by the other client shows here: the next merge reads everything once', async () => {
    const w = await world();
    const tabA = await w.open();
    const tabB = await w.open(-30_000);
    ok(await tabA.insert('todos', 'x', { title: 'x' }));
    ok(await tabA.syncOnce());
    // B's clock is behind and it has merged nothing yet: its write sorts below what the gateway
    // holds, so A's round stamps it again under the same seq (ADR-021), after B merged it.
    const late = ok(await tabB.insert('todos', 'y', { title: 'y' }));
    ok(await tabB.mergeOutbox());
    ok(await tabA.syncOnce());
    expect(tabA.stats.restamped).toBe(1);
    const restampedHlc = titleHlc(tabA, 'y');
    expect(restampedHlc).toBeGreaterThan(late.hlc);
    expect(titleHlc(tabB, 'y')).toBe(late.hlc);
    w.read.entries = 0;
    const merged = ok(await tabB.mergeOutbox());
    expect(merged).toBe(1);
    expect(w.read.entries).toBe(2);
    expect(titleHlc(tabB, 'y')).toBe(restampedHlc);
    // The restamp is behind B now: back to reading only what is new.
    ok(await tabA.insert('todos', 'z', { title: 'z' }));
    w.read.entries = 0;
    expect(ok(await tabB.mergeOutbox())).toBe(1);
    expect(w.read.entries).toBe(1);
  });
});

const tabWorlds: Array<{ world: TabWorld; tabs: Tab[] }> = [];

afterEach(() => {
  for (const { world, tabs } of tabWorlds.splice(0)) {
    for (const tab of tabs) world.closeTab(tab);
    world.gateway.close();
  }
});

/** Yields to the event loop (fake IndexedDB completes requests on macrotasks) until `done()`. */
async function until(done: () => boolean, what: string): Promise<void> {
  for (let turn = 0; turn < 2_000; turn++) {
    if (done()) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  throw new Error(`gave up waiting until ${what}`);
}

describe('tabs over one IndexedDB outbox', () => {
  it('a restamp in one tab shows in an offline tab through the outbox alone', async () => {
    const world = await TabWorld.create();
    const tabs = [await world.openTab(), await world.openTab()];
    tabWorlds.push({ world, tabs });
    const [a, b] = [tabs[0]!, tabs[1]!];
    a.transport.offline = true;
    b.transport.offline = true;
    const written = ok(await a.session.insert('todos', 'r', { title: 'r' }));
    await until(() => b.session.get('todos', 'r') !== null, 'tab B shows the write');
    // Another outbox under the same client id (site data cleared in another profile) wrote at
    // the gateway with a clock ahead, so A's queued write sorts below the gateway's watermark.
    const foreign = ok(
      await SyncClient.open({
        clientId: world.clientId,
        clock: { now: () => world.clock.now() + 4_000 },
        timers: world.timers,
        transport: world.gatewayTransport,
        queue: new MemoryQueue(),
      }),
    );
    ok(await foreign.insert('todos', 'other', { title: 'other' }));
    ok(await foreign.syncOnce());
    foreign.close();
    a.transport.offline = false;
    ok(await a.session.syncNow());
    const [entry] = ok(await a.queue.entries());
    expect(entry!.delta.hlc).toBeGreaterThan(written.hlc);
    // B never reached the gateway: only the shared outbox can show it the restamped write.
    await until(() => b.session.lastHlc() >= entry!.delta.hlc, 'tab B merged the restamped write');
    expect(b.session.get('todos', 'r')).toEqual({ title: 'r' });
    expect(b.session.get('todos', 'other')).toBeNull();
  });
});
