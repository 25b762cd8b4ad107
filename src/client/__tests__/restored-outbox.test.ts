import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { MemoryAdapter } from '../../adapter/memory-adapter';
import type { RowDelta } from '../../delta/types';
import { SyncGateway } from '../../gateway/gateway';
import { createInProcessTransport } from '../../gateway/in-process-transport';
import type { GatewayOptions } from '../../gateway/options';
import { createWireHandler } from '../../gateway/wire-handler';
import type { Clock } from '../../ports/clock';
import { ManualClock, ManualTimers } from '../../ports/manual';
import type { Transport } from '../../ports/transport';
import { IdbQueue } from '../../queue/idb-queue';
import { MemoryQueue } from '../../queue/memory-queue';
import type { QueueCheckpoint } from '../../queue/queue-checkpoint';
import type { SyncQueue } from '../../queue/types';
import { TransportError } from '../../result/errors';
import { Err, unwrapOrThrow } from '../../result/result';
import type { ClientOptions } from '../options';
import type { ClientIdReuse } from '../reused-client-id';
import { SyncClient } from '../sync-client';

/**
 * A device restored from a backup (ADR-021): its outbox, `lastHlc` and everything else roll back
 * to a checkpoint taken while some writes were still unsent. The lost process had pushed those
 * since, and made later edits. The restored client must keep what the gateway holds (its echo
 * came back in a pull) instead of stamping it again over the later edits.
 */

const ok = unwrapOrThrow;

async function world(gatewayOptions: Partial<GatewayOptions> = {}) {
  const clock = new ManualClock();
  const timers = new ManualTimers(clock);
  const lake = new MemoryAdapter({ clock });
  const gateway = ok(
    await SyncGateway.open({
      gatewayId: 'gw',
      clock,
      timers,
      adapter: lake,
      options: gatewayOptions,
    }),
  );
  const transport = createInProcessTransport(createWireHandler(gateway));
  const reuses: ClientIdReuse[] = [];
  const open = async (
    queue: SyncQueue,
    options: {
      clientId?: string;
      offsetMs?: number;
      transport?: Transport;
      client?: Partial<ClientOptions>;
    } = {},
  ) => {
    const offsetMs = options.offsetMs ?? 0;
    const own: Clock = { now: () => clock.now() + offsetMs };
    return ok(
      await SyncClient.open({
        clientId: options.clientId ?? 'alice',
        clock: own,
        timers,
        transport: options.transport ?? transport,
        queue,
        options: options.client,
        onClientIdReused: (reuse) => reuses.push(reuse),
      }),
    );
  };
  /** Every delta the gateway holds, in log order, as `rowId=title`. */
  const logged = () =>
    gateway.log().map(({ delta }) => `${delta.rowId}=${String(delta.columns[0]?.value)}`);
  return { clock, gateway, transport, open, logged, reuses };
}

/** The device before the crash: a story of writes and syncs, during which the backup is taken. */
async function lostDevice(
  w: Awaited<ReturnType<typeof world>>,
  story: (device: SyncClient, takeBackup: () => void) => Promise<void>,
  options: { transport?: Transport; client?: Partial<ClientOptions>; offsetMs?: number } = {},
): Promise<QueueCheckpoint> {
  const queue = new MemoryQueue();
  const device = await w.open(queue, options);
  let checkpoint: QueueCheckpoint | null = null;
  await story(device, () => {
    checkpoint = queue.checkpoint();
  });
  device.close(); // it dies; only the backup survives
  w.clock.advance(1_000);
  if (checkpoint === null) throw new Error('the story took no backup');
  return checkpoint;
}

/** A transport that fails every request while `down` is set. */
function switchable(inner: Transport): Transport & { down: boolean } {
  const failed = () => Promise.resolve(Err(new TransportError('network down')));
  return {
    down: false,
    pull(request) {
      return this.down ? failed() : inner.pull(request);
    },
    push(request) {
      return this.down ? failed() : inner.push(request);
    },
  };
}

