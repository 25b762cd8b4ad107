import { MemoryAdapter } from '../../src/adapter/memory-adapter';
import type { ReplicaEvent } from '../../src/client/replica-event';
import { SyncGateway } from '../../src/gateway/gateway';
import { DEFAULT_GATEWAY_OPTIONS } from '../../src/gateway/options';
import { decodeSyncResponse } from '../../src/proto/codec';
import { createPrng } from '../engine/prng';
import type { VirtualTime } from '../engine/scheduler';
import { Scheduler } from '../engine/scheduler';
import { Trace } from '../engine/trace';
import { VirtualClock } from '../engine/virtual-clock';
import { driftProblem, OwnClockWatch } from '../oracles/drift-bound';
import { DeliveryRecord, type SessionProblem, SessionWatch } from '../oracles/session-guarantees';
import { firstLine, ViolationLog } from '../oracles/violation-log';
import type { OracleName, Plan } from '../types';
import { ClientNode } from '../world/client-node';
import type { FaultKind, FaultSink } from '../world/fault-sink';
import type { FaultyOutboxDeps } from '../world/faulty-outbox';
import { type GatewayFactory, GatewayNode } from '../world/gateway-node';
import { SimNetwork } from '../world/network';
import {
  CLIENT_OPEN_RETRY_MS,
  CLOCK_BASE_DRIFT_PPM_MAX,
  CLOCK_BASE_SKEW_MS_MAX,
  GATEWAY_OPEN_RETRY_MS,
  REQUEST_TIMEOUT_MS,
  SIM_CLIENT_OPTIONS,
  SIM_EPOCH_MS,
  SIM_GATEWAY_OPTIONS,
} from '../world/node-options';
import { Reach } from '../world/reach';
import { SimStorage } from '../world/storage';
import { Coverage, type Phase } from './coverage';
import { Timeline, type TimelineCategory } from './timeline';
import { WriteLedger } from './write-ledger';

/** Extension hooks of a run. */
export interface RunOptions {
  /** Builds each gateway instance (default `SyncGateway.open`); tests plant sabotaged ones. */
  readonly gatewayFactory?: GatewayFactory;
  /** Called about once per virtual second with the virtual time reached and the total. */
  readonly onProgress?: (virtualMs: number, totalMs: number) => void;
  /** Stop the run after this many violations (default `VIOLATIONS_MAX_DEFAULT`). */
  readonly maxViolations?: number;
  /** Bound on events held by the event queue (default `EVENTS_MAX_DEFAULT`). */
  readonly eventsMax?: number;
}

/** Counters of scheduled faults carried out, for the summary. */
export interface FaultCounters {
  partitions: number;
  offlinePeriods: number;
  gatewayRestarts: number;
  clientRestarts: number;
  clockSkewMsMax: number;
}

/** The id every simulated gateway instance uses (one gateway process, restarted in place). */
export const SIM_GATEWAY_ID = 'gw-sim';

/**
 * Everything one run is made of, wired together: the scheduler and trace, the named PRNG streams,
 * the network and storage, the gateway and client nodes, and the run's bookkeeping (violations,
 * timeline, coverage, write ledger). Building it has no effect; `runPlan` tells the story.
 */
export class SimWorld {
  readonly plan: Plan;
  readonly scheduler: Scheduler;
  readonly trace = new Trace();
  readonly violations: ViolationLog;
  readonly timeline = new Timeline();
  readonly coverage = new Coverage();
  readonly ledger = new WriteLedger();
  /** Reach (ADR-017): log retention, state-triggered faults, focus, reach counters, progress. */
  readonly reach: Reach;
  readonly faultCounters: FaultCounters = {
    partitions: 0,
    offlinePeriods: 0,
    gatewayRestarts: 0,
    clientRestarts: 0,
    clockSkewMsMax: 0,
  };
  readonly lake: MemoryAdapter;
  readonly storage: SimStorage;
  readonly network: SimNetwork;
  readonly gateway: GatewayNode;
  readonly clients: ClientNode[] = [];
  /** The gateway's wall clock (one clock across its restarts). */
  readonly gatewayClock: VirtualClock;
  /** How far ahead each client's clock was when it wrote (drift refusals must be its own). */
  readonly ownClocks = new OwnClockWatch();
  phase: Phase = 'fault';

