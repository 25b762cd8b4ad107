import type { GatewayStats } from '../../src/gateway/gateway';
import type { RunStats } from '../types';
import type { SimWorld } from './sim-world';

/** The summary counters of a finished run. `wallMs` is measured by the caller, outside the trace. */
export function summarise(
  world: SimWorld,
  lakeObjects: number,
  wallMs: number,
  settledAtMs: number | null,
): RunStats {
  let deltasPushed = 0;
  let deltasPulled = 0;
  for (const node of world.clients) {
    const totals = node.totals();
    deltasPushed += totals.deltasPushed;
    deltasPulled += totals.deltasPulled;
  }
  const gatewayStats: GatewayStats[] = [...world.gateway.retiredStats];
  const live = world.gateway.gateway;
  if (live !== null) {
    try {
      gatewayStats.push(live.stats());
    } catch (error) {
      world.exception(error, 'SyncGateway.stats');
    }
  }
  const network = world.network.counters;
  const virtualMs = world.scheduler.nowMs;
  return {
    clients: world.plan.config.clients,
    ops: world.ledger.counters.acknowledged,
    deltasPushed,
    deltasPulled,
    messagesSent: network.messagesSent,
    duplicatesDelivered: network.duplicatesDelivered,
    messagesDropped: network.messagesDropped,
    repliesLost: network.repliesLost,
    partitions: world.faultCounters.partitions,
    gatewayRestarts: world.faultCounters.gatewayRestarts,
    clientRestarts: world.faultCounters.clientRestarts,
    clockSkewMsMax: world.faultCounters.clockSkewMsMax,
    flushes: gatewayStats.reduce((sum, stats) => sum + stats.flushesOk, 0),
    flushFailures: gatewayStats.reduce((sum, stats) => sum + stats.flushesFailed, 0),
    lakeObjects,
    virtualMs,
    wallMs,
    virtualMsPerWallMs: wallMs > 0 ? virtualMs / wallMs : 0,
    settledAfterHealMs: settledAtMs === null ? null : settledAtMs - world.plan.config.durationMs,
  };
}