/** A transport that lets `pushes` pushes through, then fails every push (pulls pass). */
function pushesThenDown(inner: Transport, pushes: number): Transport {
  let left = pushes;
  return {
    pull: (request) => inner.pull(request),
    push: (request) => {
      if (left-- > 0) return inner.push(request);
      return Promise.resolve(Err(new TransportError('network down')));
    },
  };
}

/** The first write, a backup with it pending, its sync, then the user's later edit, synced. */
async function pushedThenEdited(device: SyncClient, takeBackup: () => void, w: World) {
  ok(await device.insert('todos', 'r', { title: 'v1' }));
  takeBackup(); // v1 is pending in the backup
  ok(await device.syncOnce());
  w.clock.advance(500);
  ok(await device.update('todos', 'r', { title: 'v2' })); // the user's later edit
  ok(await device.syncOnce());
}

type World = Awaited<ReturnType<typeof world>>;

/**
 * The backup restored into a fresh outbox of either kind. An IndexedDB backup is a copy of the
 * database; here its entries, all pending, are pushed into a new one, which holds the same.
 */
const restorers: Array<[string, (backup: QueueCheckpoint) => Promise<SyncQueue>]> = [
  ['MemoryQueue', async (backup) => ok(MemoryQueue.restore(backup))],
  [
    'IdbQueue',
    async (backup) => {
      const queue = ok(await IdbQueue.open('restored', { indexedDB: new IDBFactory() }));
      for (const entry of backup.entries) {
        expect(entry.status).toBe('pending');
        ok(await queue.push(entry.delta));
      }
      expect(ok(await queue.lastHlc())).toBe(backup.lastHlc);
      return queue;
    },
  ],
];

