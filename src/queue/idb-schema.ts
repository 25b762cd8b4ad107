import type { DBSchema, IDBPTransaction } from 'idb';
import type { RowDelta } from '../delta/types';
import type { HLCTimestamp } from '../hlc/types';
import { QueueError } from '../result/errors';
import { entrySnapshot, freezeStoredDelta } from './outbox-entry';
import type { QueueEntry, QueueEntryStatus } from './types';

/**
 * How `IdbQueue` lays the outbox out in IndexedDB, and the small helpers its transactions share.
 * Changing the layout means a new `SCHEMA_VERSION` and an upgrade step in `createSchema`.
 */

/** An entry as stored: the entry plus `hlcKey`, a sortable key for the delta's bigint HLC. */
export interface StoredEntry {
  readonly id: string;
  readonly delta: RowDelta;
  readonly status: QueueEntryStatus;
  readonly seq: number;
  readonly retryCount: number;
  readonly hlcKey: string;
}

/** The queue's own counters, kept in one record so a push updates them atomically. */
export interface StoredMeta {
  readonly nextSeq: number;
  readonly lastHlc: HLCTimestamp | null;
  /**
   * Restamps that replaced a delta (`SyncQueue.entriesSince`). Absent in a record written before
   * it existed, which reads as 0: an optional field, so the layout version stays 1.
   */
  readonly restamps?: number;
  /**
   * The outbox's incarnation (`OutboxMark.incarnation`): the `deltaId` of the delta pushed at
   * seq 1 of this database. Absent until then, and for good in a database created before the
   * field existed (read as `null`, which no later incarnation has): optional, so the layout
   * version stays 1.
   */
  readonly incarnation?: string;
}

/**
 * The database layout (version 1). `entries` is keyed by `id` (the `deltaId`); its indexes give
 * push order (`seq`), pending entries in push order without scanning the rest (`status-seq`), and
 * HLC ranges for `removeDurable` and `reopen` (`hlc`, over the fixed-width hex `hlcKey`, because a
 * bigint is not a valid IndexedDB key). `meta` holds one `StoredMeta` under `META_KEY`.
 */
export interface OutboxSchema extends DBSchema {
  entries: {
    key: string;
    value: StoredEntry;
    indexes: { seq: number; 'status-seq': [QueueEntryStatus, number]; hlc: string };
  };
  meta: { key: string; value: StoredMeta };
}

/** The object stores of the layout. */
export type StoreName = 'entries' | 'meta';
/** A transaction over both stores (every `IdbQueue` method uses one). */
export type OutboxTransaction<Mode extends IDBTransactionMode> = IDBPTransaction<
  OutboxSchema,
  StoreName[],
  Mode
>;

/** The layout version passed to `IDBFactory.open`. */
export const SCHEMA_VERSION = 1;
/** Every store, so that each method's transaction covers the counters as well as the entries. */
export const STORES: StoreName[] = ['entries', 'meta'];
/** The key of the one `StoredMeta` record. */
export const META_KEY = 'outbox';
/** The counters of a queue that has never been pushed to. */
export const INITIAL_META: StoredMeta = { nextSeq: 1, lastHlc: null };
/** Writes are flushed to disk before they complete: the outbox exists to survive a crash. */
export const STRICT: IDBTransactionOptions = { durability: 'strict' };

/** Creates the version-1 layout (see `OutboxSchema`) on a new database. */
export function createSchema(db: IDBDatabase, event: IDBVersionChangeEvent): void {
  if (event.oldVersion >= 1) return;
  const entries = db.createObjectStore('entries', { keyPath: 'id' });
  entries.createIndex('seq', 'seq', { unique: true });
  entries.createIndex('status-seq', ['status', 'seq'], { unique: true });
  entries.createIndex('hlc', 'hlcKey');
  db.createObjectStore('meta');
}

/** The refusal of a new delta stamped at or below the outbox's `lastHlc`, or `null` if above. */
export function stampBelowLast(
  deltaId: string,
  hlc: HLCTimestamp,
  meta: StoredMeta,
): QueueError | null {
  if (meta.lastHlc === null || hlc > meta.lastHlc) return null;
  return new QueueError(
    `cannot queue delta ${deltaId}: its HLC ${hlc} is not above the outbox's last ${meta.lastHlc}; stamp it again above that`,
  );
}

/** Keys of the `status-seq` index covering every pending entry, in push order. */
export function pendingRange(): IDBKeyRange {
  return IDBKeyRange.bound(['pending', -Infinity], ['pending', Infinity]);
}

/** The frozen `QueueEntry` snapshot of a stored record (without its `hlcKey`). */
export function toEntry(stored: StoredEntry): QueueEntry {
  return entrySnapshot({ ...stored, delta: freezeStoredDelta(stored.delta) });
}

/**
 * Issues the requests in order and awaits them all. If issuing one throws, the requests already
 * issued are still observed, so the abort that follows cannot surface as an unhandled rejection.
 */
export async function issueAll<T>(requests: ReadonlyArray<() => Promise<T>>): Promise<T[]> {
  const issued: Promise<T>[] = [];
  try {
    for (const request of requests) issued.push(request());
  } catch (caught) {
    for (const promise of issued) promise.catch(() => undefined);
    throw caught;
  }
  return Promise.all(issued);
}

/** Aborts `tx` so that nothing it wrote stays; a no-op when it already finished. */
export function abortQuietly(
  tx: IDBPTransaction<OutboxSchema, StoreName[], IDBTransactionMode>,
): void {
  try {
    tx.abort();
  } catch {
    // Already committed or aborted (for example by the failure being reported): nothing to undo.
  }
}
