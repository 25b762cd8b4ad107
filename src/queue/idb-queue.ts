import { type IDBPDatabase, wrap } from 'idb';
import type { RowDelta } from '../delta/types';
import type { HLCTimestamp } from '../hlc/types';
import { type LakeSyncError, QueueError } from '../result/errors';
import { Err, Ok, type Result } from '../result/result';
import {
  abortQuietly,
  createSchema,
  INITIAL_META,
  issueAll,
  META_KEY,
  type OutboxSchema,
  type OutboxTransaction,
  pendingRange,
  SCHEMA_VERSION,
  STORES,
  STRICT,
  type StoredEntry,
  type StoredMeta,
  stampBelowLast,
  toEntry,
} from './idb-schema';
import {
  asError,
  checkDeltaShape,
  checkHlc,
  checkIds,
  checkLimit,
  checkMark,
  checkRestampOptions,
  checkRestamps,
  entrySnapshot,
  frozenDeltaCopy,
  hlcSortKey,
  markReadsAll,
  resolveQueueOptions,
} from './outbox-entry';
import type {
  ClaimedBatch,
  OutboxChanges,
  OutboxMark,
  QueueEntry,
  QueueOptions,
  Restamp,
  RestampOptions,
  SyncQueue,
} from './types';

/** Options of `IdbQueue.open`: the queue bound, and the IndexedDB to use (default: the global one). */
export type IdbQueueOptions = Partial<QueueOptions> & {
  readonly indexedDB?: IDBFactory;
  /**
   * Refuse (with `QueueError`) a new delta whose HLC is not above every HLC ever pushed, checked
   * in the push's own transaction against the stored `lastHlc`. For an outbox that several tabs
   * share under one client id: the gateway takes a client's deltas as strictly rising in outbox
   * order, and treats one at or below what it holds as a duplicate, so an out-of-order stamp
   * would otherwise be dropped silently. Default false (the `SyncQueue` contract allows any order).
   */
  readonly requireRisingHlc?: boolean;
};

/**
 * The outbox in IndexedDB (through `idb`), for browsers; it survives page reloads and crashes.
 * Implements the `SyncQueue` contract exactly; see the lifecycle diagram on `QueueEntryStatus`.
 *
 * Guarantees:
 * - every method is one IndexedDB transaction, so it takes effect entirely or not at all;
 *   `claim` finds and marks its entries in one readwrite transaction, and `markSending` checks
 *   and marks in one, so concurrent callers (even in other tabs) never get the same entry;
 * - every failure (closed database, quota, aborted transaction, unavailable IndexedDB) resolves
 *   to `Err(QueueError)` carrying the cause; no method rejects;
 * - entries come back as frozen snapshots, like `MemoryQueue`'s.
 *
 * Needs the IndexedDB globals (`IDBRequest`, `IDBKeyRange`, …) that `idb` relies on: present in
 * browsers; in Node import `fake-indexeddb/auto`. Another connection upgrading or deleting the
 * database closes this one; later calls then return `Err`.
 */
export class IdbQueue implements SyncQueue {
  readonly #db: IDBPDatabase<OutboxSchema>;
  readonly #options: QueueOptions;
  readonly #requireRisingHlc: boolean;

  private constructor(
    db: IDBPDatabase<OutboxSchema>,
    options: QueueOptions,
    requireRisingHlc: boolean,
  ) {
    this.#db = db;
    this.#options = options;
    this.#requireRisingHlc = requireRisingHlc;
  }

