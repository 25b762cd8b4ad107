import { nullPrototypeRow } from '../conflict/row-state';
import type { RowState } from '../conflict/types';
import { extractDelta } from '../delta/extract';
import type { Row, RowDelta, RowKey } from '../delta/types';
import { HLC } from '../hlc/hlc';
import type { HLCTimestamp } from '../hlc/types';
import type { Clock } from '../ports/clock';
import type { TimerHandle, Timers } from '../ports/timers';
import type { Transport } from '../ports/transport';
import { OUTBOX_START, type SyncQueue } from '../queue/types';
import { type LakeSyncError, SchemaError } from '../result/errors';
import { Err, Ok, type Result } from '../result/result';
import { type ClientOptions, resolveClientOptions } from './options';
import { OutboxMerge } from './outbox-merge';
import { OwnEchoes } from './own-echoes';
import { Replica } from './replica';
import type { ReplicaEvent } from './replica-event';
import type { ClientIdReuse, StampedBound } from './reused-client-id';
import { rowVersionMax } from './row-version';
import {
  type PullPosition,
  pullChanges,
  pushOutbox,
  type RoundContext,
  type RoundCounts,
} from './sync-round';
import { resetOrphans } from './tab-orphans';

/** What a client is built from. Every outside effect comes in through these ports. */
export interface ClientDeps {
  readonly clientId: string;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly transport: Transport;
  /** The durable outbox; hand the same one to a restarted client. */
  readonly queue: SyncQueue;
  readonly options?: Partial<ClientOptions>;
  /**
   * Told, synchronously, after every change merged into the replica: a local write, a pulled log
   * page, a snapshot page, the outbox merged at open, or queued writes stamped again because the
   * client id was reused (`restamp`, with the deltas they replace). For UIs (re-render) and for the
   * simulator's session-guarantee oracles. Must not throw.
   */
  readonly onApplied?: (event: ReplicaEvent) => void;
  /**
   * Whether `open` returns entries left `sending` to pending (default true: a dead process was
   * sending them). Pass false when a live client already syncs over the same outbox (a second
   * loop or tab): its batch in flight is not abandoned, and resetting it would send it twice.
   */
  readonly recoverSending?: boolean;
  /**
   * Told, synchronously, when a reply shows that another outbox used this client id (the
   * gateway holds writes under it above every stamp of this outbox: site data cleared but the id
   * kept, a restore from backup). The client stamps its unsent writes again above them and pushes
   * them again, so nothing is lost; the notice says so, for a log or a status line (ADR-021).
   * Must not throw.
   */
  readonly onClientIdReused?: (reuse: ClientIdReuse) => void;
}

/** What one sync round did. */
export interface SyncRoundReport {
  readonly pushed: number;
  readonly pulled: number;
  readonly outboxDepth: number;
}

/** Counters for tests, the simulator and the app. */
export interface ClientStats {
  writes: number;
  rounds: number;
  roundsFailed: number;
  deltasPushed: number;
  deltasPulled: number;
  /** Replies that showed this client id used by another outbox (ADR-021). */
  clientIdReuses: number;
  /** Outbox entries stamped again above a reused id's watermark and pushed again. */
  restamped: number;
  /**
   * Outbox entries a restamp kept as they were because their delta came back in a pull (the
   * gateway holds them: an outbox restored from a backup, ADR-021).
   */
  keptEchoed: number;
}

/**
 * A local-first client: writes land in the local replica and the outbox at once, and a sync
 * round pushes the outbox, pulls what others wrote and merges it. Outbox entries leave only when
 * the gateway reports them durable in the lake, so no acknowledged write is lost to a gateway
 * restart. See DESIGN.md section 5.
 */
