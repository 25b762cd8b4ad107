import type { GatewayStats, SyncGateway } from '../../src/gateway/gateway';
import type { GatewayOptions } from '../../src/gateway/options';
import { DEFAULT_GATEWAY_OPTIONS } from '../../src/gateway/options';
import { decodeSyncPull, decodeSyncResponse } from '../../src/proto/codec';
import type { SyncResponse } from '../../src/proto/types';
import { DOWN_MS_MIN } from '../faults/fault-events';
import { progressBoundMs } from '../oracles/progress';
import type { SimWorld } from '../scenario/sim-world';
import type { TriggerName } from '../types';
import type { FaultKind } from './fault-sink';
import type { NetworkDeps } from './network';
import { SIM_CLIENT_OPTIONS, SIM_GATEWAY_OPTIONS } from './node-options';
import { ProgressWatch } from './progress-watch';
import type { LandedFault, StorageTriggerHooks } from './storage';
import { Triggers } from './triggers';

/** A crash a trigger causes stays down this long at most (it should not end the run's story). */
const TRIGGERED_DOWN_MS_MAX = 2_000;
/** A late lost reply of a landed envelope arrives this long after the write would have answered. */
const LATE_REPLY_MS_MIN = 1_000;
const LATE_REPLY_MS_MAX = 3_000;

/** Per gateway instance: what the trim count has seen so far. */
interface TrimSample {
  readonly gateway: SyncGateway;
  flushesOk: number;
  snapshotsServed: number;
  /** Whether this instance has trimmed its log yet. */
  trimmed: boolean;
  /** Whether `after-snapshot-page` may still crash this instance (once per instance). */
  snapshotCrashArmed: boolean;
}

/**
 * How a run reaches delicate states (ADR-017), wired into the world: the gateway's log retention,
 * the state-triggered faults at the storage and network seams, the fault focus, the reach counters
 * of the coverage table (trims, stale-cursor snapshots, triggers fired) and the progress oracle.
 * Built first by the world; its hooks read the world lazily, once everything exists.
 */
export class Reach {
  readonly triggers: Triggers;
  readonly progress: ProgressWatch;
  readonly #world: SimWorld;
  readonly #retainMax: number;
  #trim: TrimSample | null = null;
  /** Clients receiving a stale-cursor snapshot whose tombstones are not counted yet. */
  readonly #staleSnapshots = new Set<number>();

  constructor(world: SimWorld) {
    this.#world = world;
    const { plan } = world;
    const reach = plan.config.reach;
    this.#retainMax =
      reach?.logRetainMax ??
      SIM_GATEWAY_OPTIONS.logRetainMax ??
      DEFAULT_GATEWAY_OPTIONS.logRetainMax;
    this.triggers = new Triggers(
      reach,
      plan.seed,
      () => ({ nowMs: world.scheduler.nowMs, faultsActive: world.phase === 'fault' }),
      (name, lane, detail) => {
        world.coverage.count(`trigger:${name}`, world.phase);
        world.trace.record(`${world.scheduler.nowMs} trigger ${name} ${lane} ${detail}`);
        world.timeline.add('major', world.scheduler.nowMs, lane, `trigger:${name}`, detail);
      },
    );
    const clientOptions = SIM_CLIENT_OPTIONS;
    const boundMs = progressBoundMs({
      syncIntervalMs: clientOptions.syncIntervalMs ?? 1,
      retryDelayMsMax: clientOptions.retryDelayMsMax ?? 1,
      latencyMsMax: plan.config.faults.latencyMsMax,
    });
    this.progress = new ProgressWatch(world, boundMs);
  }

  /** The gateway's options for this run: the simulator's, with the plan's log retention. */
  get gatewayOptions(): Partial<GatewayOptions> {
    const pageDeltasMax = this.#world.plan.config.reach?.pageDeltasMax;
    return {
      ...SIM_GATEWAY_OPTIONS,
      logRetainMax: this.#retainMax,
      ...(pageDeltasMax === undefined ? {} : { pullDeltasMax: pageDeltasMax }),
    };
  }

