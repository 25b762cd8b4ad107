import type { ClientDeps } from '../../src/client/sync-client';
import { SyncClient } from '../../src/client/sync-client';
import { MemoryQueue } from '../../src/queue/memory-queue';
import type { ScheduledEvent } from '../engine/event-queue';
import type { Scheduler } from '../engine/scheduler';
import type { VirtualClock } from '../engine/virtual-clock';
import { type CallbackErrorSink, VirtualTimers } from '../engine/virtual-timers';
import type { ClientLink, SimNetwork } from './network';

/** What happened to a client process, for the timeline. */
export type ClientLifecycle = 'opened' | 'open-failed' | 'crashed';

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
  /** The durable outbox: the same object across restarts. */
  readonly queue = new MemoryQueue();
  readonly clock: VirtualClock;
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

  /** Starts opening a new client now; on success its sync loop starts. */
  open(): void {
    const { index, scheduler, network, clock, options, onError, onLifecycle } = this.#deps;
    this.#pendingOpen = null;
    const generation = ++this.#generation;
    const timers = new VirtualTimers(scheduler, this.clientId, onError);
    const link = network.connect(index);
    this.#timers = timers;
    this.#link = link;
    let opening: ReturnType<typeof SyncClient.open>;
    try {
      opening = SyncClient.open({
        clientId: this.clientId,
        clock,
        timers,
        transport: link,
        queue: this.queue,
        options,
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
    if (client !== null) {
      const stats = client.stats;
      this.#totals.deltasPushed += stats.deltasPushed;
      this.#totals.deltasPulled += stats.deltasPulled;
      this.#totals.rounds += stats.rounds;
      this.#totals.roundsFailed += stats.roundsFailed;
    }
    this.#timers?.discardAll();
    this.#link?.kill();
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

  #retryOpen(generation: number): void {
    this.#pendingOpen = this.#deps.scheduler.after(this.#deps.openRetryMs, () => {
      if (generation === this.#generation) this.open();
    });
  }
}
