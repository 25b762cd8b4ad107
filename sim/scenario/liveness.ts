import {
  baselineOfStates,
  diffViews,
  type RowsView,
  rowsMatchView,
  viewOfRows,
} from '../oracles/rows-view';
import type { SimWorld } from './sim-world';

/** How often (virtual ms) the run is monitored: progress and liveness. */
export const MONITOR_INTERVAL_MS = 1_000;

/**
 * How often (virtual ms) the live gateway's whole retained log is checked for ingest order (it is
 * also checked before every gateway crash and at the end of the run).
 */
export const GATEWAY_LOG_CHECK_INTERVAL_MS = 10_000;

/**
 * Oracle 6, liveness: after the faults stop, the system must reach quiet agreement — gateway and
 * every client up, every outbox empty, nothing unflushed at the gateway, and every client showing
 * what the gateway shows — within the heal phase. `convergedAtMs` is the first monitor tick at
 * which that held; `lastReason` says what was still missing at the latest tick that failed.
 */
export class LivenessMonitor {
  convergedAtMs: number | null = null;
  lastReason = 'never checked: the heal phase did not start';
  readonly #world: SimWorld;

  constructor(world: SimWorld) {
    this.#world = world;
  }

  /** Schedules a monitor tick every `MONITOR_INTERVAL_MS` until the end of the run. */
  start(onProgress?: (virtualMs: number, totalMs: number) => void): void {
    const world = this.#world;
    const tick = (): void => {
      const now = world.scheduler.nowMs;
      onProgress?.(now, world.endMs);
      if (now % GATEWAY_LOG_CHECK_INTERVAL_MS === 0) world.checkGatewayLog('periodic check');
      world.reach.tick(now);
      if (world.phase === 'heal' && this.convergedAtMs === null) void this.#check(now);
      if (now + MONITOR_INTERVAL_MS <= world.endMs)
        world.scheduler.after(MONITOR_INTERVAL_MS, tick);
    };
    world.scheduler.after(MONITOR_INTERVAL_MS, tick);
  }

  async #check(now: number): Promise<void> {
    const reason = await this.#whatIsMissing();
    if (reason === null) {
      this.convergedAtMs = now;
      const afterMs = now - this.#world.plan.config.durationMs;
      this.#world.lifecycle(
        'faults',
        'settled',
        `outboxes empty and replicas agree ${afterMs} ms into the heal`,
      );
    } else this.lastReason = `at ${now} ms: ${reason}`;
  }

  /** `null` when quiet agreement holds, else the first thing found missing. */
  async #whatIsMissing(): Promise<string | null> {
    const world = this.#world;
    const gateway = world.gateway.gateway;
    if (gateway === null) return 'the gateway is down';
    for (const node of world.clients) {
      if (node.client === null) return `${node.clientId} is down`;
      const depth = await node.queue.depth();
      if (!depth.ok) return `${node.clientId} outbox depth failed: ${depth.error.message}`;
      if (depth.value > 0) return `${node.clientId} outbox still holds ${depth.value} delta(s)`;
    }
    try {
      const unflushed = gateway.stats().unflushedDeltas;
      if (unflushed > 0) return `the gateway holds ${unflushed} unflushed delta(s)`;
      const baseline = baselineOfStates(gateway.index());
      // The gateway's view (canonical text of every value) only once a client may differ.
      let gatewayView: RowsView | null = null;
      for (const node of world.clients) {
        const client = node.client;
        if (client === null) return `${node.clientId} is down`;
        const rows = client.rows();
        // The baseline says "same" only when the views are equal; otherwise ask the view.
        if (baseline.shownBy(rows)) continue;
        gatewayView ??= baseline.view();
        if (rowsMatchView(gatewayView, rows)) continue;
        const difference = diffViews('gateway', gatewayView, node.clientId, viewOfRows(rows), 1);
        return difference[0] ?? `${node.clientId} differs from the gateway`;
      }
    } catch (error) {
      world.exception(error, 'an inspection API during the liveness check');
      return 'an inspection API threw';
    }
    return null;
  }
}