  constructor(plan: Plan, options: RunOptions = {}) {
    const { config } = plan;
    this.plan = plan;
    this.scheduler = new Scheduler(options.eventsMax);
    this.violations = new ViolationLog(options.maxViolations, () => this.scheduler.stop());
    const scheduler = this.scheduler;
    const onError = (error: unknown, where: string): void => this.exception(error, where);
    const onFault = (kind: FaultKind, lane: string, detail: string): void =>
      this.fault(kind, lane, detail, 'noise');
    const gatewayClock = baseClock(scheduler, plan, 'clock/gateway', 0);
    this.gatewayClock = gatewayClock;
    this.reach = new Reach(this);
    this.lake = new MemoryAdapter({ clock: gatewayClock });
    this.storage = new SimStorage({
      scheduler,
      prng: createPrng(plan.seed, 'storage'),
      trace: this.trace,
      rates: config.faults,
      inner: this.lake,
      onFault,
      onLanded: (path, bytes) =>
        this.timeline.add('major', scheduler.nowMs, 'lake', 'put', `${path} (${bytes} B)`),
      triggers: this.reach.storageHooks,
      faultsApply: (nowMs) => this.reach.faultsApply(null, nowMs),
    });
    this.gateway = new GatewayNode({
      scheduler,
      storage: this.storage,
      clock: gatewayClock,
      gatewayId: SIM_GATEWAY_ID,
      options: this.reach.gatewayOptions,
      factory: options.gatewayFactory ?? ((deps) => SyncGateway.open(deps)),
      openRetryMs: GATEWAY_OPEN_RETRY_MS,
      onError,
      onLifecycle: (event, detail) => this.lifecycle('gateway', event, detail),
    });
    this.network = new SimNetwork({
      scheduler,
      prng: createPrng(plan.seed, 'network'),
      trace: this.trace,
      rates: config.faults,
      gateway: this.gateway.handler,
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
      onFault,
      onError,
      ...this.reach.networkHooks,
      onAnswered: (kind, request, reply, client) => {
        if (kind === 'pull') {
          this.reach.pullAnswered(request, reply, client);
          return;
        }
        // One decoding of the push reply serves the three checks that read it.
        const decoded = decodeSyncResponse(reply);
        const response = decoded.ok ? decoded.value : null;
        this.reach.pushAnswered(client, response);
        const maxDriftMs = SIM_GATEWAY_OPTIONS.maxDriftMs ?? DEFAULT_GATEWAY_OPTIONS.maxDriftMs;
        const problem = driftProblem(request, response, gatewayClock.now(), maxDriftMs);
        if (problem !== null) this.violation('monotonicity', problem);
        const refusal = this.ownClocks.refusal(client, response, maxDriftMs);
        if (refusal !== null) this.violation('monotonicity', refusal);
      },
    });
    for (let index = 0; index < config.clients; index++) {
      this.clients.push(
        new ClientNode({
          index,
          scheduler,
          network: this.network,
          clock: baseClock(scheduler, plan, `clock/client-${index}`, CLOCK_BASE_SKEW_MS_MAX),
          options: SIM_CLIENT_OPTIONS,
          openRetryMs: CLIENT_OPEN_RETRY_MS,
          onError,
          onLifecycle: (client, event, detail) => this.lifecycle(`client-${client}`, event, detail),
          session: (name) => this.#sessionListener(name, index),
          onClaimProblem: (message) => this.violation('outbox-claims', message),
          outboxFaults: this.#outboxFaults(index, onFault),
          // A restamp the client could not make exact (a snapshot since open): its writes may be
          // in the lake twice, the limit ADR-021 leaves open; the applied-once oracle exempts them.
          onReuse: (client, reuse) => {
            if (reuse.restamped > 0 && !reuse.exact) this.ledger.restampInexact(client);
          },
        }),
      );
    }
  }