  /**
   * Opens (creating if needed) the outbox database `name`. Entries, statuses and `lastHlc` are
   * exactly as the last committed transaction left them. `QueueError` when the options are
   * invalid, IndexedDB is missing, or the database cannot be opened.
   */
  static async open(
    name: string,
    options: IdbQueueOptions = {},
  ): Promise<Result<IdbQueue, QueueError>> {
    const resolved = resolveQueueOptions(options);
    if (!resolved.ok) return resolved;
    if (typeof name !== 'string' || name.length === 0) {
      return Err(new QueueError('outbox database name must be a non-empty string'));
    }
    const factory = options.indexedDB ?? (globalThis as { indexedDB?: IDBFactory }).indexedDB;
    if (factory === undefined) {
      return Err(new QueueError('IndexedDB is not available here; pass options.indexedDB'));
    }
    try {
      const request = factory.open(name, SCHEMA_VERSION);
      request.addEventListener('upgradeneeded', (event) => createSchema(request.result, event));
      const db = (await wrap(request)) as IDBPDatabase<unknown> | undefined;
      if (db === undefined) return Err(new QueueError(`opening outbox database '${name}' failed`));
      db.addEventListener('versionchange', () => db.close());
      const outbox = db as unknown as IDBPDatabase<OutboxSchema>;
      return Ok(new IdbQueue(outbox, resolved.value, options.requireRisingHlc === true));
    } catch (caught) {
      return Err(failure(`open of database '${name}'`, caught));
    }
  }

  /** The bound this queue enforces. */
  get options(): QueueOptions {
    return this.#options;
  }

  /** Closes the connection once running transactions finish; later calls return `Err`. */
  close(): void {
    this.#db.close();
  }

