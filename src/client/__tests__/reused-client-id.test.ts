import { describe, expect, it } from 'vitest';
import { MemoryAdapter } from '../../adapter/memory-adapter';
import { deltaId } from '../../delta/delta-id';
import type { RowDelta } from '../../delta/types';
import { SyncGateway } from '../../gateway/gateway';
import { createInProcessTransport } from '../../gateway/in-process-transport';
import { createWireHandler } from '../../gateway/wire-handler';
import type { HLCTimestamp } from '../../hlc/types';
import type { Clock } from '../../ports/clock';
import { ManualClock, ManualTimers } from '../../ports/manual';
import type { Transport } from '../../ports/transport';
import { MemoryQueue } from '../../queue/memory-queue';
import type { OutboxMark, SyncQueue } from '../../queue/types';
import { unwrapOrThrow } from '../../result/result';
import type { ReplicaEvent } from '../replica-event';
import type { ClientIdReuse } from '../reused-client-id';
import { SyncClient } from '../sync-client';

/**
 * A reused client id (ADR-021): a fresh outbox under an id whose earlier outbox left the gateway's
 * accepted watermark above the fresh one's stamps. Without the mend the gateway acknowledges the
 * new writes as duplicates and they vanish; with it they are stamped again and land.
 */

/** A transport whose requests can be held back until released (a batch kept in flight). */
class HeldTransport implements Transport {
  readonly #inner: Transport;
  hold = false;
  readonly #held: Array<() => void> = [];
  /** Runs (awaited) just before a pull goes out, once. */
  beforePull: (() => Promise<void>) | null = null;

  constructor(inner: Transport) {
    this.#inner = inner;
  }