  /** How client `index`'s outbox fails and lags, or `null` when the profile leaves it be. */
  #outboxFaults(index: number, onFault: FaultSink): FaultyOutboxDeps | null {
    const { seed, config } = this.plan;
    const failProbability = config.faults.outboxFailProbability ?? 0;
    const latencyMsMax = config.faults.outboxLatencyMsMax ?? 0;
    if (failProbability === 0 && latencyMsMax === 0) return null;
    return {
      prng: createPrng(seed, `outbox/client-${index}`),
      failProbability,
      latencyMsMax,
      scheduler: this.scheduler,
      lane: `client-${index}`,
      onFault,
      faultsApply: () =>
        this.phase === 'fault' && this.reach.faultsApply(index, this.scheduler.nowMs),
    };
  }

  /** Virtual time at which the run ends: fault phase plus heal phase. */
  get endMs(): number {
    return this.plan.config.durationMs + this.plan.config.healMs;
  }

  /** Records a fault: coverage for the current phase, the trace, and the timeline. */
  fault(kind: FaultKind, lane: string, detail: string, category: TimelineCategory): void {
    const now = this.scheduler.nowMs;
    this.coverage.count(kind, this.phase);
    this.reach.noteFault(kind, lane);
    this.trace.record(`${now} fault ${kind} ${lane} ${detail}`);
    this.timeline.add(category, now, lane, kind, detail);
  }

  /** Records a broken oracle at the current virtual time. */
  violation(oracle: OracleName, message: string): void {
    this.violations.add(oracle, message, this.scheduler.nowMs);
    this.timeline.add('major', this.scheduler.nowMs, 'faults', `violation:${oracle}`, message);
  }

  /** An exception escaped a public API of the code under test. */
  exception(error: unknown, where: string): void {
    this.violation('monotonicity', `exception escaped ${where}: ${firstLine(error)}`);
  }

  /**
   * Oracle 5 on the live gateway: its log's ingest HLCs strictly increase. Reported once per
   * gateway instance (one broken log tends to stay broken).
   */
  checkGatewayLog(when: string): void {
    const gateway = this.gateway.gateway;
    if (gateway === null || this.#logReportedFor === this.gateway.opens) return;
    let problem: string | null;
    try {
      problem = this.ledger.monotonicity.gatewayLog(
        `gateway instance ${this.gateway.opens} (${when})`,
        gateway.log(),
      );
    } catch (error) {
      this.exception(error, 'SyncGateway.log');
      return;
    }
    if (problem === null) return;
    this.#logReportedFor = this.gateway.opens;
    this.violation('monotonicity', problem);
  }

  #logReportedFor = -1;

  /** What the log path delivered to every session (the redelivery oracle's record). */
  readonly #deliveries = new DeliveryRecord();

  /** Every client session's oracles, by session name (`client-<n>#<incarnation>[/loop-2]`). */
  readonly sessions = new Map<string, SessionWatch>();

  /** The session-guarantee oracles of a new session, checked after every batch it merges. */
  #sessionListener(name: string, client: number): (event: ReplicaEvent) => void {
    const watch = new SessionWatch(name, this.#deliveries);
    this.sessions.set(name, watch);
    return (event) => {
      // A restamp (a reused client id, ADR-021): the ledger learns each write's new identity.
      if (event.replaced !== undefined) {
        const problem = this.ledger.restamped(
          client,
          event.replaced,
          event.deltas,
          this.scheduler.nowMs,
        );
        if (problem !== null) this.violation('monotonicity', problem);
        this.timeline.add(
          'major',
          this.scheduler.nowMs,
          `client-${client}`,
          'restamp',
          `${event.deltas.length} write(s) stamped again above a reused id's watermark`,
        );
      }
      let problems: SessionProblem[];
      try {
        problems = watch.applied(event, this.scheduler.nowMs);
      } catch (error) {
        this.exception(error, `the session oracles of ${name}`);
        return;
      }
      for (const problem of problems) this.violation(problem.oracle, problem.message);
    };
  }

  /** Records a process event (opened, crashed …) on the trace and the timeline. */
  lifecycle(lane: string, event: string, detail: string): void {
    this.trace.record(`${this.scheduler.nowMs} ${lane} ${event}`);
    this.timeline.add('major', this.scheduler.nowMs, lane, event, detail);
  }
}

/**
 * A node's clock with its ordinary error drawn from its own stream (`clock/client-<n>`,
 * `clock/gateway`), so adding a client never changes another node's clock: a start offset within
 * ±`skewMsMax` and a drift within ±`CLOCK_BASE_DRIFT_PPM_MAX`, both capped by the fault profile.
 */
function baseClock(time: VirtualTime, plan: Plan, stream: string, skewMsMax: number): VirtualClock {
  const prng = createPrng(plan.seed, stream);
  const { clockSkewMsMax, clockDriftPpmMax } = plan.config.faults;
  const skewBound = Math.min(skewMsMax, clockSkewMsMax);
  const driftBound = Math.min(CLOCK_BASE_DRIFT_PPM_MAX, clockDriftPpmMax);
  const clock = new VirtualClock(time, SIM_EPOCH_MS);
  clock.skew(prng.between(-skewBound, skewBound), prng.between(-driftBound, driftBound));
  return clock;
}
