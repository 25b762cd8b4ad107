import { HLC } from '../../src/hlc/hlc';
import type { SyncResponse } from '../../src/proto/types';
import { CLOCK_MARGIN_MS, type ClientReading, ProgressOracle } from '../oracles/progress';
import type { SimWorld } from '../scenario/sim-world';
import type { FaultKind } from './fault-sink';
import { SIM_GATEWAY_OPTIONS } from './node-options';

/** Faults that touch every client's window: the gateway went away, or the network split. */
const EVERY_CLIENT: ReadonlySet<FaultKind> = new Set(['gateway-restart', 'partition']);

/**
 * The progress oracle's eyes in the world: which faults touch which client, whether a client is
 * within bounds at a tick (process up, gateway serving, not cut off, clock and stamps within the
 * drift limit of the gateway's clock), and its round counters. Violations go to the world's log
 * as `progress`.
 */
export class ProgressWatch {
  readonly oracle: ProgressOracle;
  readonly #world: SimWorld;
  readonly #maxDriftMs: number;

  constructor(world: SimWorld, boundMs: number) {
    this.#world = world;
    this.oracle = new ProgressOracle(world.plan.config.clients, boundMs);
    this.#maxDriftMs = SIM_GATEWAY_OPTIONS.maxDriftMs ?? HLC.MAX_DRIFT_MS;
  }

  /** A request of `client` went unanswered (offline, timed out, refused). */
  touched(client: number): void {
    this.oracle.reset(client, this.#world.scheduler.nowMs);
  }

  /** A fault was recorded on `lane`: reset the windows it touches. */
  noteFault(kind: FaultKind, lane: string): void {
    const now = this.#world.scheduler.nowMs;
    if (EVERY_CLIENT.has(kind)) {
      this.oracle.resetAll(now);
      return;
    }
    const match = /^client-(\d+)$/.exec(lane);
    if (match !== null) this.oracle.reset(Number(match[1]), now);
  }

  /**
   * A push reply (decoded; `null` if it did not decode): a refusal other than a sequence gap
   * (backpressure, drift …) touches the client.
   */
  pushAnswered(client: number, response: SyncResponse | null): void {
    if (response === null) return;
    const error = response.error;
    if (error !== null && error.code !== 'SEQUENCE_GAP') this.touched(client);
  }

  /** Judges every client now. */
  tick(nowMs: number): void {
    const problems = this.oracle.tick(nowMs, (client) => this.#read(client, nowMs));
    for (const problem of problems) this.#world.violation('progress', problem);
  }

  #read(client: number, nowMs: number): ClientReading {
    const world = this.#world;
    const node = world.clients[client];
    const live = node?.client ?? null;
    if (node === undefined || live === null) return { inBounds: false, roundsNet: null };
    const totals = node.totals();
    const roundsNet = totals.rounds - totals.roundsFailed;
    if (world.gateway.gateway === null || world.network.isCut(client, nowMs))
      return { inBounds: false, roundsNet };
    const gatewayNow = world.gateway.clock.now();
    const limit = this.#maxDriftMs - CLOCK_MARGIN_MS;
    const clockOk = Math.abs(node.clock.now() - gatewayNow) <= limit;
    let stampsOk = true;
    try {
      stampsOk = HLC.decode(live.lastHlc()).wall <= gatewayNow + limit;
    } catch (error) {
      world.exception(error, `SyncClient.lastHlc on ${node.clientId}`);
    }
    return { inBounds: clockOk && stampsOk, roundsNet };
  }
}
