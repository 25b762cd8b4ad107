import type { ReplicaEvent } from '../../src/client/replica-event';
import type { ClientIdReuse } from '../../src/client/reused-client-id';
import type { ClientDeps } from '../../src/client/sync-client';
import { SyncClient } from '../../src/client/sync-client';
import { MemoryQueue } from '../../src/queue/memory-queue';
import type { QueueCheckpoint } from '../../src/queue/queue-checkpoint';
import { assert } from '../../src/result/assert';
import type { ScheduledEvent } from '../engine/event-queue';
import type { Scheduler } from '../engine/scheduler';
import type { VirtualClock } from '../engine/virtual-clock';
import { type CallbackErrorSink, VirtualTimers } from '../engine/virtual-timers';
import { ClaimWatchQueue } from '../oracles/outbox-claims';
import { FaultyOutbox, type FaultyOutboxDeps } from './faulty-outbox';
import type { ClientLink, SimNetwork } from './network';

/** What happened to a client process, for the timeline. */
export type ClientLifecycle =
  | 'opened'
  | 'open-failed'
  | 'crashed'
  | 'second-loop-ended'
  | 'client-id-reused';

/** What a client node is built from. */
export interface ClientNodeDeps {
  readonly index: number;
  readonly scheduler: Scheduler;
  readonly network: SimNetwork;
  readonly clock: VirtualClock;
  readonly options: ClientDeps['options'];
  readonly openRetryMs: number;
  readonly onError: CallbackErrorSink;
  readonly onLifecycle: (client: number, event: ClientLifecycle, detail: string) => void;
  /**
   * The session-guarantee oracles of a new session (a client incarnation or a second loop):
   * returns the listener its replica reports every merged batch to.
   */
  readonly session: (name: string) => (event: ReplicaEvent) => void;
  /** The outbox broke its contract under concurrent loops (outbox-claims oracle). */
  readonly onClaimProblem: (message: string) => void;
  /** How the outbox's storage fails (`FaultyOutbox`); `null`: it never does. */
  readonly outboxFaults: FaultyOutboxDeps | null;
  /** A sync loop of this node told its client id was reused (ADR-021), with the full notice. */
  readonly onReuse: (client: number, reuse: ClientIdReuse) => void;
}

/** A second sync loop over the node's outbox (a second tab): its own client, link and timers. */
interface SecondLoop {
  client: SyncClient | null;
  readonly timers: VirtualTimers;
  readonly link: ClientLink;
  readonly end: ScheduledEvent;
}

/** Counters of a client, summed over all its incarnations. */
export interface ClientTotals {
  deltasPushed: number;
  deltasPulled: number;
  rounds: number;
  roundsFailed: number;
}

/**
 * A client process: at most one live `SyncClient` at a time over its own network link and
 * timers, and a durable outbox (`MemoryQueue`) that outlives crashes. A crash drops the client,
 * its timers and its link (replies in flight never arrive); a restart `open`s a new client with
 * the same id and queue after `downMs` — its replica starts empty and is rebuilt from the outbox
 * and pulls — and starts its sync loop.
 */
export class ClientNode {
  readonly index: number;
  readonly clientId: string;
  /** The durable outbox: the same object across restarts (a reincarnation or restore replaces it). */
  #queue = new MemoryQueue();
  readonly clock: VirtualClock;
  /** The outbox's failing, slow storage in front of `#queue`, when the profile has one. */
  #faulty: FaultyOutbox | null = null;
  /** What every sync loop of this node uses: the outbox behind the outbox-claims oracle. */
  #sharedQueue: ClaimWatchQueue;
  #second: SecondLoop | null = null;
  readonly #deps: ClientNodeDeps;
  #client: SyncClient | null = null;
  #timers: VirtualTimers | null = null;
  #link: ClientLink | null = null;
  #pendingOpen: ScheduledEvent | null = null;
  #generation = 0;
  readonly #totals: ClientTotals = { deltasPushed: 0, deltasPulled: 0, rounds: 0, roundsFailed: 0 };

  constructor(deps: ClientNodeDeps) {
    this.#deps = deps;
    this.index = deps.index;
    this.clientId = `client-${deps.index}`;
    this.clock = deps.clock;
    this.#sharedQueue = this.#loopsQueue(this.#queue);
  }

  /** The node's outbox now. */
  get queue(): MemoryQueue {
    return this.#queue;
  }

