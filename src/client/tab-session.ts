import type { Row, RowDelta, RowKey } from '../delta/types';
import type { HLCTimestamp } from '../hlc/types';
import type { Clock } from '../ports/clock';
import type { Timers } from '../ports/timers';
import type { Transport } from '../ports/transport';
import type { SyncQueue } from '../queue/types';
import { LakeSyncError } from '../result/errors';
import { Err, Ok, type Result } from '../result/result';
import { type ClientOptions, DEFAULT_CLIENT_OPTIONS } from './options';
import type { ReplicaEvent, ReplicaSource } from './replica-event';
import { SyncClient, type SyncRoundReport } from './sync-client';
import type { TabChannel, TabMessage } from './tab-channel';
import { FloorClock } from './tab-clock';
import type { TabLocks } from './tab-locks';
import { resetOrphans } from './tab-orphans';
import { RoundLoop } from './tab-round-loop';

/** What a tab's session is built from: a `SyncClient`'s ports plus the tab coordination. */
export interface TabSessionDeps {
  /** The one client id of every tab over this outbox (the gateway orders writes per client). */
  readonly clientId: string;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly transport: Transport;
  /** The outbox every tab of the origin shares (an `IdbQueue` on one database name). */
  readonly queue: SyncQueue;
  readonly locks: TabLocks;
  readonly channel: TabChannel;
  /** Prefix of the lock names; use the outbox database name, so that two outboxes never share. */
  readonly namespace: string;
  readonly options?: Partial<ClientOptions>;
}

/** What one round of a tab did: the client's report, plus entries left mid-send by a closed tab. */
export interface TabRoundReport extends SyncRoundReport {
  readonly orphansReset: number;
}

/** Where a tab's sync stands, for a status line. */
export interface TabSyncStatus {
  /** True after a round reached the gateway, false after one failed to; null before the first. */
  readonly online: boolean | null;
  /** Clock reading (ms) when the last round succeeded, or null. */
  readonly lastSyncMs: number | null;
  /** The last round's error, or null after a success. */
  readonly lastError: LakeSyncError | null;
  readonly rounds: number;
}

/** Something changed that a view of the session may want to redraw. */
export type TabSessionEvent =
  | { readonly kind: 'applied'; readonly source: ReplicaSource; readonly deltas: number }
  | { readonly kind: 'wrote'; readonly delta: RowDelta }
  | { readonly kind: 'synced'; readonly report: TabRoundReport }
  | { readonly kind: 'sync-failed'; readonly error: LakeSyncError };

const CLOSED = new LakeSyncError('CLIENT_CLOSED', 'the tab session is closed');

/**
 * One tab's client over the outbox all tabs of an origin share. Guarantees, across tabs:
 * - **one syncing tab**: a round runs only while holding the `<namespace>:sync` lock, so no two
 *   tabs push (or re-open, or drop) outbox entries at once and no delta is in flight from two;
 * - **nothing lost when a tab closes**: entries still `sending` when a round starts under the
 *   lock belong to a tab that died mid-round; they go back to `pending` and are pushed again;
 * - **rising stamps in outbox order**: writes are stamped and queued while holding the
 *   `<namespace>:stamp` lock, with the tab's clock first raised past the outbox's newest HLC, so
 *   HLCs strictly increase in outbox order whichever tab wrote — which the gateway requires of one
 *   client;
 * - **others learn of new rows**: a write or a push is announced on the channel, and every other
 *   tab runs a round soon, which pushes what is pending and pulls what was pushed;
 * - **offline too**: on a write's announcement every other tab also merges the shared outbox into
 *   its replica at once, so tabs show each other's writes while no round reaches the gateway.
 * Every method resolves to a `Result`; the session never calls `SyncClient.start()`: its own loop
 * (`start`) runs rounds through the lock.
 */
export class TabSession {
  readonly #deps: TabSessionDeps;
  readonly #client: SyncClient;
  readonly #clock: FloorClock;
  readonly #listeners = new Set<(event: TabSessionEvent) => void>();
  readonly #unsubscribe: () => void;
  readonly #loop: RoundLoop<TabRoundReport>;
  #status: TabSyncStatus = { online: null, lastSyncMs: null, lastError: null, rounds: 0 };
  #closed = false;

  private constructor(deps: TabSessionDeps, client: SyncClient, clock: FloorClock) {
    this.#deps = deps;
    this.#client = client;
    this.#clock = clock;
    const options = { ...DEFAULT_CLIENT_OPTIONS, ...deps.options };
    const timing = {
      intervalMs: options.syncIntervalMs,
      retryDelayMsMin: options.retryDelayMsMin,
      retryDelayMsMax: options.retryDelayMsMax,
    };
    this.#loop = new RoundLoop(deps.timers, timing, () => this.#lockedRound());
    this.#unsubscribe = deps.channel.subscribe((message) => this.#onMessage(message));
  }

  /**
   * Opens the tab's client under the sync lock, so that the entries it finds mid-send really are
   * orphans of a closed tab (`SyncClient.open` re-opens them) and not another tab's round.
   */
  static async open(deps: TabSessionDeps): Promise<Result<TabSession, LakeSyncError>> {
    const clock = new FloorClock(deps.clock);
    // The replica reports merges while the client opens, before the session exists to forward them.
    let session: TabSession | null = null;
    const onApplied = (event: ReplicaEvent): void => {
      if (session !== null) session.#onApplied(event);
    };
    const opened = await deps.locks.exclusive(syncLock(deps.namespace), () =>
      SyncClient.open({ ...deps, clock, onApplied }),
    );
    if (!opened.ok) return opened;
    session = new TabSession(deps, opened.value, clock);
    return Ok(session);
  }

