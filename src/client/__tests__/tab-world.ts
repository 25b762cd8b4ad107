import { IDBFactory } from 'fake-indexeddb';
import { MemoryAdapter } from '../../adapter/memory-adapter';
import type { RowDelta } from '../../delta/types';
import { SyncGateway } from '../../gateway/gateway';
import { createInProcessTransport } from '../../gateway/in-process-transport';
import { createWireHandler, type WireHandler } from '../../gateway/wire-handler';
import type { HLCTimestamp } from '../../hlc/types';
import { ManualClock, ManualTimers } from '../../ports/manual';
import type { Transport } from '../../ports/transport';
import { decodeSyncPush } from '../../proto/codec';
import { IdbQueue } from '../../queue/idb-queue';
import type { OutboxMark, Restamp, RestampOptions, SyncQueue } from '../../queue/types';
import { TransportError } from '../../result/errors';
import { Err, type Result, unwrapOrThrow } from '../../result/result';
import { MemoryChannelHub } from '../tab-channel';
import { MemoryLockHub, type MemoryTabLocks } from '../tab-locks';
import { TabSession } from '../tab-session';

/** One open tab of the test origin: its session, its locks (closing them models closing it). */
export interface Tab {
  readonly session: TabSession;
  readonly queue: IdbQueue;
  readonly locks: MemoryTabLocks;
  readonly transport: ControlledTransport;
  /** The outbox as the tab's code sees it; `freeze()` models the tab's code stopping. */
  readonly view: FreezableQueue;
}

const NEVER = new Promise<never>(() => undefined);

/**
 * The shared outbox as one tab's code reaches it. After `freeze()` every call hangs for ever,
 * which is what a crashed tab's code does: a call already inside IndexedDB finishes there (a
 * transaction commits or aborts as a whole) but the tab never acts on its result.
 */
export class FreezableQueue implements SyncQueue {
  readonly #inner: SyncQueue;
  #frozen = false;

  constructor(inner: SyncQueue) {
    this.#inner = inner;
  }

  freeze(): void {
    this.#frozen = true;
  }

