import type { GatewayDeps, GatewayStats, SyncGateway } from '../../src/gateway/gateway';
import { createWireHandler, type WireHandler } from '../../src/gateway/wire-handler';
import type { LakeSyncError } from '../../src/result/errors';
import type { Result } from '../../src/result/result';
import type { ScheduledEvent } from '../engine/event-queue';
import type { Scheduler } from '../engine/scheduler';
import type { VirtualClock } from '../engine/virtual-clock';
import { type CallbackErrorSink, VirtualTimers } from '../engine/virtual-timers';
import type { SimStorage, StorageSession } from './storage';

/**
 * Builds a gateway instance from its deps. Tests pass one that sabotages it (wraps the adapter or
 * timers in `deps`, or patches a method of the opened instance) to prove an oracle catches it.
 */
export type GatewayFactory = (deps: GatewayDeps) => Promise<Result<SyncGateway, LakeSyncError>>;

/** What happened to the gateway process, for the timeline. */
export type GatewayLifecycle = 'opened' | 'open-failed' | 'crashed';

/** What a gateway node is built from. */
export interface GatewayNodeDeps {
  readonly scheduler: Scheduler;
  readonly storage: SimStorage;
  readonly clock: VirtualClock;
  readonly gatewayId: string;
  readonly options: GatewayDeps['options'];
  readonly factory: GatewayFactory;
  readonly openRetryMs: number;
  readonly onError: CallbackErrorSink;
  readonly onLifecycle: (event: GatewayLifecycle, detail: string) => void;
}

/**
 * The gateway process: at most one live `SyncGateway` at a time, its timers and its storage
 * session. A crash drops the object, its timers and its unlanded storage writes, and keeps the
 * lake; a restart `open`s a new instance after `downMs`, which recovers from the lake (and is
 * retried every `openRetryMs` while storage refuses). Requests arriving while no instance is
 * open are refused by the network.
 */
export class GatewayNode {
  readonly #deps: GatewayNodeDeps;
  #gateway: SyncGateway | null = null;
  #handler: WireHandler | null = null;
  #timers: VirtualTimers | null = null;
  #session: StorageSession | null = null;
  #pendingOpen: ScheduledEvent | null = null;
  #generation = 0;
  readonly #retired: GatewayStats[] = [];
  #opens = 0;

  constructor(deps: GatewayNodeDeps) {
    this.#deps = deps;
  }

  /** The live instance, or `null` while down or opening. */
  get gateway(): SyncGateway | null {
    return this.#gateway;
  }

  /** The gateway machine's clock (it survives restarts). */
  get clock(): VirtualClock {
    return this.#deps.clock;
  }

  /** Instances successfully opened so far. */
  get opens(): number {
    return this.#opens;
  }

  /** Final stats of every crashed instance. */
  get retiredStats(): readonly GatewayStats[] {
    return this.#retired;
  }

  /** The live instance's wire handler, or `null` while down (bound: pass it around freely). */
  readonly handler = (): WireHandler | null => this.#handler;

  /** Starts opening a new instance now. */
  open(): void {
    const { scheduler, storage, clock, gatewayId, options, factory, onError, onLifecycle } =
      this.#deps;
    this.#pendingOpen = null;
    const generation = ++this.#generation;
    const timers = new VirtualTimers(scheduler, 'gateway', onError);
    const session = storage.session();
    this.#timers = timers;
    this.#session = session;
    let opening: Promise<Result<SyncGateway, LakeSyncError>>;
    try {
      opening = factory({ gatewayId, clock, timers, adapter: session, options });
    } catch (error) {
      onError(error, 'SyncGateway.open');
      this.#retryOpen(generation);
      return;
    }
    opening.then(
      (result) => {
        if (generation !== this.#generation) return;
        if (result.ok) {
          session.recovered();
          this.#gateway = result.value;
          this.#handler = createWireHandler(result.value);
          this.#opens++;
          onLifecycle('opened', `instance ${this.#opens}, epoch ${String(result.value.epoch)}`);
          return;
        }
        onLifecycle('open-failed', `${result.error.code}: ${result.error.message}`);
        timers.discardAll();
        session.kill();
        this.#retryOpen(generation);
      },
      (error: unknown) => onError(error, 'SyncGateway.open (rejected)'),
    );
  }

  /** The process dies now: the instance, its timers and its unlanded writes are gone. */
  crash(): void {
    this.#generation++;
    if (this.#pendingOpen !== null) this.#deps.scheduler.cancel(this.#pendingOpen);
    this.#pendingOpen = null;
    const gateway = this.#gateway;
    if (gateway !== null) {
      try {
        this.#retired.push(gateway.stats());
      } catch (error) {
        this.#deps.onError(error, 'SyncGateway.stats');
      }
    }
    this.#timers?.discardAll();
    this.#session?.kill();
    this.#gateway = null;
    this.#handler = null;
    this.#timers = null;
    this.#session = null;
    this.#deps.onLifecycle(
      'crashed',
      gateway === null ? 'while not serving' : 'memory lost, lake kept',
    );
  }

  /** Crashes now and opens a new instance `downMs` later. */
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