  async push(delta: RowDelta): Promise<Result<QueueEntry, LakeSyncError>> {
    const shape = checkDeltaShape(delta);
    if (!shape.ok) return shape;
    const copy = frozenDeltaCopy(delta);
    if (!copy.ok) return copy;
    const entriesMax = this.#options.entriesMax;
    return this.#transact('push', 'readwrite', async (tx) => {
      const entries = tx.objectStore('entries');
      const existing = await entries.get(delta.deltaId);
      if (existing !== undefined) return Ok(toEntry(existing));
      if ((await entries.count()) >= entriesMax) {
        return Err(
          new QueueError(
            `outbox full: entriesMax (${entriesMax}) entries are queued; sync to drain it`,
          ),
        );
      }
      const meta = (await tx.objectStore('meta').get(META_KEY)) ?? INITIAL_META;
      const hlc = copy.value.hlc;
      const outOfOrder = this.#requireRisingHlc ? stampBelowLast(delta.deltaId, hlc, meta) : null;
      if (outOfOrder !== null) return Err(outOfOrder);
      const stored: StoredEntry = {
        id: delta.deltaId,
        delta: copy.value,
        status: 'pending',
        seq: meta.nextSeq,
        retryCount: 0,
        hlcKey: hlcSortKey(hlc),
      };
      const lastHlc = meta.lastHlc === null || hlc > meta.lastHlc ? hlc : meta.lastHlc;
      const nextMeta: StoredMeta = { ...meta, nextSeq: meta.nextSeq + 1, lastHlc };
      // The push that takes seq 1 names the database's incarnation (one created before the field
      // existed keeps none: its marks read `null`, which no later incarnation has).
      const named = meta.nextSeq === 1 ? { ...nextMeta, incarnation: delta.deltaId } : nextMeta;
      await issueAll([
        () => entries.put(stored),
        () => tx.objectStore('meta').put(named, META_KEY),
      ]);
      return Ok(entrySnapshot(stored));
    });
  }

  async peek(limit: number): Promise<Result<QueueEntry[], LakeSyncError>> {
    const checked = checkLimit(limit);
    if (!checked.ok) return checked;
    if (checked.value === 0) return Ok([]);
    return this.#transact('peek', 'readonly', async (tx) => {
      const pending = await tx
        .objectStore('entries')
        .index('status-seq')
        .getAll(pendingRange(), checked.value);
      return Ok(pending.map(toEntry));
    });
  }

  async markSending(ids: readonly string[]): Promise<Result<void, LakeSyncError>> {
    const checked = checkIds(ids);
    if (!checked.ok) return checked;
    if (checked.value.length === 0) return Ok(undefined);
    return this.#transact('markSending', 'readwrite', async (tx) => {
      const entries = tx.objectStore('entries');
      const found = await issueAll(checked.value.map((id) => () => entries.get(id)));
      const stored: StoredEntry[] = [];
      for (const [index, entry] of found.entries()) {
        if (entry === undefined || entry.status !== 'pending') {
          const state = entry === undefined ? 'not queued' : entry.status;
          const id = checked.value[index];
          return Err(new QueueError(`cannot mark ${id} sending: it is ${state}; nothing changed`));
        }
        stored.push(entry);
      }
      await issueAll(stored.map((entry) => () => entries.put({ ...entry, status: 'sending' })));
      return Ok(undefined);
    });
  }

  async claim(limit: number): Promise<Result<QueueEntry[], LakeSyncError>> {
    const checked = checkLimit(limit);
    if (!checked.ok) return checked;
    if (checked.value === 0) return Ok([]);
    return this.#transact('claim', 'readwrite', async (tx) => {
      const entries = tx.objectStore('entries');
      const pending = await entries.index('status-seq').getAll(pendingRange(), checked.value);
      const claimed = pending.map((entry): StoredEntry => ({ ...entry, status: 'sending' }));
      await issueAll(claimed.map((entry) => () => entries.put(entry)));
      return Ok(claimed.map(toEntry));
    });
  }

  async claimBatch(limit: number): Promise<Result<ClaimedBatch, LakeSyncError>> {
    const checked = checkLimit(limit);
    if (!checked.ok) return checked;
    const none: ClaimedBatch = { entries: [], baseHlc: 0n as HLCTimestamp };
    if (checked.value === 0) return Ok(none);
    return this.#transact('claimBatch', 'readwrite', async (tx) => {
      const entries = tx.objectStore('entries');
      const [first] = await entries.index('status-seq').getAll(pendingRange(), 1);
      if (first === undefined) return Ok(none);
      const bySeq = entries.index('seq');
      const before = await bySeq.openCursor(IDBKeyRange.upperBound(first.seq, true), 'prev');
      const baseHlc = before === null ? none.baseHlc : before.value.delta.hlc;
      const following = await bySeq.getAll(IDBKeyRange.lowerBound(first.seq), checked.value);
      const run: StoredEntry[] = [];
      for (const entry of following) {
        if (entry.status !== 'pending') break;
        run.push({ ...entry, status: 'sending' });
      }
      await issueAll(run.map((entry) => () => entries.put(entry)));
      return Ok({ entries: run.map(toEntry), baseHlc });
    });
  }

  async ack(ids: readonly string[]): Promise<Result<void, LakeSyncError>> {
    return this.#moveSending('ack', ids, (entry) => ({ ...entry, status: 'accepted' }));
  }

  async nack(ids: readonly string[]): Promise<Result<void, LakeSyncError>> {
    return this.#moveSending('nack', ids, (entry) => ({
      ...entry,
      status: 'pending',
      retryCount: entry.retryCount + 1,
    }));
  }

  async reopen(acceptedHlc: HLCTimestamp): Promise<Result<number, LakeSyncError>> {
    const checked = checkHlc(acceptedHlc, 'acceptedHlc');
    if (!checked.ok) return checked;
    return this.#transact('reopen', 'readwrite', async (tx) => {
      const entries = tx.objectStore('entries');
      const above = IDBKeyRange.lowerBound(hlcSortKey(checked.value), true);
      const lost = (await entries.index('hlc').getAll(above)).filter(
        (entry) => entry.status === 'accepted',
      );
      // Each will be sent again: a retry, like a nack (so `retryCount` 0 means never sent).
      const reopened = lost.map((entry) => ({
        ...entry,
        status: 'pending' as const,
        retryCount: entry.retryCount + 1,
      }));
      await issueAll(reopened.map((entry) => () => entries.put(entry)));
      return Ok(lost.length);
    });
  }

  async removeDurable(durableHlc: HLCTimestamp): Promise<Result<number, LakeSyncError>> {
    const checked = checkHlc(durableHlc, 'durableHlc');
    if (!checked.ok) return checked;
    return this.#transact('removeDurable', 'readwrite', async (tx) => {
      const entries = tx.objectStore('entries');
      const atOrBelow = IDBKeyRange.upperBound(hlcSortKey(checked.value));
      const ids = await entries.index('hlc').getAllKeys(atOrBelow);
      await issueAll(ids.map((id) => () => entries.delete(id)));
      return Ok(ids.length);
    });
  }

  async restamp(
    replacements: readonly Restamp[],
    options?: RestampOptions,
  ): Promise<Result<number, LakeSyncError>> {
    const checked = checkRestamps(replacements);
    if (!checked.ok) return checked;
    const extra = checkRestampOptions(options, checked.value);
    if (!extra.ok) return extra;
    const { held, lastHlcMin } = extra.value;
    if (checked.value.length === 0 && held.length === 0 && lastHlcMin === null) return Ok(0);
    const replaced = new Set(checked.value.map(({ id }) => id));
    return this.#transact('restamp', 'readwrite', async (tx) => {
      const entries = tx.objectStore('entries');
      const found = await issueAll(
        checked.value.map(
          ({ id }) =>
            () =>
              entries.get(id),
        ),
      );
      const clashes = await issueAll(
        checked.value.map(
          ({ delta }) =>
            () =>
              entries.getKey(delta.deltaId),
        ),
      );
      const heldFound = await issueAll(held.map((id) => () => entries.get(id)));
      const stored: StoredEntry[] = [];
      let lastHlc: HLCTimestamp | null = lastHlcMin;
      for (const [index, { id, delta }] of checked.value.entries()) {
        const entry = found[index];
        if (entry === undefined || entry.status === 'sending') {
          const state = entry === undefined ? 'not queued' : 'sending';
          return Err(new QueueError(`cannot restamp ${id}: it is ${state}; nothing changed`));
        }
        const clash = clashes[index];
        if (clash !== undefined && !replaced.has(clash)) {
          return Err(new QueueError(`cannot restamp to ${delta.deltaId}: it is already queued`));
        }
        stored.push({
          id: delta.deltaId,
          delta,
          status: 'pending',
          seq: entry.seq,
          retryCount: entry.retryCount,
          hlcKey: hlcSortKey(delta.hlc),
        });
        if (lastHlc === null || delta.hlc > lastHlc) lastHlc = delta.hlc;
      }
      const accepted: StoredEntry[] = [];
      for (const [index, entry] of heldFound.entries()) {
        if (entry === undefined || entry.status === 'sending') {
          const state = entry === undefined ? 'not queued' : 'sending';
          return Err(
            new QueueError(
              `cannot hold ${held[index]} as accepted: it is ${state}; nothing changed`,
            ),
          );
        }
        if (entry.status === 'pending') accepted.push({ ...entry, status: 'accepted' });
      }
      const meta = (await tx.objectStore('meta').get(META_KEY)) ?? INITIAL_META;
      const raised = meta.lastHlc === null || (lastHlc !== null && lastHlc > meta.lastHlc);
      // A replaced delta counts one restamp: readers whose mark is older read everything again.
      const restamps = (meta.restamps ?? 0) + (stored.length > 0 ? 1 : 0);
      const nextMeta: StoredMeta = { ...meta, lastHlc: raised ? lastHlc : meta.lastHlc, restamps };
      // Every old record goes before any new one is written: a new record takes an old one's seq.
      await issueAll(
        checked.value.map(
          ({ id }) =>
            () =>
              entries.delete(id),
        ),
      );
      await issueAll([
        ...stored.map((entry) => () => entries.put(entry)),
        ...accepted.map((entry) => () => entries.put(entry)),
        () => tx.objectStore('meta').put(nextMeta, META_KEY),
      ]);
      return Ok(stored.length);
    });
  }

  async entries(): Promise<Result<QueueEntry[], LakeSyncError>> {
    return this.#transact('entries', 'readonly', async (tx) => {
      const all = await tx.objectStore('entries').index('seq').getAll();
      return Ok(all.map(toEntry));
    });
  }

  async entriesSince(since: OutboxMark): Promise<Result<OutboxChanges, LakeSyncError>> {
    const checked = checkMark(since);
    if (!checked.ok) return checked;
    return this.#transact('entriesSince', 'readonly', async (tx) => {
      const meta = (await tx.objectStore('meta').get(META_KEY)) ?? INITIAL_META;
      // `nextSeq - 1` covers removed entries too: every seq up to it has been handed out.
      const mark: OutboxMark = {
        seq: meta.nextSeq - 1,
        restamps: meta.restamps ?? 0,
        incarnation: meta.incarnation ?? null,
      };
      const complete = markReadsAll(checked.value, mark);
      // Nothing pushed since the mark: no entry to read, so the entries store is not touched.
      if (!complete && checked.value.seq === mark.seq) return Ok({ entries: [], complete, mark });
      // A key range on the seq index: O(entries above the mark), however many sit below it.
      const range = complete ? undefined : IDBKeyRange.lowerBound(checked.value.seq, true);
      const found = await tx.objectStore('entries').index('seq').getAll(range);
      return Ok({ entries: found.map(toEntry), complete, mark });
    });
  }

  async depth(): Promise<Result<number, LakeSyncError>> {
    return this.#transact('depth', 'readonly', async (tx) =>
      Ok(await tx.objectStore('entries').count()),
    );
  }

  async lastHlc(): Promise<Result<HLCTimestamp | null, LakeSyncError>> {
    return this.#transact('lastHlc', 'readonly', async (tx) => {
      const meta = await tx.objectStore('meta').get(META_KEY);
      return Ok(meta?.lastHlc ?? null);
    });
  }

  async clear(): Promise<Result<void, LakeSyncError>> {
    return this.#transact('clear', 'readwrite', async (tx) => {
      await tx.objectStore('entries').clear();
      return Ok(undefined);
    });
  }

  /** Rewrites, in one transaction, those of `ids` that are sending; other ids are skipped. */
  async #moveSending(
    what: string,
    ids: readonly string[],
    next: (entry: StoredEntry) => StoredEntry,
  ): Promise<Result<void, LakeSyncError>> {
    const checked = checkIds(ids);
    if (!checked.ok) return checked;
    if (checked.value.length === 0) return Ok(undefined);
    return this.#transact(what, 'readwrite', async (tx) => {
      const entries = tx.objectStore('entries');
      const found = await issueAll(checked.value.map((id) => () => entries.get(id)));
      const sending = found.filter((entry) => entry?.status === 'sending') as StoredEntry[];
      await issueAll(sending.map((entry) => () => entries.put(next(entry))));
      return Ok(undefined);
    });
  }

  /**
   * Runs `work` in one transaction over both stores. The transaction commits only when `work`
   * returns `Ok`; on `Err` or any failure it is aborted, so nothing it wrote stays. `work` must
   * await only IndexedDB requests, or the transaction commits early.
   */
  async #transact<T, Mode extends IDBTransactionMode>(
    what: string,
    mode: Mode,
    work: (tx: OutboxTransaction<Mode>) => Promise<Result<T, QueueError>>,
  ): Promise<Result<T, LakeSyncError>> {
    let tx: OutboxTransaction<Mode>;
    try {
      tx = this.#db.transaction(STORES, mode, mode === 'readwrite' ? STRICT : undefined);
    } catch (caught) {
      return Err(failure(what, caught));
    }
    const done = tx.done;
    // Observed below on success; on failure the abort's rejection is expected and dropped.
    done.catch(() => undefined);
    try {
      const result = await work(tx);
      if (!result.ok) {
        abortQuietly(tx);
        return result;
      }
      await done;
      return result;
    } catch (caught) {
      abortQuietly(tx);
      return Err(failure(what, caught));
    }
  }
}

function failure(what: string, caught: unknown): QueueError {
  const cause = asError(caught);
  return new QueueError(`outbox ${what} failed: ${cause.name}: ${cause.message}`, cause);
}