  #call<T>(run: () => Promise<T>): Promise<T> {
    if (this.#frozen) return NEVER;
    return run().then((value) => (this.#frozen ? NEVER : value));
  }

  push(delta: RowDelta) {
    return this.#call(() => this.#inner.push(delta));
  }
  peek(limit: number) {
    return this.#call(() => this.#inner.peek(limit));
  }
  markSending(ids: readonly string[]) {
    return this.#call(() => this.#inner.markSending(ids));
  }
  claim(limit: number) {
    return this.#call(() => this.#inner.claim(limit));
  }
  claimBatch(limit: number) {
    return this.#call(() => this.#inner.claimBatch(limit));
  }
  ack(ids: readonly string[]) {
    return this.#call(() => this.#inner.ack(ids));
  }
  nack(ids: readonly string[]) {
    return this.#call(() => this.#inner.nack(ids));
  }
  reopen(acceptedHlc: HLCTimestamp) {
    return this.#call(() => this.#inner.reopen(acceptedHlc));
  }
  removeDurable(durableHlc: HLCTimestamp) {
    return this.#call(() => this.#inner.removeDurable(durableHlc));
  }
  restamp(replacements: readonly Restamp[], options?: RestampOptions) {
    return this.#call(() => this.#inner.restamp(replacements, options));
  }
  entries() {
    return this.#call(() => this.#inner.entries());
  }
  entriesSince(since: OutboxMark) {
    return this.#call(() => this.#inner.entriesSince(since));
  }
  depth() {
    return this.#call(() => this.#inner.depth());
  }
  lastHlc() {
    return this.#call(() => this.#inner.lastHlc());
  }
  clear() {
    return this.#call(() => this.#inner.clear());
  }
}

/** A transport that counts requests in flight across every tab and can hold them back. */
export class ControlledTransport implements Transport {
  readonly #world: TabWorld;
  /** While true, requests wait until `release()`. */
  hold = false;
  /** While true, every request fails at once with a `TransportError` (the tab is offline). */
  offline = false;
  readonly #held: Array<() => void> = [];
  #inFlight = 0;
  #crashed = false;

  constructor(world: TabWorld) {
    this.#world = world;
  }

  push(request: Uint8Array): Promise<Result<Uint8Array, TransportError>> {
    return this.#send('push', request);
  }

  pull(request: Uint8Array): Promise<Result<Uint8Array, TransportError>> {
    return this.#send('pull', request);
  }

  /** Lets held requests go on. */
  release(): void {
    this.hold = false;
    for (const go of this.#held.splice(0)) go();
  }

  /** Requests waiting in `hold`. */
  get heldCount(): number {
    return this.#held.length;
  }

  /** The tab died: its requests never arrive or answer, and no longer count as in flight. */
  crash(): void {
    this.#crashed = true;
    this.#world.inFlight -= this.#inFlight;
    this.#inFlight = 0;
  }

  async #send(kind: 'push' | 'pull', request: Uint8Array) {
    const world = this.#world;
    if (this.#crashed) return NEVER;
    if (this.offline) return Err(new TransportError(`${kind}: the tab is offline`));
    world.inFlight++;
    this.#inFlight++;
    world.inFlightMax = Math.max(world.inFlightMax, world.inFlight);
    try {
      if (this.hold) await new Promise<void>((go) => this.#held.push(go));
      for (let turn = 0; turn < world.latencyTurns; turn++) {
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      if (this.#crashed) return NEVER;
      if (kind === 'push') world.pushedIds.push(...world.decodePushIds(request));
      return await world.gatewayTransport[kind](request);
    } finally {
      if (!this.#crashed) {
        world.inFlight--;
        this.#inFlight--;
      }
    }
  }
}

/**
 * Several tabs of one origin over one shared IndexedDB outbox (fake-indexeddb), in-memory Web
 * Locks and BroadcastChannel, one client id, a real gateway in process, manual time.
 */
export class TabWorld {
  /** One wall clock for the gateway and every tab. */
  readonly clock: ManualClock;
  readonly timers: ManualTimers;
  readonly indexedDB = new IDBFactory();
  readonly lockHub = new MemoryLockHub();
  readonly channelHub = new MemoryChannelHub();
  readonly clientId = 'web-tabs';
  readonly namespace = 'outbox-test';
  readonly gateway: SyncGateway;
  readonly gatewayTransport: Transport;
  /** Event-loop turns each request takes on the way (network latency, so requests can overlap). */
  latencyTurns = 0;
  /** Requests in flight to the gateway right now, across every tab, and the most ever. */
  inFlight = 0;
  inFlightMax = 0;
  /** Every delta id of every push that reached the gateway, duplicates kept. */
  readonly pushedIds: string[] = [];
  readonly #handler: WireHandler;

  private constructor(clock: ManualClock, timers: ManualTimers, gateway: SyncGateway) {
    this.clock = clock;
    this.timers = timers;
    this.gateway = gateway;
    this.#handler = createWireHandler(gateway);
    this.gatewayTransport = createInProcessTransport(this.#handler);
  }

  static async create(): Promise<TabWorld> {
    const clock = new ManualClock();
    const timers = new ManualTimers(clock);
    const adapter = new MemoryAdapter({ clock });
    const gateway = unwrapOrThrow(
      await SyncGateway.open({ gatewayId: 'gw-tabs', clock, timers, adapter }),
    );
    return new TabWorld(clock, timers, gateway);
  }

  /** The delta ids of an encoded push. */
  decodePushIds(request: Uint8Array): string[] {
    return unwrapOrThrow(decodeSyncPush(request)).deltas.map((delta) => delta.deltaId);
  }

  /** Opens one more tab. */
  async openTab(): Promise<Tab> {
    const queue = unwrapOrThrow(
      await IdbQueue.open(this.namespace, { indexedDB: this.indexedDB, requireRisingHlc: true }),
    );
    const locks = this.lockHub.tab();
    const transport = new ControlledTransport(this);
    const view = new FreezableQueue(queue);
    const session = unwrapOrThrow(
      await TabSession.open({
        clientId: this.clientId,
        clock: this.clock,
        timers: this.timers,
        transport,
        queue: view,
        locks,
        channel: this.channelHub.tab(),
        namespace: this.namespace,
      }),
    );
    return { session, queue, locks, transport, view };
  }

  /** Crashes a tab: its code stops at its next step, its requests die, the browser frees its locks. */
  crashTab(tab: Tab): void {
    tab.view.freeze();
    tab.transport.crash();
    tab.locks.close();
  }

  /** Closes a tab as the browser would: its code stops and its locks are released. */
  closeTab(tab: Tab): void {
    tab.session.close();
    tab.locks.close();
    tab.queue.close();
  }
}
