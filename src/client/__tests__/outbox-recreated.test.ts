import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock, ManualTimers } from '../../ports/manual';
import type { Transport } from '../../ports/transport';
import { IdbQueue } from '../../queue/idb-queue';
import type { SyncQueue } from '../../queue/types';
import { TransportError } from '../../result/errors';
import { Err, unwrapOrThrow } from '../../result/result';
import { SyncClient } from '../sync-client';

/**
 * A tab's merge mark belongs to the outbox that gave it (ADR-023). When the database is deleted
 * and created again under a live tab (site data cleared; the new outbox's seqs start again at 1),
 * the tab's old mark must not skip the new outbox's first entries: a write made in another tab
 * would otherwise never show in this one.
 */

const ok = unwrapOrThrow;

const OFFLINE: Transport = {
  push: async () => Err(new TransportError('test: offline')),
  pull: async () => Err(new TransportError('test: offline')),
};

const opened: IdbQueue[] = [];

afterEach(() => {
  for (const queue of opened.splice(0)) queue.close();
});

/**
 * One tab's outbox as an app that reconnects would hold it: every call goes to the current
 * connection to the database `name`, and `reopen` connects again (after the database was deleted,
 * which closed the old connection).
 */
async function reconnecting(
  factory: IDBFactory,
  name: string,
): Promise<{ queue: SyncQueue; reopen: () => Promise<void> }> {
  const connect = async () => {
    const queue = ok(await IdbQueue.open(name, { indexedDB: factory, requireRisingHlc: true }));
    opened.push(queue);
    return queue;
  };
  let current = await connect();
  const queue: SyncQueue = {
    push: (delta) => current.push(delta),
    peek: (limit) => current.peek(limit),
    markSending: (ids) => current.markSending(ids),
    claim: (limit) => current.claim(limit),
    claimBatch: (limit) => current.claimBatch(limit),
    ack: (ids) => current.ack(ids),
    nack: (ids) => current.nack(ids),
    reopen: (hlc) => current.reopen(hlc),
    removeDurable: (hlc) => current.removeDurable(hlc),
    entries: () => current.entries(),
    entriesSince: (since) => current.entriesSince(since),
    depth: () => current.depth(),
    lastHlc: () => current.lastHlc(),
    restamp: (replacements, options) => current.restamp(replacements, options),
    clear: () => current.clear(),
  };
  return {
    queue,
    reopen: async () => {
      current = await connect();
    },
  };
}

async function deleteDatabase(factory: IDBFactory, name: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const request = factory.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
  });
}

/** Two tabs, each with its own connection to one outbox database, both offline. */
async function twoTabs() {
  const factory = new IDBFactory();
  const clock = new ManualClock();
  const timers = new ManualTimers(clock);
  const outboxes = [await reconnecting(factory, 'tabs'), await reconnecting(factory, 'tabs')];
  const open = async (queue: SyncQueue) =>
    ok(
      await SyncClient.open({
        clientId: 'ann',
        clock,
        timers,
        transport: OFFLINE,
        queue,
        recoverSending: false,
      }),
    );
  const [first, second] = [outboxes[0]!, outboxes[1]!];
  const tabs = { a: await open(first.queue), b: await open(second.queue) };
  /** Site data cleared under both live tabs: the database goes, and each tab connects again. */
  const recreate = async () => {
    await deleteDatabase(factory, 'tabs');
    for (const outbox of outboxes) await outbox.reopen();
  };
  return { ...tabs, clock, recreate };
}

/** `tab` writes each of `rows` (title = row id), one clock tick apart. */
async function writeRows(tab: SyncClient, clock: ManualClock, rows: readonly string[]) {
  for (const row of rows) {
    clock.advance(1);
    ok(await tab.insert('todos', row, { title: row }));
  }
}

describe('a tab over an outbox deleted and created again under it', () => {
  for (const writes of [1, 5]) {
    it(`shows the other tab's ${writes} write(s) to the new outbox (old mark at seq 3)`, async () => {
      const { a, b, clock, recreate } = await twoTabs();
      await writeRows(b, clock, ['o1', 'o2', 'o3']);
      expect(ok(await a.mergeOutbox())).toBe(3);
      await recreate();
      // B writes to the new outbox (seq 1 onwards). With 5 writes its seqs pass A's old mark,
      // so only the incarnation tells the two outboxes apart; with 1, the seq alone does.
      const rows = Array.from({ length: writes }, (_, n) => `new${n}`);
      await writeRows(b, clock, rows);
      expect(ok(await a.mergeOutbox())).toBe(writes);
      for (const row of rows) expect(a.get('todos', row)).toEqual({ title: row });
      // Read once, the new outbox's mark is A's (its seq, not the old one's 3): later merges
      // read what is new there, all of it.
      const later = ['later1', 'later2', 'later3'];
      await writeRows(b, clock, later);
      expect(ok(await a.mergeOutbox())).toBe(3);
      for (const row of later) expect(a.get('todos', row)).toEqual({ title: row });
    });
  }

  it("shows the other tab's writes when this tab wrote first to the new outbox", async () => {
    const { a, b, clock, recreate } = await twoTabs();
    await writeRows(b, clock, ['o1', 'o2', 'o3']);
    expect(ok(await a.mergeOutbox())).toBe(3);
    await recreate();
    // B writes seqs 1..3, then A seq 4: right after A's old mark, so A's own write moves it on
    // (in the old incarnation) without A having read B's three.
    await writeRows(b, clock, ['n1', 'n2', 'n3']);
    clock.advance(1);
    ok(await a.insert('todos', 'own', { title: 'own' }));
    ok(await a.mergeOutbox());
    for (const row of ['n1', 'n2', 'n3']) expect(a.get('todos', row)).toEqual({ title: row });
  });
});