export class SyncClient {
  readonly clientId: string;
  readonly stats: ClientStats = {
    writes: 0,
    rounds: 0,
    roundsFailed: 0,
    deltasPushed: 0,
    deltasPulled: 0,
    clientIdReuses: 0,
    restamped: 0,
    keptEchoed: 0,
  };
  readonly #deps: ClientDeps;
  readonly #options: ClientOptions;
  readonly #hlc: HLC;
  readonly #replica = new Replica();
  readonly #position: PullPosition = { cursor: HLC.ZERO, epoch: HLC.ZERO, snapshotOffset: 0 };
  /** Ids of the outbox batch this client's round is sending now (released by `close`). */
  readonly #claimed = new Set<string>();
  /** The outbox entries found at open, and which of them came back in a pull. */
  readonly #echoes: OwnEchoes;
  /** The highest HLC this client knows its outbox stamped (a lower bound of `lastHlc`). */
  readonly #stamped: StampedBound = {
    hlc: HLC.ZERO,
    told: HLC.ZERO,
    accepted: HLC.ZERO,
    pushed: HLC.ZERO,
    firstSinceOpen: HLC.ZERO,
  };
  #round: Promise<Result<SyncRoundReport, LakeSyncError>> | null = null;
  #timer: TimerHandle | null = null;
  #failures = 0;
  /** False until a pull has answered since `open` (see `#runRound`). */
  #pulledSinceOpen = false;
  /** Set by `releaseOrphans`: the next round first releases other loops' `sending` entries. */
  #releaseOrphans = false;
  #running = false;
  #closed = false;
  readonly #merge: OutboxMerge;
  /** What every round works on: the same objects each time, so built once. */
  readonly #context: RoundContext;

  private constructor(deps: ClientDeps, options: ClientOptions) {
    this.clientId = deps.clientId;
    this.#deps = deps;
    this.#options = options;
    this.#hlc = new HLC(deps.clock, { maxDriftMs: options.maxDriftMs });
    this.#echoes = new OwnEchoes(deps.clientId);
    this.#merge = new OutboxMerge({
      queue: deps.queue,
      replica: this.#replica,
      hlc: this.#hlc,
      isClosed: () => this.#closed,
      onApplied: deps.onApplied,
    });
    this.#context = {
      clientId: this.clientId,
      transport: deps.transport,
      queue: deps.queue,
      hlc: this.#hlc,
      replica: this.#replica,
      options,
      position: this.#position,
      claimed: this.#claimed,
      isClosed: () => this.#closed,
      onApplied: deps.onApplied,
      stamped: this.#stamped,
      echoes: this.#echoes,
      onClientIdReused: deps.onClientIdReused,
    };
  }

  /**
   * Opens a client over an outbox that may hold entries from before a restart: its HLC starts
   * above every stamp it ever issued, entries caught mid-send go back to pending, and queued
   * deltas are merged into the fresh replica (the rest arrives by pull from cursor 0).
   */
  static async open(deps: ClientDeps): Promise<Result<SyncClient, LakeSyncError>> {
    if (deps.clientId.length === 0) return Err(new SchemaError('clientId must not be empty'));
    const options = resolveClientOptions(deps.options);
    if (!options.ok) return options;
    const client = new SyncClient(deps, options.value);
    const last = await deps.queue.lastHlc();
    if (!last.ok) return last;
    if (last.value !== null) {
      client.#hlc.observe(last.value);
      client.#stamped.hlc = last.value;
    }
    const read = await deps.queue.entriesSince(OUTBOX_START);
    if (!read.ok) return read;
    const entries = read.value.entries;
    client.#merge.opened(read.value.mark);
    // Entries left `sending` by a dead process go back to pending (not a live loop's: see deps).
    const recover = deps.recoverSending !== false;
    const sending = entries
      .filter((entry) => recover && entry.status === 'sending')
      .map((entry) => entry.id);
    if (sending.length > 0) {
      const reset = await deps.queue.nack(sending);
      if (!reset.ok) return reset;
    }
    for (const entry of entries) client.#replica.merge(entry.delta);
    // Entries whose fate this client cannot know from its own replies (a restored backup's may
    // have been pushed since): a pull that brings one back shows the gateway holds it.
    client.#echoes.watch(entries);
    if (entries.length > 0) {
      const deltas = entries.map((entry) => entry.delta);
      deps.onApplied?.({
        source: 'restore',
        deltas,
        gatewayEpoch: HLC.ZERO,
        replica: client.#replica,
      });
    }
    return Ok(client);
  }

  /** Writes every given column of a row (an upsert). */
  insert(table: string, rowId: string, values: Row): Promise<Result<RowDelta, LakeSyncError>> {
    return this.#write(table, rowId, null, values).then((result) =>
      result.ok && result.value === null
        ? Err(new SchemaError(`insert into ${table}/${rowId} has no columns`))
        : (result as Result<RowDelta, LakeSyncError>),
    );
  }

  /** Writes the columns that differ from the visible row; `null` when nothing changed. */
  update(
    table: string,
    rowId: string,
    changes: Row,
  ): Promise<Result<RowDelta | null, LakeSyncError>> {
    const before = this.#replica.get(table, rowId);
    if (before === null) {
      return Promise.resolve(Err(new SchemaError(`update of ${table}/${rowId}: no such row here`)));
    }
    const after = nullPrototypeRow();
    for (const key of Object.keys(before)) after[key] = before[key];
    for (const key of Object.keys(changes)) after[key] = changes[key];
    return this.#write(table, rowId, before, after);
  }

  /** Deletes a visible row; `null` when it is not visible here. */
  delete(table: string, rowId: string): Promise<Result<RowDelta | null, LakeSyncError>> {
    const before = this.#replica.get(table, rowId);
    if (before === null) return Promise.resolve(Ok(null));
    return this.#write(table, rowId, before, null);
  }

  /** The visible row, or `null`. */
  get(table: string, rowId: string): Row | null {
    return this.#replica.get(table, rowId);
  }

  /** Every visible row, keyed by `rowKey`. */
  rows(): Map<RowKey, Row> {
    return this.#replica.rows();
  }

  /** The replica's lattice states (live view; do not mutate). */
  replica(): ReadonlyMap<RowKey, RowState> {
    return this.#replica.states();
  }

  /** The latest timestamp this client's HLC issued or observed. */
  lastHlc(): HLCTimestamp {
    return this.#hlc.last();
  }

  /**
   * Merges into the replica what the outbox holds that this client has not merged yet, so that
   * what another client over the same outbox (a second tab) queued shows here at once, online or
   * not, before any round reaches the gateway. It reads only the entries queued since its last
   * read (`SyncQueue.entriesSince`, ADR-023), or every entry once after a restamp (the same seq,
   * a new delta). Merging is idempotent: entries already here change nothing and are not reported.
   * The HLC absorbs each merged stamp, as it does the outbox's at `open` (writes follow reads,
   * ADR-013). Tells `onApplied` (source `outbox`) of the deltas that changed the replica, and
   * returns how many did. Merges run one at a time; calls made while one runs share the next,
   * which starts after them, so it still sees everything queued before each call.
   */
  mergeOutbox(): Promise<Result<number, LakeSyncError>> {
    return this.#merge.merge();
  }

  /**
   * Tells this client that every other sync loop over its outbox has ended (closed, or crashed
   * mid-round): at the start of its next round it moves the entries they left `sending` back to
   * pending. Without it they stay `sending` until the next `open` over the outbox, and every later
   * write waits behind them — a loop that crashed releases nothing, and one whose `close` met a
   * failing outbox (a full disk) could not. Call it only when no other loop is left; `TabSession`
   * does the same for tabs, under its sync lock.
   */
  releaseOrphans(): void {
    this.#releaseOrphans = true;
  }

  /** One round: push the outbox, then pull until caught up. Concurrent calls join one round. */
  syncOnce(): Promise<Result<SyncRoundReport, LakeSyncError>> {
    if (this.#round !== null) return this.#round;
    const round = this.#runRound().finally(() => {
      this.#round = null;
    });
    this.#round = round;
    return round;
  }

  /** Starts the sync loop: a round every `syncIntervalMs`, backing off after failures. */
  start(): void {
    if (this.#running || this.#closed) return;
    this.#running = true;
    this.#schedule(0);
  }

  /** Stops the loop; a round in flight finishes. */
  stop(): void {
    this.#running = false;
    if (this.#timer !== null) this.#deps.timers.cancel(this.#timer);
    this.#timer = null;
  }

  /**
   * Stops for good: a round in flight abandons without touching the outbox again, and the batch it
   * had claimed goes back to pending, so another client over the same outbox (a second tab) sends
   * it instead of finding it stuck in `sending`. (A crashed process releases nothing; the next
   * `open` over the outbox does.)
   */
  close(): void {
    this.stop();
    this.#closed = true;
    if (this.#claimed.size > 0) {
      const ids = [...this.#claimed];
      this.#claimed.clear();
      void this.#deps.queue.nack(ids);
    }
  }

  async #write(
    table: string,
    rowId: string,
    before: Row | null,
    after: Row | null,
  ): Promise<Result<RowDelta | null, LakeSyncError>> {
    if (this.#closed) return Err(new SchemaError('client is closed'));
    // Writes follow reads (ADR-013): stamp above every version this replica holds for the row.
    const hlc = this.#stampAbove(rowVersionMax(this.#replica.state(table, rowId)));
    const context = { table, rowId, clientId: this.clientId, hlc };
    const extracted = extractDelta(before, after, context);
    if (!extracted.ok) return extracted;
    const delta = extracted.value;
    if (delta === null) return Ok(null); // extractDelta has validated it against the limits
    const queued = await this.#deps.queue.push(delta);
    if (!queued.ok) return queued;
    if (delta.hlc > this.#stamped.hlc) this.#stamped.hlc = delta.hlc;
    this.#merge.wrote(queued.value.seq);
    if (this.#stamped.firstSinceOpen === HLC.ZERO) this.#stamped.firstSinceOpen = delta.hlc;
    this.#replica.merge(delta);
    this.#deps.onApplied?.({
      source: 'write',
      deltas: [delta],
      gatewayEpoch: HLC.ZERO,
      replica: this.#replica,
    });
    this.stats.writes++;
    return Ok(delta);
  }

  /** A fresh stamp above `floor` and above everything this client issued or absorbed. */
  #stampAbove(floor: HLCTimestamp): HLCTimestamp {
    this.#hlc.observe(floor);
    return this.#hlc.now();
  }

  async #runRound(): Promise<Result<SyncRoundReport, LakeSyncError>> {
    const counts: RoundCounts = {
      pushed: 0,
      pulled: 0,
      requests: 0,
      reuses: 0,
      restamped: 0,
      kept: 0,
    };
    this.stats.rounds++;
    const done = await this.#roundSteps(counts);
    this.stats.deltasPushed += counts.pushed;
    this.stats.deltasPulled += counts.pulled;
    this.stats.clientIdReuses += counts.reuses;
    this.stats.restamped += counts.restamped;
    this.stats.keptEchoed += counts.kept;
    if (!done.ok) {
      this.stats.roundsFailed++;
      return done;
    }
    const depth = await this.#deps.queue.depth();
    if (!depth.ok) return depth;
    return Ok({ pushed: counts.pushed, pulled: counts.pulled, outboxDepth: depth.value });
  }

  /** A round's requests: (the first time) pull, then push, then pull. */
  async #roundSteps(counts: RoundCounts): Promise<Result<void, LakeSyncError>> {
    const context = this.#context;
    if (this.#releaseOrphans) {
      this.#releaseOrphans = false;
      const released = await resetOrphans(this.#deps.queue, this.#claimed);
      if (!released.ok) {
        this.#releaseOrphans = true; // the outbox's storage failed: again next round
        return released;
      }
    }
    if (!this.#pulledSinceOpen) {
      // Until a pull has answered, this client does not know the gateway's watermark for its id,
      // and a push could be half taken for duplicates of another outbox's deltas without any
      // sign in the reply (a reused id, ADR-021). Pulling first shows the watermark, and the
      // pull's reply restamps what lies below it before anything is pushed.
      const first = await pullChanges(context, counts);
      if (!first.ok) return first;
      this.#pulledSinceOpen = true;
    }
    // Pull even when the push was refused: a client whose oldest write is held back (its clock
    // ran ahead, say) must still receive everyone else's writes.
    const pushed = await pushOutbox(context, counts);
    const pulled = this.#closed ? pushed : await pullChanges(context, counts);
    return pushed.ok ? pulled : pushed;
  }

  #schedule(delayMs: number): void {
    if (!this.#running) return;
    this.#timer = this.#deps.timers.schedule(() => {
      this.#timer = null;
      void this.syncOnce().then((result) => {
        this.#failures = result.ok ? 0 : this.#failures + 1;
        this.#schedule(this.#nextDelayMs());
      });
    }, delayMs);
  }

  #nextDelayMs(): number {
    if (this.#failures === 0) return this.#options.syncIntervalMs;
    const { retryDelayMsMin, retryDelayMsMax } = this.#options;
    return Math.min(retryDelayMsMax, retryDelayMsMin * 2 ** Math.min(this.#failures - 1, 30));
  }
}