  async push(request: Uint8Array) {
    if (this.hold) await new Promise<void>((resume) => this.#held.push(resume));
    return this.#inner.push(request);
  }

  async pull(request: Uint8Array) {
    const hook = this.beforePull;
    this.beforePull = null;
    if (hook !== null) await hook();
    return this.#inner.pull(request);
  }

  release(): void {
    this.hold = false;
    for (const resume of this.#held.splice(0)) resume();
  }

  get heldCount(): number {
    return this.#held.length;
  }
}

/** Lets pending promise callbacks run (no real time passes). */
async function settle(): Promise<void> {
  for (let turn = 0; turn < 20; turn++) await Promise.resolve();
}

async function world() {
  const clock = new ManualClock();
  const timers = new ManualTimers(clock);
  const lake = new MemoryAdapter({ clock });
  const gateway = unwrapOrThrow(
    await SyncGateway.open({ gatewayId: 'gw', clock, timers, adapter: lake }),
  );
  const handler = createWireHandler(gateway);
  const reuses: ClientIdReuse[] = [];
  const events: ReplicaEvent[] = [];
  const open = async (
    queue: SyncQueue,
    options: {
      offsetMs?: number;
      clock?: Clock;
      transport?: Transport;
      recoverSending?: boolean;
    } = {},
  ) => {
    const offsetMs = options.offsetMs ?? 0;
    const own: Clock = options.clock ?? { now: () => clock.now() + offsetMs };
    return unwrapOrThrow(
      await SyncClient.open({
        clientId: 'alice',
        clock: own,
        timers,
        transport: options.transport ?? createInProcessTransport(handler),
        queue,
        onClientIdReused: (reuse) => reuses.push(reuse),
        onApplied: (event) => events.push(event),
        recoverSending: options.recoverSending ?? true,
      }),
    );
  };
  /** The first incarnation: three writes at the gateway's time, synced and flushed to the lake. */
  const earlier = async (): Promise<HLCTimestamp> => {
    const first = await open(new MemoryQueue());
    let newest = 0n as HLCTimestamp;
    for (const id of ['a', 'b', 'c']) {
      newest = unwrapOrThrow(await first.insert('todos', id, { title: id })).hlc;
    }
    unwrapOrThrow(await first.syncOnce());
    unwrapOrThrow(await gateway.flush());
    unwrapOrThrow(await first.syncOnce());
    first.close();
    clock.advance(1_000);
    return newest;
  };
  const logged = () => gateway.log().map((entry) => entry.delta);
  return { clock, gateway, handler, open, earlier, logged, reuses, events };
}

/** The rows of `todos` the gateway log holds from `alice`, in log order. */
function titles(deltas: readonly RowDelta[]): unknown[] {
  return deltas.map((delta) => delta.columns[0]?.value ?? `${delta.op} ${delta.rowId}`);
}

describe('a reused client id', () => {
  it('never pushes an unsent write at or below the watermark: a slower second loop’s write is stamped again', async () => {
    const w = await world();
    const queue = new MemoryQueue();
    const loopA = await w.open(queue);
    const loopB = await w.open(queue, { offsetMs: -30_000, recoverSending: false });
    unwrapOrThrow(await loopA.insert('todos', 'x', { title: 'x' }));
    unwrapOrThrow(await loopA.syncOnce());
    // Loop B's clock is behind and it has heard nothing since it opened: its write sorts below
    // loop A's, which the gateway holds, so pushed as it is it would be dropped as a duplicate.
    const late = unwrapOrThrow(await loopB.insert('todos', 'y', { title: 'y' }));
    const watermark = w.logged()[0]!.hlc;
    expect(late.hlc < watermark).toBe(true);

    unwrapOrThrow(await loopA.syncOnce());

    expect(titles(w.logged())).toEqual(['x', 'y']);
    expect(w.logged()[1]!.hlc > watermark).toBe(true);
    expect(loopA.stats.restamped).toBe(1);
  });

  it('writes straddling the watermark before first contact: the one below is stamped again, none lost', async () => {
    const w = await world();
    const watermark = await w.earlier();
    const queue = new MemoryQueue();
    // The fresh outbox's clock starts a minute behind, then is set right (NTP) before it syncs:
    // its newest stamp is above the watermark, so comparing the watermark with it sees nothing.
    const offset = { ms: -60_000 };
    const fresh = await w.open(queue, { clock: { now: () => w.clock.now() + offset.ms } });
    const below = unwrapOrThrow(await fresh.insert('todos', 'd', { title: 'd' }));
    offset.ms = 2_000;
    const above = unwrapOrThrow(await fresh.insert('todos', 'e', { title: 'e' }));
    expect(below.hlc < watermark && above.hlc > watermark).toBe(true);

    unwrapOrThrow(await fresh.syncOnce());

    // The first round pulled first, saw the oldest unsent write under the watermark, and stamped
    // both again (push order kept) before pushing; the lake's durable watermark removed nothing.
    expect(titles(w.logged())).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(
      w
        .logged()
        .slice(3)
        .every((delta) => delta.hlc > watermark),
    ).toBe(true);
    expect(fresh.stats.restamped).toBe(2);
    unwrapOrThrow(await w.gateway.flush());
    unwrapOrThrow(await fresh.syncOnce());
    expect(ok(await queue.entries())).toEqual([]);
  });

  it('on a push reply: restamps the swallowed batch above the watermark and pushes it again', async () => {
    const w = await world();
    const watermark = await w.earlier();
    const queue = new MemoryQueue();
    const fresh = await w.open(queue, { offsetMs: -60_000 });
    const written = unwrapOrThrow(await fresh.insert('todos', 'd', { title: 'd' }));
    expect(written.hlc < watermark).toBe(true);

    const round = unwrapOrThrow(await fresh.syncOnce());

    expect(round.pushed).toBe(1);
    expect(fresh.stats).toMatchObject({ clientIdReuses: 1, restamped: 1 });
    expect(titles(w.logged())).toEqual(['a', 'b', 'c', 'd']);
    const landed = w.logged()[3] as RowDelta;
    expect(landed.hlc > watermark).toBe(true);
    expect(landed.deltaId).not.toBe(written.deltaId);
    expect(w.reuses).toHaveLength(1);
    expect(w.reuses[0]).toMatchObject({ clientId: 'alice', acceptedHlc: watermark, restamped: 1 });
    expect(w.reuses[0]?.message).toMatch(/client id alice was used by another outbox/);
    const restamp = w.events.find((event) => event.source === 'restamp');
    expect(restamp?.replaced).toEqual([written]);
    expect(restamp?.deltas.map((delta) => delta.deltaId)).toEqual([landed.deltaId]);
    expect(fresh.get('todos', 'd')).toEqual({ title: 'd' });
    expect(ok(await queue.lastHlc())).toBe(landed.hlc);
  });

  it('on a pull reply: restamps before the next push and keeps the entries the foreign watermarks cover', async () => {
    const w = await world();
    const watermark = await w.earlier();
    const queue = new MemoryQueue();
    const transport = new HeldTransport(createInProcessTransport(w.handler));
    const fresh = await w.open(queue, { offsetMs: -60_000, transport });
    let written: RowDelta | null = null;
    // The write lands after the (empty) push phase, before the pull: its reply is the first.
    transport.beforePull = async () => {
      written = unwrapOrThrow(await fresh.insert('todos', 'd', { title: 'd' }));
    };

    const round = unwrapOrThrow(await fresh.syncOnce());

    // The first round pulls before it pushes: that pull's reply restamps, then the push sends.
    expect(round.pushed).toBe(1);
    expect(written).not.toBeNull();
    const entries = ok(await queue.entries());
    // Not removed by the other outbox's durable watermark (which covers the old stamp)…
    expect(entries).toHaveLength(1);
    // …and stamped again above the accepted one before it was pushed.
    expect(entries[0]?.delta.hlc !== undefined && entries[0].delta.hlc > watermark).toBe(true);
    expect(entries[0]?.id).not.toBe((written as unknown as RowDelta).deltaId);
    expect(fresh.stats.restamped).toBe(1);

    unwrapOrThrow(await fresh.syncOnce());
    expect(titles(w.logged())).toEqual(['a', 'b', 'c', 'd']);
  });

  it('keeps push order: rising fresh stamps above the watermark, the same writes, ADR-009 ids', async () => {
    const w = await world();
    const watermark = await w.earlier();
    const queue = new MemoryQueue();
    const fresh = await w.open(queue, { offsetMs: -60_000 });
    unwrapOrThrow(await fresh.insert('todos', 'd', { title: 'd' }));
    unwrapOrThrow(await fresh.insert('todos', 'e', { title: 'e' }));
    unwrapOrThrow(await fresh.update('todos', 'd', { title: 'd2' }));
    unwrapOrThrow(await fresh.delete('todos', 'e'));
    const before = ok(await queue.entries()).map((entry) => entry.delta);

    unwrapOrThrow(await fresh.syncOnce());

    const landed = w.logged().slice(3);
    expect(titles(landed)).toEqual(['d', 'e', 'd2', 'DELETE e']);
    for (const [index, delta] of landed.entries()) {
      const original = before[index] as RowDelta;
      expect(delta.hlc > watermark).toBe(true);
      if (index > 0) expect(delta.hlc > (landed[index - 1] as RowDelta).hlc).toBe(true);
      expect({ ...delta, hlc: 0n, deltaId: '' }).toEqual({ ...original, hlc: 0n, deltaId: '' });
      expect(delta.deltaId).toBe(deltaId(delta));
    }
    expect(fresh.rows().size).toBe(4); // a, b, c from the pull, d; e deleted
    expect(fresh.get('todos', 'd')).toEqual({ title: 'd2' });
  });

  it('skips the restamp while another loop has an entry in flight, and that loop mends it', async () => {
    const w = await world();
    const queue = new MemoryQueue();
    const heldTransport = new HeldTransport(createInProcessTransport(w.handler));
    const loopB = await w.open(queue, {
      offsetMs: -60_000,
      transport: heldTransport,
      recoverSending: false,
    });
    // Loop B's first round pulls before it pushes, while the id has no watermark yet: from its
    // second round on, a round starts with its push, which is what this test holds in flight, and
    // B has no reason to doubt the writes it sends.
    unwrapOrThrow(await loopB.syncOnce());
    const watermark = await w.earlier();
    const loopA = await w.open(queue, { offsetMs: -60_000 });
    const noticesBefore = w.reuses.length;
    unwrapOrThrow(await loopA.insert('todos', 'd', { title: 'd' }));
    unwrapOrThrow(await loopA.insert('todos', 'e', { title: 'e' }));
    heldTransport.hold = true;
    const roundB = loopB.syncOnce(); // claims d and e, then waits
    await settle();
    expect(heldTransport.heldCount).toBe(1);
    unwrapOrThrow(await loopA.insert('todos', 'f', { title: 'f' }));

    unwrapOrThrow(await loopA.syncOnce());

    expect(loopA.stats.clientIdReuses).toBeGreaterThanOrEqual(1);
    expect(loopA.stats.restamped).toBe(0);
    const notice = w.reuses[noticesBefore];
    expect(notice?.inFlight).toBe(2);
    expect(notice?.message).toMatch(/in flight/);
    expect(ok(await queue.entries()).map((entry) => [entry.delta.rowId, entry.status])).toEqual([
      ['d', 'sending'],
      ['e', 'sending'],
      ['f', 'pending'],
    ]);
    expect(w.logged()).toHaveLength(3);

    heldTransport.release();
    unwrapOrThrow(await roundB);
    expect(loopB.stats.restamped).toBe(3);
    const landed = w.logged().slice(3);
    expect(titles(landed)).toEqual(['d', 'e', 'f']);
    expect(landed.every((delta) => delta.hlc > watermark)).toBe(true);
  });

  it('with nothing unsent, tells once and stamps later writes above the watermark', async () => {
    const w = await world();
    const watermark = await w.earlier();
    const fresh = await w.open(new MemoryQueue(), { offsetMs: -60_000 });
    unwrapOrThrow(await fresh.syncOnce());
    unwrapOrThrow(await fresh.syncOnce());
    expect(w.reuses).toHaveLength(1);
    expect(w.reuses[0]?.message).toMatch(/nothing unsent/);
    expect(fresh.stats).toMatchObject({ clientIdReuses: 1, restamped: 0 });
    const written = unwrapOrThrow(await fresh.insert('todos', 'd', { title: 'd' }));
    expect(written.hlc > watermark).toBe(true);
    unwrapOrThrow(await fresh.syncOnce());
    expect(titles(w.logged())).toEqual(['a', 'b', 'c', 'd']);
    expect(w.reuses).toHaveLength(1);
  });

  it('changes nothing when the watermark is its own: no restamp, no queue reads, no notice', async () => {
    const w = await world();
    const inner = new MemoryQueue();
    const calls = { lastHlc: 0, entries: 0, restamp: 0, peek: 0 };
    const queue: SyncQueue = Object.assign(Object.create(inner) as SyncQueue, {
      peek: (limit: number) => {
        calls.peek++;
        return inner.peek(limit);
      },
      lastHlc: () => {
        calls.lastHlc++;
        return inner.lastHlc();
      },
      entries: () => {
        calls.entries++;
        return inner.entries();
      },
      // `open` reads the whole outbox through it (from the start mark): counted as a full read.
      entriesSince: (since: OutboxMark) => {
        calls.entries++;
        return inner.entriesSince(since);
      },
      restamp: (...args: Parameters<SyncQueue['restamp']>) => {
        calls.restamp++;
        return inner.restamp(...args);
      },
    });
    for (const method of ['push', 'claimBatch', 'ack', 'nack', 'reopen', 'removeDurable', 'depth'])
      Object.assign(queue, {
        [method]: (...args: never[]) =>
          (inner as unknown as Record<string, (...a: never[]) => unknown>)[method]?.(...args),
      });
    const client = await w.open(queue);
    expect(calls).toEqual({ lastHlc: 1, entries: 1, restamp: 0, peek: 0 });
    for (let round = 0; round < 4; round++) {
      unwrapOrThrow(await client.insert('todos', `t${round}`, { title: `${round}` }));
      unwrapOrThrow(await client.syncOnce());
      if (round % 2 === 1) unwrapOrThrow(await w.gateway.flush());
      w.clock.advance(500);
    }
    unwrapOrThrow(await client.syncOnce());
    expect(calls).toEqual({ lastHlc: 1, entries: 1, restamp: 0, peek: 0 });
    expect(client.stats).toMatchObject({ clientIdReuses: 0, restamped: 0, deltasPushed: 4 });
    expect(w.reuses).toEqual([]);
    expect(w.events.some((event) => event.source === 'restamp')).toBe(false);
    expect(titles(w.logged())).toEqual(['0', '1', '2', '3']);
  });

  it('a second loop whose bound is stale asks the queue once and finds no reuse', async () => {
    const w = await world();
    const queue = new MemoryQueue();
    const loopA = await w.open(queue);
    const loopB = await w.open(queue, { recoverSending: false });
    unwrapOrThrow(await loopA.insert('todos', 't', { title: 't' }));
    unwrapOrThrow(await loopA.syncOnce());
    // B never stamped or sent t, but the gateway's watermark (t) is in the shared outbox.
    unwrapOrThrow(await loopB.syncOnce());
    expect(loopB.stats).toMatchObject({ clientIdReuses: 0, restamped: 0 });
    expect(ok(await queue.entries()).map((entry) => entry.status)).toEqual(['accepted']);
    expect(w.reuses).toEqual([]);
  });
});

const ok = unwrapOrThrow;
