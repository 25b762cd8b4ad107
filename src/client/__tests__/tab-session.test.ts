import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { HLC } from '../../hlc/hlc';
import { IdbQueue } from '../../queue/idb-queue';
import type { LakeSyncError } from '../../result/errors';
import { type Result, unwrapOrThrow } from '../../result/result';
import { SyncClient } from '../sync-client';
import { FloorClock } from '../tab-clock';
import { MemoryLockHub } from '../tab-locks';
import { type Tab, TabWorld } from './tab-world';

const ok = unwrapOrThrow;
const worlds: Array<{ world: TabWorld; tabs: Tab[] }> = [];

afterEach(() => {
  for (const { world, tabs } of worlds.splice(0)) {
    for (const tab of tabs) world.closeTab(tab);
    world.gateway.close();
  }
});

async function setUp(tabCount: number): Promise<{ world: TabWorld; tabs: Tab[] }> {
  const world = await TabWorld.create();
  const tabs: Tab[] = [];
  for (let index = 0; index < tabCount; index++) tabs.push(await world.openTab());
  const made = { world, tabs };
  worlds.push(made);
  return made;
}

/** Yields to the event loop (fake IndexedDB completes requests on macrotasks) until `done()`. */
async function until(done: () => boolean, what: string): Promise<void> {
  for (let turn = 0; turn < 2_000; turn++) {
    if (done()) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  throw new Error(`gave up waiting until ${what}`);
}

function hlcsInOutboxOrder(entries: ReadonlyArray<{ delta: { hlc: bigint } }>): bigint[] {
  return entries.map((entry) => entry.delta.hlc);
}

describe('TabSession: several tabs, one outbox', () => {
  it('a listener that throws neither fails the write already queued nor stops the others', async () => {
    const { tabs } = await setUp(1);
    const tab = tabs[0]!;
    const seen: string[] = [];
    tab.session.subscribe(() => {
      throw new Error('the app has a bug');
    });
    tab.session.subscribe((event) => seen.push(event.kind));
    ok(await tab.session.insert('todos', 'listener', { title: 'kept' }));
    expect(seen).toContain('wrote');
    expect(ok(await tab.queue.entries())).toHaveLength(1);
    ok(await tab.session.syncNow());
    expect(seen).toContain('synced');
  });

  it('tabs writing at once, at one clock reading, queue strictly rising HLCs in outbox order', async () => {
    const { world, tabs } = await setUp(3);
    const writes = [];
    for (let index = 0; index < 12; index++) {
      const tab = tabs[index % tabs.length]!;
      writes.push(tab.session.insert('todos', `t${index}`, { title: `todo ${index}` }));
    }
    for (const written of await Promise.all(writes)) ok(written);
    const hlcs = hlcsInOutboxOrder(ok(await tabs[0]!.queue.entries()));
    expect(hlcs).toHaveLength(12);
    for (let index = 1; index < hlcs.length; index++) {
      expect(hlcs[index]!).toBeGreaterThan(hlcs[index - 1]!);
    }
    const report = ok(await tabs[1]!.session.syncNow());
    expect(report.pushed).toBe(12);
    expect(world.gateway.stats().pushesRejected).toBe(0);
    expect(world.gateway.log()).toHaveLength(12);
  });

  it('without the stamp lock two clients on one outbox collide, and the outbox refuses it', async () => {
    const { world } = await setUp(0);
    const open = async () =>
      ok(
        await SyncClient.open({
          clientId: world.clientId,
          clock: world.clock,
          timers: world.timers,
          transport: world.gatewayTransport,
          queue: ok(
            await IdbQueue.open('bare', { indexedDB: world.indexedDB, requireRisingHlc: true }),
          ),
        }),
      );
    const [a, b] = [await open(), await open()];
    ok(await a.insert('todos', 'x', { title: 'from a' }));
    const collided = await b.insert('todos', 'y', { title: 'from b' });
    expect(collided.ok).toBe(false);
    expect(collided.ok ? '' : collided.error.message).toMatch(/not above the outbox's last/);
  });

  it('never has two tabs talking to the gateway at once', async () => {
    const { world, tabs } = await setUp(3);
    const work: Array<Promise<Result<unknown, LakeSyncError>>> = [];
    for (let index = 0; index < 9; index++) {
      const tab = tabs[index % tabs.length]!;
      work.push(tab.session.insert('todos', `t${index}`, { n: index }));
      work.push(tab.session.syncNow());
    }
    for (const done of await Promise.all(work)) ok(done);
    expect(world.inFlightMax).toBe(1);
    expect(new Set(world.pushedIds).size).toBe(9);
    expect(world.pushedIds).toHaveLength(9);
  });

  it('loses nothing when the syncing tab dies mid-round: another tab re-opens and pushes its batch', async () => {
    const { world, tabs } = await setUp(2);
    const [a, b] = [tabs[0]!, tabs[1]!];
    // A client's first round pulls before it pushes (ADR-021); from the second on, a round
    // starts with its push, which is what this test catches in flight.
    ok(await a.session.syncNow());
    for (let index = 0; index < 3; index++) {
      ok(await a.session.insert('todos', `t${index}`, { n: index }));
    }
    a.transport.hold = true;
    void a.session.syncNow();
    await until(() => a.transport.heldCount === 1, "tab A's push is in flight");
    const statuses = ok(await b.queue.entries()).map((entry) => entry.status);
    expect(statuses).toEqual(['sending', 'sending', 'sending']);

    a.locks.close(); // the tab crashes: the browser frees its locks, its code never runs again
    const report = ok(await b.session.syncNow());
    expect(report.orphansReset).toBe(3);
    expect(report.pushed).toBe(3);
    expect(world.gateway.log().map((entry) => entry.delta.rowId)).toEqual(['t0', 't1', 't2']);
    expect(b.session.get('todos', 't2')).toEqual({ n: 2 });
  });

  it('loses nothing when the syncing tab closes mid-round, and a late copy is dropped', async () => {
    const { world, tabs } = await setUp(2);
    const [a, b] = [tabs[0]!, tabs[1]!];
    ok(await a.session.syncNow()); // the first round's pull first (ADR-021), out of the way
    ok(await a.session.insert('todos', 'only', { n: 1 }));
    a.transport.hold = true;
    const abandoned = a.session.syncNow();
    await until(() => a.transport.heldCount === 1, "tab A's push is in flight");
    world.closeTab(a);
    const report = ok(await b.session.syncNow());
    expect(report.pushed).toBe(1);
    a.transport.release(); // the closed tab's request reaches the gateway after all
    expect((await abandoned).ok).toBe(false);
    expect(world.gateway.log()).toHaveLength(1);
    expect(world.gateway.stats().duplicatesIgnored).toBe(1);
  });

  it('tells the other tabs: a write in one shows up in the others by their own rounds', async () => {
    const { tabs } = await setUp(2);
    const [a, b] = [tabs[0]!, tabs[1]!];
    a.session.start();
    b.session.start();
    const { world } = worlds.at(-1)!;
    await world.timers.runDue();
    await until(
      () => a.session.status().rounds > 0 && b.session.status().rounds > 0,
      'first rounds',
    );
    const roundsBefore = b.session.status().rounds;
    ok(await a.session.insert('todos', 'shared', { title: 'from tab A' }));
    await world.timers.runDue();
    await until(
      () => b.session.status().rounds > roundsBefore && b.session.get('todos', 'shared') !== null,
      'tab B ran a round and sees the row',
    );
    expect(b.session.status().rounds).toBeGreaterThan(roundsBefore);
    expect(b.session.get('todos', 'shared')).toEqual({ title: 'from tab A' });
    expect(b.session.status()).toMatchObject({ online: true, lastError: null });
  });

  it('offline, a write in one tab shows in the others through the shared outbox', async () => {
    const { world, tabs } = await setUp(2);
    const [a, b] = [tabs[0]!, tabs[1]!];
    a.transport.offline = true;
    b.transport.offline = true;
    const applied: string[] = [];
    b.session.subscribe((event) => {
      if (event.kind === 'applied') applied.push(`${event.source}:${event.deltas}`);
    });
    ok(await a.session.insert('todos', 'offline', { title: 'from tab A', done: false }));
    await until(() => b.session.get('todos', 'offline') !== null, 'tab B shows the row');
    expect(b.session.get('todos', 'offline')).toEqual({ title: 'from tab A', done: false });
    expect(applied).toEqual(['outbox:1']);

    // Tab B's edit of the row stamps above tab A's write, and tab A sees it too.
    ok(await b.session.update('todos', 'offline', { done: true }));
    await until(() => a.session.get('todos', 'offline')?.done === true, 'tab A shows the edit');
    const [first, second] = ok(await a.queue.entries());
    expect(second!.delta.hlc).toBeGreaterThan(first!.delta.hlc);
    // Tab A absorbed the stamp it merged, as it absorbs what it pulls.
    expect(a.session.lastHlc()).toBeGreaterThanOrEqual(second!.delta.hlc);

    // Nothing reached the gateway; once online, both writes are pushed once and in order.
    expect(world.pushedIds).toEqual([]);
    a.transport.offline = false;
    b.transport.offline = false;
    ok(await a.session.syncNow());
    expect(world.pushedIds).toEqual([first!.id, second!.id]);
  });

  it('a tab opened later starts above every stamp and shows queued writes', async () => {
    const { world, tabs } = await setUp(1);
    ok(await tabs[0]!.session.insert('todos', 'early', { title: 'queued' }));
    const late = await world.openTab();
    worlds.at(-1)!.tabs.push(late);
    expect(late.session.get('todos', 'early')).toEqual({ title: 'queued' });
    const written = ok(await late.session.insert('todos', 'later', { title: 'second' }));
    expect(written.hlc).toBeGreaterThan(ok(await late.queue.entries())[0]!.delta.hlc);
  });
});

describe('FloorClock', () => {
  it('reads the inner clock until raised, then never less than one ms past the raised wall', () => {
    let now = 1_000;
    const clock = new FloorClock({ now: () => now });
    expect(clock.now()).toBe(1_000);
    clock.raiseAbove(HLC.encode(5_000, 7));
    expect(clock.now()).toBe(5_001);
    clock.raiseAbove(HLC.encode(2_000, 0)); // lower: no effect
    expect(clock.floorMs).toBe(5_001);
    now = 9_000;
    expect(clock.now()).toBe(9_000);
    now = Number.NaN;
    expect(clock.now()).toBe(5_001);
  });
});

describe('MemoryLockHub', () => {
  it('grants a lock to one holder at a time, in request order, and frees a closed tab’s locks', async () => {
    const hub = new MemoryLockHub();
    const [a, b, c] = [hub.tab(), hub.tab(), hub.tab()];
    const order: string[] = [];
    let releaseA: () => void = () => undefined;
    const heldByA = a.exclusive('x', async () => {
      order.push('a');
      await new Promise<void>((resolve) => {
        releaseA = resolve;
      });
      return { ok: true, value: 'a' } as const;
    });
    const waitingB = b.exclusive('x', async () => {
      order.push('b');
      return { ok: true, value: 'b' } as const;
    });
    const waitingC = c.exclusive('x', async () => {
      order.push('c');
      return { ok: true, value: 'c' } as const;
    });
    await Promise.resolve();
    expect(hub.holder('x')).toBe(a);
    a.close(); // the tab closes while holding the lock: B gets it at once
    await waitingB;
    await waitingC;
    expect(order).toEqual(['a', 'b', 'c']);
    releaseA();
    await heldByA;
    expect(hub.holder('x')).toBeNull();
    expect((await a.exclusive('x', async () => ({ ok: true, value: 1 }) as const)).ok).toBe(false);
  });
});