  /** Whether drawn faults may hit `client` (or the gateway's storage, `null`) now: the focus. */
  faultsApply(client: number | null, nowMs: number): boolean {
    const focus = this.#world.plan.config.reach?.focus;
    if (focus === undefined) return true;
    if (focus.kind === 'window') return nowMs >= focus.fromMs && nowMs < focus.toMs;
    return client === null || client === focus.client;
  }

  /** The storage-side triggers: a poisoned envelope during recovery; a crash or late loss on landing. */
  readonly storageHooks: StorageTriggerHooks = {
    recoveryPoison: () =>
      this.triggers.fires(
        'recovery-read',
        null,
        'lake',
        'every read of one envelope fails during recovery',
      )
        ? this.triggers.between('recovery-read', 0, 3)
        : null,
    landed: (path): LandedFault | null => {
      // `armed` first: an unarmed trigger never fires, and its detail text need not be built.
      if (!this.triggers.armed('envelope-landed')) return null;
      if (!this.triggers.fires('envelope-landed', null, 'lake', `${path} landed`)) return null;
      if (this.triggers.between('envelope-landed', 0, 1) === 0) {
        const delayMs = this.triggers.between(
          'envelope-landed',
          LATE_REPLY_MS_MIN,
          LATE_REPLY_MS_MAX,
        );
        this.#world.fault(
          'storage-lost-reply',
          'lake',
          `reply for ${path} lost, heard ${delayMs} ms late`,
          'major',
        );
        return { action: 'lose-reply', delayMs };
      }
      this.#restartGateway(
        'envelope-landed',
        `crash after ${path} landed, before its watermark advanced`,
      );
      return { action: 'crash' };
    },
  };

  /** The network-side hooks: claim-before-send, the focus, misses and answers for the counters. */
  get networkHooks(): Pick<NetworkDeps, 'beforeSend' | 'onMiss' | 'faultsApply'> {
    return {
      beforeSend: (client, kind) => {
        // `armed` first: an unarmed trigger never fires, and its lane text need not be built.
        if (kind !== 'push' || !this.triggers.armed('claim-before-send')) return true;
        const lane = `client-${client}`;
        if (!this.triggers.fires('claim-before-send', client, lane, 'batch claimed, not sent'))
          return true;
        const node = this.#world.clients[client];
        if (node === undefined) return true;
        const downMs = this.triggers.between(
          'claim-before-send',
          DOWN_MS_MIN,
          TRIGGERED_DOWN_MS_MAX,
        );
        this.#world.fault(
          'client-restart',
          lane,
          `crash between claim and send, back in ${downMs} ms`,
          'major',
        );
        this.#world.faultCounters.clientRestarts++;
        node.restart(downMs);
        return false;
      },
      onMiss: (client) => this.progress.touched(client),
      faultsApply: (client, nowMs) => this.faultsApply(client, nowMs),
    };
  }

  /** A push the gateway answered, its reply decoded (`null` if it did not decode): feeds progress. */
  pushAnswered(client: number, response: SyncResponse | null): void {
    this.progress.pushAnswered(client, response);
  }

  /** A pull the gateway answered: counts snapshots, arms `after-snapshot-page`. */
  pullAnswered(request: Uint8Array, reply: Uint8Array, client: number): void {
    const gateway = this.#world.gateway.gateway;
    if (gateway === null) return;
    // One `stats()` per pull: it is not free (it settles the gateway's pending verification).
    const stats = gateway.stats();
    const sample = this.#sample(gateway, stats);
    const served = stats.snapshotsServed;
    const started = served > sample.snapshotsServed;
    sample.snapshotsServed = served;
    const armed = this.triggers.armed('after-snapshot-page') && sample.snapshotCrashArmed;
    if (!started && !armed && !this.#staleSnapshots.has(client)) return;
    const pull = decodeSyncPull(request);
    if (!pull.ok) return;
    if (started) {
      // A cursor of this instance below the floor is stale by a trim; so is a client starting from
      // nothing once this instance trimmed. Otherwise the cursor predates this instance.
      const epoch = pull.value.gatewayEpoch;
      const stale = epoch === gateway.epoch || (epoch === 0n && sample.trimmed);
      this.#world.coverage.count(
        stale ? 'snapshot:stale-cursor' : 'snapshot:new-epoch',
        this.#world.phase,
      );
      if (stale) this.#staleSnapshots.add(client);
      else this.#staleSnapshots.delete(client);
    }
    if (!started && pull.value.snapshotOffset === 0) {
      this.#staleSnapshots.delete(client);
      return;
    }
    // Only a stale-cursor client or an armed crash needs the reply's content: decoding a snapshot
    // page is decoding every delta in it again.
    if (!armed && !this.#staleSnapshots.has(client)) return;
    const response = decodeSyncResponse(reply);
    if (!response.ok || !response.value.snapshot) return;
    if (this.#staleSnapshots.has(client)) {
      // A delete behind the trimmed floor reaches this client only as a tombstone in its snapshot.
      const tombstone = response.value.deltas.some((delta) => delta.op === 'DELETE');
      if (tombstone) this.#world.coverage.count('delete-across-trim', this.#world.phase);
      if (tombstone || !response.value.hasMore) this.#staleSnapshots.delete(client);
    }
    if (!armed || !response.value.hasMore) return;
    const lane = `client-${client}`;
    if (
      !this.triggers.fires('after-snapshot-page', null, lane, 'snapshot page served, more to come')
    )
      return;
    // Once per instance: the restart sends every client a snapshot, which must not cascade.
    sample.snapshotCrashArmed = false;
    this.#restartGateway('after-snapshot-page', 'crash between two snapshot pages');
  }

  /** Called every monitor tick: counts trims, and judges progress. */
  tick(nowMs: number): void {
    const gateway = this.#world.gateway.gateway;
    if (gateway !== null) this.#sample(gateway);
    this.progress.tick(nowMs);
  }

  /** A fault was recorded: the progress windows it touches start again. */
  noteFault(kind: FaultKind, lane: string): void {
    this.progress.noteFault(kind, lane);
  }

  /**
   * Counts trims: the log is at its retention bound when the flushed entries it retains reach
   * `logRetainMax`; from then on every successful flush trims. Sampled at monitor ticks and pulls,
   * so a flush that first reaches the bound may be counted as a trim (at most one per instance).
   */
  #sample(gateway: SyncGateway, stats: GatewayStats = gateway.stats()): TrimSample {
    let sample = this.#trim;
    if (sample === null || sample.gateway !== gateway) {
      sample = {
        gateway,
        flushesOk: 0,
        snapshotsServed: 0,
        trimmed: false,
        snapshotCrashArmed: true,
      };
      this.#trim = sample;
    }
    const flushes = stats.flushesOk - sample.flushesOk;
    sample.flushesOk = stats.flushesOk;
    if (flushes > 0 && stats.logLength - stats.unflushedDeltas >= this.#retainMax) {
      this.#world.coverage.count('trim', this.#world.phase, flushes);
      sample.trimmed = true;
    }
    return sample;
  }

  #restartGateway(name: TriggerName, detail: string): void {
    const world = this.#world;
    const downMs = this.triggers.between(name, DOWN_MS_MIN, TRIGGERED_DOWN_MS_MAX);
    world.fault('gateway-restart', 'gateway', `${detail}, back in ${downMs} ms`, 'major');
    world.faultCounters.gatewayRestarts++;
    world.checkGatewayLog('before a triggered crash');
    world.gateway.restart(downMs);
  }
}