  get clientId(): string {
    return this.#client.clientId;
  }

  /** Writes every given column of a row (an upsert), stamped above every queued write. */
  insert(table: string, rowId: string, values: Row): Promise<Result<RowDelta, LakeSyncError>> {
    return this.#stamped(() => this.#client.insert(table, rowId, values));
  }

  /** Writes the columns that differ from the visible row; `null` when nothing changed. */
  update(
    table: string,
    rowId: string,
    changes: Row,
  ): Promise<Result<RowDelta | null, LakeSyncError>> {
    return this.#stamped(() => this.#client.update(table, rowId, changes));
  }

  /** Deletes a visible row; `null` when it is not visible here. */
  delete(table: string, rowId: string): Promise<Result<RowDelta | null, LakeSyncError>> {
    return this.#stamped(() => this.#client.delete(table, rowId));
  }

  /** The visible row in this tab's replica, or `null`. */
  get(table: string, rowId: string): Row | null {
    return this.#client.get(table, rowId);
  }

  /** Every visible row of this tab's replica, keyed by `rowKey`. */
  rows(): Map<RowKey, Row> {
    return this.#client.rows();
  }

  /** The latest timestamp this tab's HLC issued or observed. */
  lastHlc(): HLCTimestamp {
    return this.#client.lastHlc();
  }

  /** Where sync stands (see `TabSyncStatus`). */
  status(): TabSyncStatus {
    return this.#status;
  }

  /** Entries in the shared outbox, in any state. */
  outboxDepth(): Promise<Result<number, LakeSyncError>> {
    return this.#deps.queue.depth();
  }

  /** Adds a listener for changes; returns the function that removes it. */
  subscribe(listener: (event: TabSessionEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Runs one round that starts after this call (joining one already waiting to start), under the
   * sync lock: re-open orphaned entries, push the outbox, pull until caught up.
   */
  syncNow(): Promise<Result<TabRoundReport, LakeSyncError>> {
    if (this.#closed) return Promise.resolve(Err(CLOSED));
    return this.#loop.runNow();
  }

  /** Starts the loop: a round now, then every `syncIntervalMs`, backing off after failures. */
  start(): void {
    if (!this.#closed) this.#loop.start();
  }

  /** Stops the loop; a round in flight finishes. */
  stop(): void {
    this.#loop.stop();
  }

  /** Closes the session for good; a round in flight abandons without touching the outbox. */
  close(): void {
    this.stop();
    this.#closed = true;
    this.#unsubscribe();
    this.#client.close();
  }

  async #stamped<T extends RowDelta | null>(
    write: () => Promise<Result<T, LakeSyncError>>,
  ): Promise<Result<T, LakeSyncError>> {
    if (this.#closed) return Err(CLOSED);
    const { queue, locks, namespace } = this.#deps;
    const written = await locks.exclusive(stampLock(namespace), async () => {
      const last = await queue.lastHlc();
      if (!last.ok) return last;
      if (last.value !== null) this.#clock.raiseAbove(last.value);
      return write();
    });
    if (written.ok && written.value !== null) {
      this.#deps.channel.post({ kind: 'wrote' });
      this.#emit({ kind: 'wrote', delta: written.value });
      this.#loop.kick();
    }
    return written;
  }

  async #lockedRound(): Promise<Result<TabRoundReport, LakeSyncError>> {
    const { queue, locks, namespace } = this.#deps;
    const result = await locks.exclusive(syncLock(namespace), async () => {
      if (this.#closed) return Err(CLOSED);
      const reset = await resetOrphans(queue);
      if (!reset.ok) return reset;
      const round = await this.#client.syncOnce();
      return round.ok ? Ok({ ...round.value, orphansReset: reset.value }) : round;
    });
    if (this.#closed) return result;
    this.#record(result);
    return result;
  }

  #record(result: Result<TabRoundReport, LakeSyncError>): void {
    const rounds = this.#status.rounds + 1;
    if (result.ok) {
      this.#status = { online: true, lastSyncMs: this.#deps.clock.now(), lastError: null, rounds };
      if (result.value.pushed > 0) this.#deps.channel.post({ kind: 'pushed' });
      this.#emit({ kind: 'synced', report: result.value });
      return;
    }
    const online = result.error.code !== 'TRANSPORT_ERROR';
    this.#status = { ...this.#status, online, lastError: result.error, rounds };
    this.#emit({ kind: 'sync-failed', error: result.error });
  }

  #onApplied(event: ReplicaEvent): void {
    // A restamp queued new deltas at old positions: told as a write, the other tabs merge at once
    // (their next merge reads the whole outbox, as the restamp count moved: ADR-023), offline too.
    if (event.source === 'restamp') this.#deps.channel.post({ kind: 'wrote' });
    this.#emit({ kind: 'applied', source: event.source, deltas: event.deltas.length });
  }

  #onMessage(message: TabMessage): void {
    if (this.#closed) return;
    // A failed read of the outbox is not lost work: the next announcement merges again, and the
    // round kicked here reads the same outbox and reports its error.
    if (message.kind === 'wrote') void this.#client.mergeOutbox();
    if (message.kind === 'wrote' || message.kind === 'pushed') this.#loop.kick();
  }

  /**
   * Tells every listener; one that throws is the app's bug, and must neither reject the write
   * that is already queued nor stop the sync loop, so it is caught here and the others still run.
   */
  #emit(event: TabSessionEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // A listener's own failure is not the sync engine's to report.
      }
    }
  }
}

/** The lock a tab holds for a whole sync round. */
export function syncLock(namespace: string): string {
  return `${namespace}:sync`;
}

/** The lock a tab holds while it stamps and queues one write. */
export function stampLock(namespace: string): string {
  return `${namespace}:stamp`;
}
