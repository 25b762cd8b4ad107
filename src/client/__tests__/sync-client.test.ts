import { describe, expect, it } from 'vitest';
import { MemoryAdapter } from '../../adapter/memory-adapter';
import { SyncGateway } from '../../gateway/gateway';
import { createInProcessTransport } from '../../gateway/in-process-transport';
import { createWireHandler, type WireHandler } from '../../gateway/wire-handler';
import { ManualClock, ManualTimers } from '../../ports/manual';
import { MemoryQueue } from '../../queue/memory-queue';
import { TransportError } from '../../result/errors';
import { Err, unwrapOrThrow } from '../../result/result';
import { SyncClient } from '../sync-client';

async function world() {
  const clock = new ManualClock();
  const timers = new ManualTimers(clock);
  const lake = new MemoryAdapter({ clock });
  let gateway = unwrapOrThrow(
    await SyncGateway.open({ gatewayId: 'gw', clock, timers, adapter: lake }),
  );
  let handler: WireHandler | null = createWireHandler(gateway);
  const transport = createInProcessTransport(() => handler);
  const client = async (clientId: string, queue = new MemoryQueue()) =>
    unwrapOrThrow(await SyncClient.open({ clientId, clock, timers, transport, queue }));
  return {
    clock,
    timers,
    lake,
    client,
    gateway: () => gateway,
    down: () => {
      gateway.close();
      handler = null;
    },
    restart: async () => {
      gateway.close();
      gateway = unwrapOrThrow(
        await SyncGateway.open({ gatewayId: 'gw', clock, timers, adapter: lake }),
      );
      handler = createWireHandler(gateway);
    },
  };
}