  /** The session name of the live client (its session-guarantee oracles), while there is one. */
  get sessionName(): string {
    return `${this.clientId}#${this.#generation}`;
  }

  /** The live client, or `null` while down or opening. */
  get client(): SyncClient | null {
    return this.#client;
  }

  /** Counters over every incarnation, the live one included. */
  totals(): ClientTotals {
    const live = this.#client?.stats;
    return {
      deltasPushed: this.#totals.deltasPushed + (live?.deltasPushed ?? 0),
      deltasPulled: this.#totals.deltasPulled + (live?.deltasPulled ?? 0),
      rounds: this.#totals.rounds + (live?.rounds ?? 0),
      roundsFailed: this.#totals.roundsFailed + (live?.roundsFailed ?? 0),
    };
  }

  /**
   * The outbox as every sync loop sees it: behind the outbox-claims oracle, and behind injected
   * storage failures when the profile has them (the oracle sees only calls that went through).
   */
  #loopsQueue(queue: MemoryQueue): ClaimWatchQueue {
    const faults = this.#deps.outboxFaults;
    this.#faulty = faults === null ? null : new FaultyOutbox(queue, faults);
    return new ClaimWatchQueue(this.#faulty ?? queue, this.#deps.onClaimProblem);
  }

  /** Starts opening a new client now; on success its sync loop starts. */
  open(): void {
    const { index, scheduler, network, clock, options, onError, onLifecycle } = this.#deps;
    this.#pendingOpen = null;
    const generation = ++this.#generation;
    const timers = new VirtualTimers(scheduler, this.clientId, onError);
    const link = network.connect(index);
    this.#timers = timers;
    this.#link = link;
    const recoverSending = this.#second === null;
    let opening: ReturnType<typeof SyncClient.open>;
    try {
      opening = SyncClient.open({
        clientId: this.clientId,
        clock,
        timers,
        transport: link,
        queue: this.#sharedQueue,
        options,
        onApplied: this.#deps.session(`${this.clientId}#${generation}`),
        onClientIdReused: (reuse) => {
          onLifecycle(index, 'client-id-reused', reuse.message);
          this.#deps.onReuse(index, reuse);
        },
        // A second loop still running (it outlives a failed open) owns its batch in flight.
        recoverSending,
      });
    } catch (error) {
      onError(error, `SyncClient.open for ${this.clientId}`);
      this.#retryOpen(generation);
      return;
    }
    opening.then(
      (result) => {
        if (generation !== this.#generation) return;
        if (!result.ok) {
          onLifecycle(index, 'open-failed', `${result.error.code}: ${result.error.message}`);
          this.#retryOpen(generation);
          return;
        }
        this.#client = result.value;
        // The second loop ended while this one opened: what it left `sending` is this one's now.
        if (!recoverSending && this.#second === null) result.value.releaseOrphans();
        onLifecycle(index, 'opened', `outbox kept, replica rebuilt`);
        try {
          result.value.start();
        } catch (error) {
          onError(error, `SyncClient.start for ${this.clientId}`);
        }
      },
      (error: unknown) => onError(error, `SyncClient.open for ${this.clientId} (rejected)`),
    );
  }

  /** The process dies now: client, timers and link are gone; the outbox stays. */
  crash(): void {
    this.#generation++;
    if (this.#pendingOpen !== null) this.#deps.scheduler.cancel(this.#pendingOpen);
    this.#pendingOpen = null;
    const client = this.#client;
    if (client !== null) this.#addTotals(client.stats);
    this.#timers?.discardAll();
    this.#link?.kill();
    this.#killSecondLoop();
    this.#sharedQueue.abandonAll();
    this.#faulty?.abandon();
    this.#client = null;
    this.#timers = null;
    this.#link = null;
    this.#deps.onLifecycle(
      this.index,
      'crashed',
      client === null ? 'while not running' : 'replica lost, outbox kept',
    );
  }

  /** Crashes now and opens a new client `downMs` later. */
  restart(downMs: number): void {
    this.crash();
    this.#pendingOpen = this.#deps.scheduler.after(downMs, () => this.open());
  }

  /**
   * Crashes now and comes back `downMs` later with a fresh, empty outbox under the same client id
   * (site data cleared but the id kept, ADR-021). Returns the wiped outbox, for the ledger.
   */
  reincarnate(downMs: number): MemoryQueue {
    this.crash();
    const wiped = this.#queue;
    this.#queue = new MemoryQueue();
    this.#sharedQueue = this.#loopsQueue(this.#queue);
    this.#pendingOpen = this.#deps.scheduler.after(downMs, () => this.open());
    return wiped;
  }

  /**
   * Crashes now and comes back `downMs` later restored from a backup (ADR-021): its outbox — the
   * only state a client persists — replaced by one rebuilt from `checkpoint`, under the same
   * client id. Returns the outbox that was lost, for the ledger.
   */
  restoreFrom(checkpoint: QueueCheckpoint, downMs: number): MemoryQueue {
    const restored = MemoryQueue.restore(checkpoint);
    // The checkpoint came from this node's own MemoryQueue, so it is valid by construction.
    if (!restored.ok) assert(false, `restore of ${this.clientId}: ${restored.error.message}`);
    this.crash();
    const lost = this.#queue;
    this.#queue = restored.value;
    this.#sharedQueue = this.#loopsQueue(this.#queue);
    this.#pendingOpen = this.#deps.scheduler.after(downMs, () => this.open());
    return lost;
  }

  /**
   * Starts a second sync loop over the same outbox for `durationMs` (two tabs, or an app that
   * starts a round while another is in flight): a second `SyncClient` with the same id, its own
   * link, timers and replica, syncing until it is closed. Ignored (false) while the process is down
   * or a second loop already runs. Its rounds overlap the first loop's, so claims must be exclusive.
   */
  startSecondLoop(durationMs: number): boolean {
    const { index, scheduler, network, clock, options, onError } = this.#deps;
    if (this.#client === null || this.#second !== null) return false;
    const generation = this.#generation;
    const timers = new VirtualTimers(scheduler, `${this.clientId}/loop-2`, onError);
    const link = network.connect(index);
    const end = scheduler.after(durationMs, () => this.#endSecondLoop());
    const second: SecondLoop = { client: null, timers, link, end };
    this.#second = second;
    SyncClient.open({
      clientId: this.clientId,
      clock,
      timers,
      transport: link,
      queue: this.#sharedQueue,
      options,
      onApplied: this.#deps.session(`${this.clientId}#${generation}/loop-2`),
      onClientIdReused: (reuse) => {
        this.#deps.onLifecycle(index, 'client-id-reused', `loop 2: ${reuse.message}`);
        this.#deps.onReuse(index, reuse);
      },
      recoverSending: false,
    }).then(
      (result) => {
        if (this.#second !== second) return;
        if (!result.ok) {
          this.#endSecondLoop();
          return;
        }
        second.client = result.value;
        try {
          result.value.start();
        } catch (error) {
          onError(error, `SyncClient.start for ${this.clientId}/loop-2`);
        }
      },
      (error: unknown) => onError(error, `SyncClient.open for ${this.clientId}/loop-2 (rejected)`),
    );
    return true;
  }

  /** The second loop closes like a tab: its batch in flight goes back to pending. */
  #endSecondLoop(): void {
    const second = this.#second;
    if (second === null) return;
    this.#second = null;
    try {
      second.client?.close();
    } catch (error) {
      this.#deps.onError(error, `SyncClient.close for ${this.clientId}/loop-2`);
    }
    second.timers.discardAll();
    second.link.kill();
    if (second.client !== null) this.#addTotals(second.client.stats);
    // As an app does when one of its loops ends: the one left releases what it left `sending`
    // (its close may have met a failing outbox). A loop still opening does so once open.
    this.#client?.releaseOrphans();
    this.#deps.onLifecycle(this.index, 'second-loop-ended', 'second loop closed');
  }

  /** The process died: the second loop dies with it, releasing nothing. */
  #killSecondLoop(): void {
    const second = this.#second;
    if (second === null) return;
    this.#second = null;
    this.#deps.scheduler.cancel(second.end);
    second.timers.discardAll();
    second.link.kill();
    const stats = second.client?.stats;
    if (stats !== undefined) this.#addTotals(stats);
  }

  #addTotals(stats: SyncClient['stats']): void {
    this.#totals.deltasPushed += stats.deltasPushed;
    this.#totals.deltasPulled += stats.deltasPulled;
    this.#totals.rounds += stats.rounds;
    this.#totals.roundsFailed += stats.roundsFailed;
  }

  #retryOpen(generation: number): void {
    this.#pendingOpen = this.#deps.scheduler.after(this.#deps.openRetryMs, () => {
      if (generation === this.#generation) this.open();
    });
  }
}