describe('an outbox restored from a backup', () => {
  it.each(restorers)(
    'keeps the backup’s pending write the gateway accepted since: the later edit stays (%s)',
    async (_, restore) => {
      const w = await world();
      const backup = await lostDevice(w, (device, takeBackup) =>
        pushedThenEdited(device, takeBackup, w),
      );
      expect(w.logged()).toEqual(['r=v1', 'r=v2']);

      const queue = await restore(backup);
      const restored = await w.open(queue);
      ok(await restored.syncOnce());
      ok(await restored.syncOnce());

      // v1 came back in the first pull, so the gateway holds it: kept, not applied again over v2.
      expect(w.logged()).toEqual(['r=v1', 'r=v2']);
      expect(restored.get('todos', 'r')).toEqual({ title: 'v2' });
      expect(restored.stats).toMatchObject({ clientIdReuses: 1, restamped: 0, keptEchoed: 1 });
      expect(ok(await queue.entries()).map((entry) => entry.status)).toEqual(['accepted']);
      expect(w.reuses[0]).toMatchObject({ kept: 1, restamped: 0, exact: true });
      expect(w.reuses[0]?.message).toMatch(/1 write\(s\) the gateway already holds/);
      // The outbox answers for the watermark now: no notice on later replies, and it drains.
      ok(await w.gateway.flush());
      ok(await restored.syncOnce());
      expect(ok(await queue.entries())).toEqual([]);
      expect(w.reuses).toHaveLength(1);
    },
  );

  it('a backup whose entries were all accepted: nothing stamped again, and the outbox drains', async () => {
    const w = await world();
    const backup = await lostDevice(w, async (device, takeBackup) => {
      ok(await device.insert('todos', 'r', { title: 'v1' }));
      ok(await device.syncOnce());
      takeBackup(); // v1 accepted, not yet durable
      w.clock.advance(500);
      ok(await device.update('todos', 'r', { title: 'v2' }));
      ok(await device.syncOnce());
    });
    const queue = ok(MemoryQueue.restore(backup));
    const restored = await w.open(queue);
    ok(await restored.syncOnce());
    expect(w.reuses.map((reuse) => reuse.message)).toEqual([
      expect.stringMatching(/nothing unsent to stamp again/),
    ]);
    // The outbox answers for the watermark now (lastHlc raised to it), so the next replies apply
    // the watermarks: once the lake has v1, the accepted entry leaves the outbox.
    expect(ok(await queue.lastHlc())).toBe(w.gateway.log()[1]?.delta.hlc);
    ok(await w.gateway.flush());
    ok(await restored.syncOnce());
    expect(ok(await queue.entries())).toEqual([]);
    expect(w.logged()).toEqual(['r=v1', 'r=v2']);
    expect(w.reuses).toHaveLength(1);
  });

  it('a mix: the accepted entry is kept, the unsent one goes out as it is, once', async () => {
    const w = await world();
    const backup = await lostDevice(
      w,
      async (device, takeBackup) => {
        ok(await device.syncOnce()); // the first round's pull: later rounds push first
        ok(await device.insert('todos', 'a', { title: 'a1' }));
        ok(await device.insert('todos', 'b', { title: 'b1' }));
        takeBackup(); // both pending
        // The lost process got a1 through, then the network went down before b1.
        expect((await device.syncOnce()).ok).toBe(false);
      },
      { transport: pushesThenDown(w.transport, 1), client: { pushBatchMax: 1 } },
    );
    expect(w.logged()).toEqual(['a=a1']);

    const restored = await w.open(ok(MemoryQueue.restore(backup)));
    ok(await restored.syncOnce());

    // a1 is under the watermark and came back: kept. b1 is above it: nothing covers it, so it
    // is pushed with its own stamp, not stamped again.
    expect(w.logged()).toEqual(['a=a1', 'b=b1']);
    expect(w.gateway.log()[1]?.delta.hlc).toBe(backup.entries[1]?.delta.hlc);
    expect(restored.stats).toMatchObject({ restamped: 0, keptEchoed: 1 });
  });

  it('a mix under a reused watermark: only the truly unsent write is stamped again', async () => {
    const w = await world();
    const backup = await lostDevice(w, (device, takeBackup) =>
      pushedThenEdited(device, takeBackup, w),
    );
    // The restored device's clock is a minute behind: its offline write sorts below v2.
    const queue = ok(MemoryQueue.restore(backup));
    const restored = await w.open(queue, { offsetMs: -60_000 });
    const offline = ok(await restored.insert('todos', 'n', { title: 'n1' }));
    const watermark = w.gateway.log()[1]!.delta.hlc;
    expect(offline.hlc < watermark).toBe(true);

    ok(await restored.syncOnce());

    expect(w.logged()).toEqual(['r=v1', 'r=v2', 'n=n1']);
    expect(w.gateway.log()[2]!.delta.hlc > watermark).toBe(true);
    expect(restored.get('todos', 'r')).toEqual({ title: 'v2' });
    expect(restored.stats).toMatchObject({ restamped: 1, keptEchoed: 1 });
    expect(w.reuses[0]?.message).toMatch(
      /1 unsent write\(s\) stamped again.*1 write\(s\) the gateway/,
    );
  });

  it('a restored clock re-issues a stamp the lost process used: the new write is not removed as durable', async () => {
    const w = await world();
    const link = switchable(w.transport);
    let later: RowDelta | null = null;
    const backup = await lostDevice(
      w,
      async (device, takeBackup) => {
        ok(await device.syncOnce());
        link.down = true;
        ok(await device.insert('todos', 'a', { title: 'a1' }));
        expect((await device.syncOnce()).ok).toBe(false); // a was tried: retryCount 1
        takeBackup();
        later = ok(await device.insert('todos', 'b', { title: 'b1' }));
        link.down = false;
        ok(await device.syncOnce());
      },
      { transport: link, offsetMs: -60_000 },
    );
    ok(await w.gateway.flush());
    // The restored device's clock is as far behind: from the backup's lastHlc its next stamp is
    // exactly the one the lost process gave b. The gateway's watermarks cover it, though it was
    // never sent, behind the backup's entry that was.
    const queue = ok(MemoryQueue.restore(backup));
    const restored = await w.open(queue, { offsetMs: -60_000 });
    const offline = ok(await restored.insert('todos', 'c', { title: 'c1' }));
    expect(offline.hlc).toBe((later as unknown as RowDelta).hlc);

    ok(await restored.syncOnce());

    expect(w.logged()).toEqual(['a=a1', 'b=b1', 'c=c1']);
    expect(restored.stats).toMatchObject({ restamped: 1, keptEchoed: 1 });
  });

  it('waits for a paged pull to reach the head: the echo on a later page still counts', async () => {
    const w = await world();
    // Bob's writes come first in the log, so alice's echo is on the last page of three.
    const bob = await w.open(new MemoryQueue(), { clientId: 'bob' });
    for (const id of ['b1', 'b2', 'b3']) ok(await bob.insert('todos', id, { title: id }));
    ok(await bob.syncOnce());
    const backup = await lostDevice(w, (device, takeBackup) =>
      pushedThenEdited(device, takeBackup, w),
    );
    expect(w.logged()).toEqual(['b1=b1', 'b2=b2', 'b3=b3', 'r=v1', 'r=v2']);

    const restored = await w.open(ok(MemoryQueue.restore(backup)), {
      client: { pullDeltasMax: 2 },
    });
    ok(await restored.syncOnce());

    expect(w.logged()).toEqual(['b1=b1', 'b2=b2', 'b3=b3', 'r=v1', 'r=v2']);
    expect(restored.get('todos', 'r')).toEqual({ title: 'v2' });
    expect(restored.stats).toMatchObject({ clientIdReuses: 1, restamped: 0, keptEchoed: 1 });
  });

  it('a snapshot cannot show the accepted write: falls back to stamping it again, and says so', async () => {
    // A log that keeps one flushed entry: a cursor at 0 is then answered with a snapshot.
    const w = await world({ logRetainMax: 1 });
    const backup = await lostDevice(w, async (device, takeBackup) => {
      await pushedThenEdited(device, takeBackup, w);
      ok(await w.gateway.flush());
    });
    expect(w.logged()).toEqual(['r=v2']);

    const restored = await w.open(ok(MemoryQueue.restore(backup)));
    ok(await restored.syncOnce());

    // v1 was overwritten by v2, so no snapshot delta carries it: today's behaviour, v1 applied
    // again over v2 (the documented limit), and the notice says the decision was not exact.
    expect(w.logged()).toEqual(['r=v2', 'r=v1']);
    expect(restored.stats).toMatchObject({ restamped: 1, keptEchoed: 0 });
    expect(w.reuses[0]).toMatchObject({ exact: false, restamped: 1, kept: 0 });
    expect(w.reuses[0]?.message).toMatch(/answered with a snapshot/);
  });

  it('a genuine reused id (outbox wiped): own deltas in the pull that it never held change nothing', async () => {
    const w = await world();
    await lostDevice(w, (device, takeBackup) => pushedThenEdited(device, takeBackup, w));
    // A fresh outbox under the id, its clock behind: it writes the same value v1 again. The pull
    // brings back alice's earlier v1 and v2, but they were never in this outbox.
    const queue = new MemoryQueue();
    const fresh = await w.open(queue, { offsetMs: -60_000 });
    const again = ok(await fresh.insert('todos', 'r', { title: 'v1' }));
    const watermark = w.gateway.log()[1]!.delta.hlc;
    expect(again.hlc < watermark).toBe(true);

    ok(await fresh.syncOnce());

    expect(w.logged()).toEqual(['r=v1', 'r=v2', 'r=v1']);
    expect(w.gateway.log()[2]!.delta.hlc > watermark).toBe(true);
    expect(fresh.stats).toMatchObject({ clientIdReuses: 1, restamped: 1, keptEchoed: 0 });
    expect(fresh.get('todos', 'r')).toEqual({ title: 'v1' });
  });
});