describe('SyncClient', () => {
  it('writes locally at once and converges with another client after a round each', async () => {
    const w = await world();
    const alice = await w.client('alice');
    const bob = await w.client('bob');
    unwrapOrThrow(await alice.insert('todos', 't1', { title: 'milk', done: false }));
    expect(alice.get('todos', 't1')).toEqual({ title: 'milk', done: false });
    unwrapOrThrow(await alice.syncOnce());
    unwrapOrThrow(await bob.syncOnce());
    expect(bob.get('todos', 't1')).toEqual({ title: 'milk', done: false });
    unwrapOrThrow(await bob.update('todos', 't1', { done: true }));
    unwrapOrThrow(await bob.syncOnce());
    unwrapOrThrow(await alice.syncOnce());
    expect(alice.get('todos', 't1')).toEqual({ title: 'milk', done: true });
  });

  it('keeps outbox entries until the gateway reports them durable', async () => {
    const w = await world();
    const queue = new MemoryQueue();
    const alice = await w.client('alice', queue);
    unwrapOrThrow(await alice.insert('todos', 't1', { title: 'x' }));
    const first = unwrapOrThrow(await alice.syncOnce());
    expect(first.pushed).toBe(1);
    expect(unwrapOrThrow(await queue.depth())).toBe(1);
    unwrapOrThrow(await w.gateway().flush());
    unwrapOrThrow(await alice.syncOnce());
    expect(unwrapOrThrow(await queue.depth())).toBe(0);
  });

  it('re-pushes accepted but unflushed writes after a gateway restart, losing nothing', async () => {
    const w = await world();
    const alice = await w.client('alice');
    unwrapOrThrow(await alice.insert('todos', 't1', { title: 'a' }));
    unwrapOrThrow(await alice.syncOnce());
    unwrapOrThrow(await w.gateway().flush());
    unwrapOrThrow(await alice.insert('todos', 't2', { title: 'b' }));
    unwrapOrThrow(await alice.syncOnce()); // accepted, not durable
    await w.restart(); // t2 lost from gateway memory
    unwrapOrThrow(await alice.insert('todos', 't3', { title: 'c' }));
    unwrapOrThrow(await alice.syncOnce()); // SEQUENCE_GAP → reopen → re-push t2, t3
    unwrapOrThrow(await alice.syncOnce());
    const bob = await w.client('bob');
    unwrapOrThrow(await bob.syncOnce());
    expect([...bob.rows().keys()].sort()).toEqual(['todos:t1', 'todos:t2', 'todos:t3']);
  });

  it('survives its own restart: outbox kept, HLC stays above its old stamps', async () => {
    const w = await world();
    const queue = new MemoryQueue();
    const first = await w.client('alice', queue);
    const d1 = unwrapOrThrow(await first.insert('todos', 't1', { title: 'a' }));
    first.close();
    w.clock.advance(-60_000); // the wall clock jumps back while it is down
    const second = await w.client('alice', queue);
    expect(second.get('todos', 't1')).toEqual({ title: 'a' });
    const d2 = unwrapOrThrow(await second.insert('todos', 't2', { title: 'b' }));
    expect(d2.hlc > d1.hlc).toBe(true);
    w.clock.advance(60_000);
    unwrapOrThrow(await second.syncOnce());
    expect(w.gateway().log()).toHaveLength(2);
  });

  it('reports a transport failure as an Err and retries the same entries later', async () => {
    const w = await world();
    const queue = new MemoryQueue();
    const alice = await w.client('alice', queue);
    unwrapOrThrow(await alice.syncOnce()); // the first round pulls before it pushes (ADR-021)
    unwrapOrThrow(await alice.insert('todos', 't1', { title: 'a' }));
    w.down();
    const failed = await alice.syncOnce();
    expect(failed.ok).toBe(false);
    const [entry] = unwrapOrThrow(await queue.entries());
    expect(entry?.status).toBe('pending');
    expect(entry?.retryCount).toBe(1);
    await w.restart();
    unwrapOrThrow(await alice.syncOnce());
    expect(w.gateway().log()).toHaveLength(1);
  });

  it('runs its own loop on the injected timers and backs off after failures', async () => {
    const w = await world();
    // Every round fails at its first request (a pull, until one has answered: ADR-021).
    let calls = 0;
    const unreachable = async () => {
      calls++;
      return Err(new TransportError('unreachable'));
    };
    const transport = { push: unreachable, pull: unreachable };
    const alice = unwrapOrThrow(
      await SyncClient.open({
        clientId: 'alice',
        clock: w.clock,
        timers: w.timers,
        transport,
        queue: new MemoryQueue(),
        options: { retryDelayMsMin: 1_000, retryDelayMsMax: 4_000, syncIntervalMs: 500 },
      }),
    );
    unwrapOrThrow(await alice.insert('todos', 't1', { a: 1 }));
    alice.start();
    await w.timers.advance(0);
    expect(calls).toBe(1);
    await w.timers.advance(999);
    expect(calls).toBe(1);
    await w.timers.advance(1);
    expect(calls).toBe(2);
    await w.timers.advance(2_000);
    expect(calls).toBe(3);
    await w.timers.advance(4_000);
    expect(calls).toBe(4);
    await w.timers.advance(4_000); // capped at retryDelayMsMax
    expect(calls).toBe(5);
    alice.stop();
    await w.timers.advance(60_000);
    expect(calls).toBe(5);
  });

  it('refuses an update of a row it cannot see and a write with a bad table name', async () => {
    const w = await world();
    const alice = await w.client('alice');
    expect((await alice.update('todos', 'ghost', { a: 1 })).ok).toBe(false);
    const bad = await alice.insert('../etc', 'x', { a: 1 });
    expect(bad.ok).toBe(false);
    expect(alice.rows().size).toBe(0);
  });

  it('keeps odd column names as plain data', async () => {
    const w = await world();
    const alice = await w.client('alice');
    const bob = await w.client('bob');
    unwrapOrThrow(
      await alice.insert('todos', 't1', { ['__proto__']: 'p', constructor: 'c' } as Record<
        string,
        unknown
      >),
    );
    unwrapOrThrow(await alice.syncOnce());
    unwrapOrThrow(await bob.syncOnce());
    const row = bob.get('todos', 't1');
    expect(row && Object.getOwnPropertyDescriptor(row, '__proto__')?.value).toBe('p');
    expect(({} as Record<string, unknown>).constructor).toBe(Object);
  });
});
